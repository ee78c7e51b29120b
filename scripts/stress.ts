// deno-lint-ignore-file no-console
/**
 * Proof that many agents can share one queue (issue 7): N agent processes loop `next --claim` →
 * comment → move done while M editor processes change random fields of random tasks; K agents are
 * killed with SIGKILL while holding a claim. Then it verifies, from the database and the workers'
 * logs: every task done exactly once, no task held by two agents at once, no blocked task handed
 * out, no acknowledged edit lost, no SQLITE_BUSY reaching a worker, integrity_check ok.
 *
 *   deno run -A scripts/stress.ts                 small: 3 agents, 1 editor, 40 tasks, 1 kill
 *   deno run -A scripts/stress.ts --full          16 agents, 4 editors, 2,000 tasks, 4 kills
 *   deno run -A scripts/stress.ts --cli           agents drive real `main.ts` processes (small)
 *   deno run -A scripts/stress.ts --pg URL        team mode (issue 14) on the PostgreSQL database URL
 *                                                 (empty or freshly migrated): --servers (2) `backlog web`
 *                                                 processes on it; agents take turns being HTTP clients
 *                                                 of those servers, CLI processes and in-process
 *                                                 services; editors alternate in-process and HTTP
 *   flags: --agents --editors --tasks --kill --lease 2s --deps 0.1 --timeout 300 --json --keep
 *          --servers N (with --pg), --require-cli (with --pg: fail instead of falling back when
 *          `backlog --db postgres://…` does not work)
 * Editors also create tasks (in project `extra`, already done) from several processes at once, so
 * the run checks that every TASK-N is handed out once.
 * Prints a table and one JSON line (only the JSON with --json); exits 1 when a check fails.
 */
import { parseArgs } from "node:util";
import { openApp } from "../src/app.ts";
import type { Actor } from "../src/domain/actor.ts";
import { parseDuration } from "../src/domain/time.ts";
import { redactUrl } from "../src/db/url.ts";
import { verify } from "./stress_verify.ts";

const WORKER = new URL("stress_agent.ts", import.meta.url).pathname;

const { values: v } = parseArgs({
  args: Deno.args,
  options: {
    full: { type: "boolean" },
    cli: { type: "boolean" },
    pg: { type: "string" },
    servers: { type: "string" },
    "require-cli": { type: "boolean" },
    agents: { type: "string" },
    editors: { type: "string" },
    tasks: { type: "string" },
    kill: { type: "string" },
    lease: { type: "string", default: "2s" },
    deps: { type: "string", default: "0.1" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    keep: { type: "boolean" },
  },
});

const num = (s: string | undefined, def: number) => (s === undefined ? def : Number(s));
const P = {
  agents: num(v.agents, v.full ? 16 : v.cli ? 2 : v.pg ? 4 : 3),
  editors: num(v.editors, v.full ? 4 : v.pg ? 2 : 1),
  tasks: num(v.tasks, v.full ? 2000 : v.cli ? 8 : 40),
  kill: num(v.kill, v.full ? 4 : 1),
  leaseMs: parseDuration(v.lease!, "--lease") / 1e6,
  deps: Number(v.deps),
  timeoutS: num(v.timeout, v.full ? 600 : 120),
  mode: v.pg ? "pg" : v.cli ? "cli" : "services",
  engine: v.pg ? "postgres" : "sqlite",
  servers: v.pg ? num(v.servers, 2) : 0,
};
if (P.kill >= P.agents) throw new Error("--kill must leave at least one agent alive");

const say = (s: string) => v.json || console.error(s);
const dir = await Deno.makeTempDir({ prefix: "backlog-stress-" });
const dbPath = v.pg ?? `${dir}/backlog.db`;
const actor: Actor = { kind: "human", name: "stress" };

type Server = { url: string; child: Deno.ChildProcess; kind: string };
const servers: Server[] = [];

/** On a thrown error: the servers stop and the run's temp dir goes (unless --keep), then it throws. */
async function orClean<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    for (const s of servers) {
      try {
        s.child.kill("SIGKILL");
      } catch { /* already gone */ }
    }
    if (!v.keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw err;
  }
}

// ---- seed --------------------------------------------------------------------------------------
await orClean((async () => {
  const app = await openApp({ dbPath });
  await app.db.tx(async () => {
    await app.projects.create({ alias: "stress", name: "Stress" }, actor);
    await app.projects.create({ alias: "extra", name: "Created during the run" }, actor);
    for (let i = 1; i <= P.tasks; i++) {
      await app.tasks.create({ project: "stress", title: `Task ${i}`, priority: 1 + (i * 7) % 5 }, actor);
    }
    // Some tasks wait on an earlier one (edges only point backwards, so there is no cycle).
    for (let i = 2; i <= P.tasks; i++) {
      if (Math.random() < P.deps) {
        await app.deps.add(`TASK-${i}`, `TASK-${1 + Math.floor(Math.random() * (i - 1))}`, actor);
      }
    }
  });
  await app.close();
})());
say(
  `seeded ${P.tasks} tasks in ${
    v.pg ? redactUrl(dbPath) : dbPath
  }; ${P.agents} agents (${P.mode}), ${P.editors} editors, ${P.kill} kills`,
);

