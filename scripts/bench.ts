// deno-lint-ignore-file no-console
/**
 * `deno task bench`: seeds temp workspaces and prints medians (table + JSON).
 *   - wall time of real CLI processes (task list / add / show / list --search) at 10,000 tasks
 *   - in-process service latencies: create, list page, FTS search at 100,000 tasks
 * Flags: --runs N (default 15), --small (1,000 / 10,000 tasks, for a quick look), --json.
 * Other benches (stress, web) live in their own scripts and are called at the end when present.
 */
import { parseArgs } from "node:util";
import { openApp } from "../src/app.ts";
import type { Actor } from "../src/domain/actor.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string" },
    small: { type: "boolean" },
    json: { type: "boolean" },
    only: { type: "string" },
  },
});
const RUNS = Number(values.runs ?? 15);
const N_CLI = values.small ? 1_000 : 10_000;
const N_FTS = values.small ? 10_000 : 100_000;
const actor: Actor = { kind: "ai", name: "bench" };
const WORDS =
  "login token cache parser index query auth session upload render queue retry timeout schema export".split(
    " ",
  );

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function seed(dbPath: string, n: number) {
  const app = openApp({ dbPath });
  app.projects.create({ alias: "bench", name: "Bench" }, actor);
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1000) {
    app.db.tx(() => {
      for (let j = i; j < Math.min(n, i + 1000); j++) {
        const w = (k: number) => WORDS[(j * 7 + k * 13) % WORDS.length];
        app.tasks.create({
          project: "bench",
          title: `${w(1)} ${w(2)} task ${j}`,
          description: `Investigate the ${w(3)} path when ${w(4)} fails under ${w(5)} load (#${j}).`,
          priority: (j % 5) + 1,
          labels: j % 10 === 0 ? ["hot"] : [],
        }, actor);
      }
    });
  }
  const seedMs = performance.now() - t0;
  return { app, seedMs };
}

function timeIt(fn: () => unknown, runs = 200): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function cliMedian(args: string[], env: Record<string, string>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname, ...args],
      env,
      stdout: "null",
      stderr: "piped",
    }).output();
    xs.push(performance.now() - t);
    if (!r.success) throw new Error(`${args.join(" ")} failed: ${new TextDecoder().decode(r.stderr)}`);
  }
  return median(xs);
}

const rows: { name: string; ms: number; target?: number }[] = [];
const dir = await Deno.makeTempDir({ prefix: "backlog-bench-" });
try {
  // CLI processes at N_CLI tasks.
  const cliDb = `${dir}/cli.db`;
  const s1 = seed(cliDb, N_CLI);
  s1.app.close();
  const env = { BACKLOG_DB: cliDb, HOME: dir, NO_COLOR: "1" };
  rows.push({ name: `seed ${N_CLI} tasks (in-process, per task)`, ms: s1.seedMs / N_CLI });
  const baseline = await cliMedian(["version"], env);
  rows.push({ name: "deno start + `backlog version` (no DB)", ms: baseline });
  rows.push({
    name: `cli: task list (${N_CLI} tasks)`,
    ms: await cliMedian(["task", "list", "-p", "bench"], env),
    target: 150,
  });
  rows.push({
    name: "cli: task add",
    ms: await cliMedian(["task", "add", "-p", "bench", "-t", "bench add"], env),
    target: 150,
  });
  rows.push({ name: "cli: task show", ms: await cliMedian(["task", "show", "TASK-500"], env), target: 150 });
  rows.push({
    name: "cli: task list --search",
    ms: await cliMedian(["task", "list", "--search", "token*"], env),
    target: 150,
  });

  // In-process latencies at N_FTS tasks.
  const { app, seedMs } = seed(`${dir}/fts.db`, N_FTS);
  rows.push({ name: `seed ${N_FTS} tasks (in-process, total s)`, ms: seedMs / 1000 });
  let k = 0;
  rows.push({
    name: "svc: task create",
    ms: timeIt(() => app.tasks.create({ project: "bench", title: `x ${k++}` }, actor)),
    target: 1,
  });
  rows.push({
    name: "svc: task list page (50)",
    ms: timeIt(() => app.tasks.list({ project: "bench" })),
    target: 5,
  });
  rows.push({
    name: "svc: task list page, offset 5000",
    ms: timeIt(() => app.tasks.list({ project: "bench", offset: 5000 })),
    target: 5,
  });
  rows.push({
    name: `svc: FTS search (${N_FTS} tasks)`,
    ms: timeIt(() => app.tasks.list({ search: "cache parser" }), 50),
    target: 10,
  });
  rows.push({
    name: "svc: FTS prefix search",
    ms: timeIt(() => app.tasks.list({ search: "upl*" }), 50),
    target: 10,
  });
  rows.push({ name: "svc: task show", ms: timeIt(() => app.tasks.show("TASK-777")), target: 5 });
  app.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}

if (values.json) {
  console.log(JSON.stringify({ runs: RUNS, rows }, null, 2));
} else {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"measure".padEnd(w)}  median ms  target`);
  for (const r of rows) {
    const ok = r.target === undefined ? "" : r.ms <= r.target ? `≤ ${r.target} ok` : `≤ ${r.target} MISSED`;
    console.log(`${r.name.padEnd(w)}  ${r.ms.toFixed(2).padStart(9)}  ${ok}`);
  }
  console.log(JSON.stringify({ runs: RUNS, rows }));
}

// Companion benches, when present: full-scale stress proof and the web UI numbers.
if (!values.small && !values.only) {
  for (const script of ["stress.ts", "bench_web.ts"]) {
    const path = new URL(script, import.meta.url).pathname;
    try {
      await Deno.stat(path);
    } catch {
      continue;
    }
    const args = script === "stress.ts" ? ["--full"] : [];
    await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path, ...args],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
  }
}
