// deno-lint-ignore-file no-console
/**
 * The queue over HTTP (issue 13): 16 clients looping claim-next (`POST /api/tasks/next`) → done
 * (`PATCH /api/tasks/{id}/status` with the claim token) against a server process on 127.0.0.1, at
 * 10,000 open tasks and 2,000 dependency edges; and, as the reference, the same 16 clients posting
 * comments for the same time. Reports claims/s, next-claim p50/p99, done p99 and comments/s.
 *
 *   deno run -A scripts/bench_http_queue.ts [--clients 16] [--seconds 8] [--before REF] [--json]
 *
 * `--before REF` measures the code at git REF too (extracted to a temp dir), in the same run.
 * Loopback only; every phase is bounded by --seconds and the server is stopped at the end.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    clients: { type: "string", default: "16" },
    seconds: { type: "string", default: "8" },
    tasks: { type: "string", default: "10000" },
    edges: { type: "string", default: "2000" },
    before: { type: "string" },
    json: { type: "boolean" },
    // Internal: run as the server child for a checkout and a database.
    serve: { type: "string" },
    db: { type: "string" },
  },
});

if (values.serve) {
  const root = new URL(`file://${values.serve}/`);
  const { openApp } = await import(new URL("src/app.ts", root).href);
  const { startServer } = await import(new URL("src/http/server.ts", root).href);
  const app = await openApp({ dbPath: values.db! });
  const srv = startServer(app, {
    actor: { kind: "human", name: "bench" },
    host: "127.0.0.1",
    port: 0,
    webRoot: `${values.serve}/no-web-ui/`,
  });
  console.log(srv.url);
  await srv.finished;
  Deno.exit(0);
}

const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const here = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/** Seeds a database with the queue bench's graph (scripts/bench_queue.ts), using that checkout. */
async function seed(root: string, db: string): Promise<void> {
  const code = `
    const { openApp } = await import(${JSON.stringify(`file://${root}/src/app.ts`)});
    const { seedQueue } = await import(${JSON.stringify(`file://${here}/scripts/bench_queue.ts`)});
    const app = await openApp({ dbPath: ${JSON.stringify(db)} });
    await seedQueue(app, ${Number(values.tasks)}, ${Number(values.edges)});
    await app.close();`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    stderr: "inherit",
  }).output();
  if (!r.success) throw new Error("seeding failed");
}

async function startServer(root: string, db: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--serve", root, "--db", db],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const deadline = Date.now() + 30_000;
  while (!buf.includes("\n")) {
    if (Date.now() > deadline) throw new Error("server did not start in 30 s");
    const { value, done } = await reader.read();
    if (done) throw new Error("server exited before listening");
    buf += value;
  }
  return { url: buf.trim(), stop: async () => (child.kill("SIGTERM"), await child.status) };
}

async function call(url: string, method: string, body: unknown, actor: string) {
  const r = await fetch(url, {
    method,
    headers: { "content-type": "application/json", "x-backlog-actor": actor },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function measure(label: string, root: string) {
  const dir = await Deno.makeTempDir({ prefix: "backlog-bench-http-" });
  const db = `${dir}/q.db`;
  try {
    await seed(root, db);
    const srv = await startServer(root, db);
    try {
      const claimMs: number[] = [];
      const doneMs: number[] = [];
      let claims = 0;
      const stopAt = performance.now() + SECONDS * 1000;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
        const actor = `ai:agent-${i}`;
        while (performance.now() < stopAt) {
          let t = performance.now();
          const c = await call(`${srv.url}/api/tasks/next`, "POST", { lease: "10m" }, actor);
          claimMs.push(performance.now() - t);
          if (!c.task) break;
          claims++;
          t = performance.now();
          await call(`${srv.url}/api/tasks/${c.task.ref}/status`, "PATCH", {
            status: "done",
            claim_token: c.token,
          }, actor);
          doneMs.push(performance.now() - t);
        }
      }));
      const claimSecs = (performance.now() - t0) / 1000;
      // Reference: the same clients posting comments for the same time.
      let comments = 0;
      const commentMs: number[] = [];
      const stop2 = performance.now() + SECONDS * 1000;
      const t1 = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
        let k = 0;
        while (performance.now() < stop2) {
          const t = performance.now();
          await call(`${srv.url}/api/tasks/TASK-${1 + ((i * 97 + k++) % 9000)}/comments`, "POST", {
            body: `bench comment ${k}`,
          }, `ai:agent-${i}`);
          commentMs.push(performance.now() - t);
          comments++;
        }
      }));
      const commentSecs = (performance.now() - t1) / 1000;
      return {
        label,
        claims_per_s: claims / claimSecs,
        next_claim_p50_ms: pct(claimMs, 0.5),
        next_claim_p99_ms: pct(claimMs, 0.99),
        done_p99_ms: pct(doneMs, 0.99),
        comments_per_s: comments / commentSecs,
        comment_p99_ms: pct(commentMs, 0.99),
      };
    } finally {
      await srv.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const results = [await measure("after", here)];
if (values.before) {
  const out = await Deno.makeTempDir({ prefix: "backlog-before-" });
  try {
    const tar = await new Deno.Command("sh", {
      args: ["-c", `git -C "${here}" archive "${values.before}" | tar -x -C "${out}"`],
    }).output();
    if (!tar.success) throw new Error(`--before ${values.before}: git archive failed`);
    results.push(await measure("before", out));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}
if (!values.json) {
  for (const r of results) {
    console.log(
      `${r.label}: ${CLIENTS} clients claim-next → done: ${r.claims_per_s.toFixed(0)} claims/s, ` +
        `next-claim p50 ${r.next_claim_p50_ms.toFixed(1)} ms p99 ${r.next_claim_p99_ms.toFixed(1)} ms, ` +
        `done p99 ${r.done_p99_ms.toFixed(1)} ms; comments ${r.comments_per_s.toFixed(0)}/s ` +
        `(p99 ${r.comment_p99_ms.toFixed(1)} ms)`,
    );
  }
}
console.log(JSON.stringify({ clients: CLIENTS, seconds: SECONDS, results }));