// ---- team mode: servers on the PostgreSQL database, and whether the CLI reaches it ----------------
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const notes: string[] = [];
let cliOk = !v.pg;
if (v.pg) {
  const probe = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", dbPath, "task", "list", "--limit", "1", "--json"],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  cliOk = probe.success;
  if (!cliOk) {
    const why = new TextDecoder().decode(probe.stderr).trim().split("\n")[0].slice(0, 200);
    if (v["require-cli"]) throw new Error(`backlog --db <postgres URL> does not work: ${why}`);
    notes.push(`CLI agents ran as HTTP agents: \`backlog --db postgres://…\` failed (${why})`);
  }
  for (let i = 0; i < P.servers; i++) servers.push(await orClean(startWeb(i)));
}

/** Reads a child's stream until an http:// URL shows up (30 s at most); null when it ends first. */
async function urlFrom(stream: ReadableStream<Uint8Array>): Promise<{ url: string | null; seen: string }> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let seen = "";
  const timer = setTimeout(() => reader.cancel().catch(() => {}), 30_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { url: null, seen };
      seen += dec.decode(value, { stream: true });
      const m = /(http:\/\/[^\s/]+)/.exec(seen);
      if (m) {
        void (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })().catch(() => {});
        return { url: m[1], seen };
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A real `backlog --db URL web` process; where that CLI path cannot open PostgreSQL yet, the same
 * server started by scripts/stress_agent.ts --role server (openApp + startServer), noted in the report.
 */
async function startWeb(i: number): Promise<Server> {
  const web = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", dbPath, "web", "--port", "0", "--no-browser"],
    env: { XDG_CONFIG_HOME: `${dir}/config`, BACKLOG_DB: "", CI: "1", NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const got = await urlFrom(web.stderr);
  if (got.url) return { url: got.url, child: web, kind: "backlog web" };
  try {
    web.kill("SIGKILL");
  } catch { /* already gone */ }
  await web.status;
  if (v["require-cli"]) throw new Error(`backlog web --db <postgres URL> did not start: ${got.seen.trim()}`);
  if (i === 0) {
    notes.push(
      `servers ran as in-process stand-ins: \`backlog web --db postgres://…\` did not start (${
        got.seen.trim().split("\n")[0].slice(0, 200)
      })`,
    );
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, "--role", "server", "--db", dbPath],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const alt = await urlFrom(child.stdout);
  if (!alt.url) throw new Error(`the stand-in server did not start: ${alt.seen}`);
  return { url: alt.url, child, kind: "stand-in server" };
}

/** How agent i reaches the queue: with --pg, HTTP / CLI / in-process in turn (CLI only when it works). */
function agentKind(i: number): "http" | "cli" | "services" {
  if (!v.pg) return v.cli ? "cli" : "services";
  if (v.cli) return cliOk ? "cli" : "http";
  const k = (["http", "cli", "services"] as const)[i % 3];
  return k === "cli" && !cliOk ? "http" : k;
}

// ---- run ---------------------------------------------------------------------------------------
const stopFile = `${dir}/stop`;

function spawn(role: string, name: string, extra: string[] = []) {
  const log = `${dir}/${name}.jsonl`;
  const args = ["run", "-A", WORKER, "--role", role, "--db", dbPath, "--name", name, "--log", log];
  args.push("--lease-ms", String(P.leaseMs), "--stop", stopFile, "--tasks", String(P.tasks));
  args.push(...extra);
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).spawn();
  const stderr = new Response(child.stderr).text();
  return { name, log, child, status: child.status, stderr, killed: false, killedWhile: "" };
}

const t0 = performance.now();
// The agents to be killed work slowly (0.2-0.4 s per task, 1-2 s through the CLI), so the kill
// reliably lands while they hold a claim.
const doomed = new Set([...Array(P.agents).keys()].sort(() => Math.random() - 0.5).slice(0, P.kill));
const via = (i: number) => ["--http", servers[i % servers.length].url];
const agents = Array.from({ length: P.agents }, (_, i) => {
  const kind = agentKind(i);
  const extra = kind === "cli" ? ["--cli"] : kind === "http" ? via(i) : [];
  if (doomed.has(i)) extra.push("--work-ms", kind === "cli" ? "2000" : "400");
  return { ...spawn("agent", `agent-${i + 1}`, extra), kind };
});
// With servers, every other editor writes through one of them.
const editors = Array.from(
  { length: P.editors },
  (_, i) => spawn("editor", `editor-${i + 1}`, servers.length && i % 2 ? via(i) : []),
);

const watcher = await openApp({ dbPath });
const doneCount = async () => (await watcher.tasks.list({ status: ["done"], limit: 1 })).page.total;
const records = (path: string): { op: string; pid?: number }[] => {
  try {
    return Deno.readTextFileSync(path).trimEnd().split("\n").map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};
/** The last record an agent logged (a CLI process spawn counts: something is in flight). */
const lastOp = (path: string) => records(path).at(-1)?.op ?? "";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Kill K random agents, spread over the first 60% of the run, each while it holds a claim
// (its last log line says "working": claimed, commented, nothing in flight).
const victims = agents.filter((_, i) => doomed.has(i));
let timedOut = false;
const deadline = t0 + P.timeoutS * 1000;
for (const [k, a] of victims.entries()) {
  const at = Math.floor(P.tasks * 0.6 * (k + 1) / (P.kill + 1));
  while (await doneCount() < at && performance.now() < deadline) await sleep(20);
  for (let tries = 0; tries < 400 && lastOp(a.log) !== "working"; tries++) await sleep(5);
  try {
    a.killedWhile = lastOp(a.log);
    a.child.kill("SIGKILL");
    a.killed = true;
  } catch {
    continue; // it already finished
  }
  const pid = records(a.log).findLast((r) => r.op === "spawn")?.pid;
  if (pid) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* that CLI call already ended */ }
  }
  say(`killed ${a.name} (last op: ${a.killedWhile || "none"}) at ${await doneCount()} done`);
}
const survivors = agents.filter((a) => !a.killed);
const timer = setTimeout(() => {
  timedOut = true;
  for (const w of [...survivors, ...editors]) {
    try {
      w.child.kill("SIGKILL");
    } catch { /* already gone */ }
  }
}, Math.max(0, deadline - performance.now()));
await Promise.all(survivors.map((a) => a.status));
const wallS = (performance.now() - t0) / 1000;
Deno.writeTextFileSync(stopFile, "");
await Promise.all(editors.map((e) => e.status));
clearTimeout(timer);
await watcher.close();
await Promise.all(servers.map(async (s) => {
  try {
    s.child.kill("SIGTERM");
  } catch { /* already gone */ }
  const t = setTimeout(() => {
    try {
      s.child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 10_000);
  await s.child.status;
  clearTimeout(t);
}));
const stderrs =
  (await Promise.all([...agents, ...editors].map(async (w) => [w.name, (await w.stderr).trim()])))
    .filter(([, s]) => s);

// ---- verify and report -------------------------------------------------------------------------
const report = await orClean(verify({
  dbPath,
  P,
  wallS,
  timedOut,
  agentLogs: agents.map((a) => ({ name: a.name, path: a.log, killed: a.killed })),
  editorLogs: editors.map((e) => e.log),
  stderr: stderrs.map(([n, s]) => `${n}: ${s.split("\n")[0]}`),
  notes,
  team: v.pg
    ? {
      servers: servers.map((s) => s.kind),
      agents: Object.fromEntries(
        ["http", "cli", "services"].map((k) => [k, agents.filter((a) => a.kind === k).length]),
      ),
    }
    : undefined,
}));
if (!v.json) {
  const rows: [string, string][] = [
    ["mode", `${P.mode}: ${P.agents} agents, ${P.editors} editors, ${P.tasks} tasks, lease ${P.leaseMs} ms`],
    ...(report.team
      ? [[
        "team",
        `${report.team.servers.length} servers (${report.team.servers.join(", ")}); agents ${
          Object.entries(report.team.agents).map(([k, n]) => `${k} ${n}`).join(", ")
        }`,
      ] as [string, string]]
      : []),
    ["wall time", `${report.wall_s.toFixed(2)} s`],
    ["claims", `${report.claims} (${report.claims_per_s.toFixed(1)} claims/s)`],
    [
      "next --claim latency",
      `p50 ${report.claim_ms.p50.toFixed(1)} ms, p99 ${report.claim_ms.p99.toFixed(1)} ms`,
    ],
    ["move done latency", `p50 ${report.done_ms.p50.toFixed(1)} ms, p99 ${report.done_ms.p99.toFixed(1)} ms`],
    ["edits acknowledged", `${report.edits} (${report.stale_edits} stale --expect-version rejected)`],
    ["tasks created during the run", `${report.creates}`],
    ["edit latency", `p50 ${report.edit_ms.p50.toFixed(1)} ms, p99 ${report.edit_ms.p99.toFixed(1)} ms`],
    ["agents killed", `${report.killed} (leases expired and reclaimed: ${report.leases_expired})`],
    [
      "claims lost to expiry",
      `${report.lost_claims} (slow agents whose lease ran out; the move was refused)`,
    ],
  ];
  for (const [name, c] of Object.entries(report.checks)) {
    rows.push([name, c.ok ? "ok" : `FAILED: ${c.detail}`]);
  }
  for (const n of report.notes) rows.push(["note", n]);
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, val]) => `${k.padEnd(w)}  ${val}`).join("\n"));
}
console.log(JSON.stringify(report));
if (!v.keep) await Deno.remove(dir, { recursive: true });
else say(`kept ${dir}`);
Deno.exit(report.ok ? 0 : 1);
