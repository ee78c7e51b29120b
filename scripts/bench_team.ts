// deno-lint-ignore-file no-console
/**
 * The queue with many agents in one process, on both engines side by side (issues 13 and 14):
 * `--agents` concurrent loops through the services over one app (a pooled PostgreSQL store, or the
 * SQLite store's one connection), on a queue of `--tasks` open tasks and `--edges` dependencies.
 *
 *   deno run -A scripts/bench_team.ts [--pg URL] [--agents 16] [--tasks 10000] [--edges 2000]
 *                                     [--claims 3000] [--engines sqlite,postgres] [--json] [--stats]
 *
 * Two phases per engine, each on a freshly seeded database: `next --claim` alone (claims/s and
 * next-claim p50/p99), then the agents' loop `next --claim` → `move done` (loops/s, p99 of both).
 * PostgreSQL needs `--pg` (or $BACKLOG_TEST_PG): a database is created there for each phase and
 * dropped afterwards. Each phase also reports CPU per operation: the client's, and on PostgreSQL the
 * server backends' (read from /proc, so only for a server on this machine). `--stats` prints the
 * phase's top statements from pg_stat_statements when the server preloads it.
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { openApp } from "../src/app.ts";
import { seedQueue } from "./bench_queue.ts";
import { median } from "./bench_util.ts";

const { values: v } = parseArgs({
  args: Deno.args,
  options: {
    pg: { type: "string" },
    agents: { type: "string", default: "16" },
    tasks: { type: "string", default: "10000" },
    edges: { type: "string", default: "2000" },
    claims: { type: "string", default: "3000" },
    engines: { type: "string", default: "sqlite,postgres" },
    json: { type: "boolean", default: false },
    stats: { type: "boolean", default: false },
  },
});
const AGENTS = Number(v.agents);
const N = Number(v.tasks);
const E = Number(v.edges);
const CLAIMS = Math.min(Number(v.claims), N - E);
const pgUrl = v.pg ?? Deno.env.get("BACKLOG_TEST_PG");
const actor = { kind: "ai" as const, name: "bench" };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};

type App = Awaited<ReturnType<typeof openApp>>;

/** A fresh database on the engine: a temp file, or a new database on the server (dropped by `drop`). */
async function freshDb(engine: string): Promise<{ path: string; drop: () => Promise<void> }> {
  if (engine === "sqlite") {
    const dir = await Deno.makeTempDir({ prefix: "backlog-bench-team-" });
    return { path: `${dir}/q.db`, drop: () => Deno.remove(dir, { recursive: true }) };
  }
  if (!pgUrl) throw new Error("postgres: give --pg URL (or $BACKLOG_TEST_PG)");
  const { default: pg } = await import("pg");
  const name = `bench_team_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    path: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * CPU used so far by this process and by the database's server backends (read from /proc when the
 * server runs on this machine; otherwise only the client's). With --stats, also resets
 * pg_stat_statements (when the server loaded it).
 */
async function cpuNow(app: App) {
  const server = new Map<number, number>();
  if (app.db.dialect === "postgres") {
    if (v.stats) {
      await app.db.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").catch(() => {});
      await app.db.exec("SELECT pg_stat_statements_reset()").catch(() => {});
    }
    for (const r of await app.db.all<{ pid: number }>(BACKENDS)) server.set(r.pid, await procCpuMs(r.pid));
  }
  const u = process.cpuUsage();
  return { client: (u.user + u.system) / 1000, server };
}

const BACKENDS =
  "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'";

/** CPU ms since cpuNow: the client's and the server backends' (a backend started since counts from 0). */
async function cpuSince(app: App, t0: Awaited<ReturnType<typeof cpuNow>>) {
  const u = process.cpuUsage();
  const client_cpu_ms = (u.user + u.system) / 1000 - t0.client;
  if (app.db.dialect !== "postgres") return { client_cpu_ms };
  let server_cpu_ms = 0;
  for (const r of await app.db.all<{ pid: number }>(BACKENDS)) {
    server_cpu_ms += await procCpuMs(r.pid) - (t0.server.get(r.pid) ?? 0);
  }
  if (v.stats) {
    const top = await app.db.all(
      `SELECT calls, round(total_exec_time::numeric, 1) AS ms, round(mean_exec_time::numeric, 3) AS mean,
         left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY total_exec_time DESC LIMIT 15`,
    ).catch(() => []);
    console.table(top);
  }
  return { client_cpu_ms, server_cpu_ms };
}

async function procCpuMs(pid: number): Promise<number> {
  try {
    const f = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in 10 ms ticks
  } catch {
    return 0;
  }
}

/** `AGENTS` loops calling step until `total` steps are done; the latencies of each named part. */
async function crowd(total: number, step: (lat: Record<string, number[]>) => Promise<boolean>) {
  const lat: Record<string, number[]> = {};
  let started = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: AGENTS }, async () => {
    while (started < total) {
      started++;
      if (!await step(lat)) break;
    }
  }));
  return { secs: (performance.now() - t0) / 1000, lat };
}

const timed = async <T>(lat: Record<string, number[]>, name: string, fn: () => Promise<T>) => {
  const t = performance.now();
  const r = await fn();
  (lat[name] ??= []).push(performance.now() - t);
  return r;
};

async function phase(engine: string, loop: boolean) {
  const db = await freshDb(engine);
  let app: App | undefined;
  try {
    app = await openApp({ dbPath: db.path });
    await seedQueue(app, N, E);
    // Statistics, as autovacuum would have gathered them on a live database by now (a fresh bulk
    // load has none, and the planner then guesses).
    if (engine === "postgres") await app.db.exec("ANALYZE");
    const a = app;
    const cpu0 = await cpuNow(a);
    const { secs, lat } = await crowd(loop ? CLAIMS / 2 : CLAIMS, async (lat) => {
      const c = await timed(lat, "next", () => a.claims.next({ claim: true }, actor));
      if (!c.task) return false;
      if (loop) {
        await timed(lat, "done", () => a.tasks.move(c.task!.ref, "done", actor, { claimToken: c.token }));
      }
      return true;
    });
    const cpu = await cpuSince(a, cpu0);
    const n = lat.next.length;
    return {
      ...cpu,
      engine,
      phase: loop ? "claim → done" : "next --claim",
      per_s: n / secs,
      next_p50: pct(lat.next, 0.5),
      next_p99: pct(lat.next, 0.99),
      done_p50: loop ? pct(lat.done, 0.5) : undefined,
      done_p99: loop ? pct(lat.done, 0.99) : undefined,
      n,
    };
  } finally {
    await app?.close();
    await db.drop();
  }
}

const rows = [];
for (const engine of v.engines!.split(",")) {
  for (const loop of [false, true]) rows.push(await phase(engine, loop));
}
if (v.json) console.log(JSON.stringify({ agents: AGENTS, tasks: N, edges: E, rows }));
else {
  console.log(`${AGENTS} agents in one process, ${N} tasks, ${E} edges; medians of the run`);
  for (const r of rows) {
    const f = (x?: number) => x === undefined ? "" : x.toFixed(1);
    console.log(
      `${r.engine.padEnd(9)} ${r.phase.padEnd(13)} ${f(r.per_s).padStart(8)}/s  next p50 ${
        f(r.next_p50)
      } ms` +
        ` p99 ${f(r.next_p99)} ms` +
        (r.done_p50 === undefined ? "" : `  done p50 ${f(r.done_p50)} p99 ${f(r.done_p99)} ms`) +
        `  cpu/op client ${(r.client_cpu_ms / r.n).toFixed(2)}` +
        (r.server_cpu_ms === undefined ? "" : ` server ${(r.server_cpu_ms / r.n).toFixed(2)}`) + " ms",
    );
  }
}
void median;
