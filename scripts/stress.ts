// deno-lint-ignore-file no-console
/**
 * Proof that many agents can share one queue (issues 7 and 14): N agent processes loop `next --claim` →
 * comment → move done while M editor processes change random fields of random tasks and create tasks;
 * K agents are killed with SIGKILL while holding a claim. Then it verifies, from the database and the
 * workers' logs: every task done exactly once, no task held by two agents at once, no blocked task
 * handed out, no acknowledged edit lost, every killed agent's task finished by another after its lease
 * expired, no SQLITE_BUSY / serialization failure reaching a worker, integrity_check ok (SQLite).
 *
 *   deno run -A scripts/stress.ts                 small: 3 in-process agents, 1 editor, 40 tasks, 1 kill
 *   deno run -A scripts/stress.ts --full          16 agents, 4 editors, 2,000 tasks, 4 kills
 *   deno run -A scripts/stress.ts --cli           agents drive real `main.ts` processes (small)
 *   deno run -A scripts/stress.ts --pg URL        team mode (issue 14) on the PostgreSQL database URL
 *                                                 (empty or freshly migrated; --new-db makes one)
 *   deno run -A scripts/stress.ts --engines sqlite,postgres --pg URL --full
 *                                                 the same team workload on each engine in turn, one
 *                                                 table side by side
 * Team mode (--pg, --engines, or --servers N): N (2) `backlog web` processes on the database; agent i
 * reaches the queue through via[i % len] of --via (http,cli: HTTP clients of the servers in turn, and
 * real `backlog --db …` CLI processes; `services` is in-process); every other editor writes through a
 * server, the rest in-process.
 *   flags: --agents --editors --tasks --kill --lease (2s in-process, 5s --cli, 10s team) --deps 0.1
 *          --timeout (s; 120, --full 600) --work-ms --json --keep (the temp dirs and a --new-db database)
 *          --creates 0.15 (the share of editor steps that create a task; 0 gives the stress proof's
 *          workload from before issue 14, to compare with older checkouts)
 *          --require-cli (fail instead of falling back when `backlog --db …` or `backlog web` fails)
 * Prints the table and one JSON line { ok, runs: [report per engine] } (only the JSON with --json);
 * exits 1 when a check fails.
 */
import { parseArgs } from "node:util";
import { parseDuration } from "../src/domain/time.ts";
import { isPgUrl } from "../src/db/url.ts";
import { type Kind, modeOf, type Params, runOnce } from "./stress_run.ts";
import { table } from "./stress_report.ts";
import type { StressReport } from "./stress_verify.ts";

const { values: v } = parseArgs({
  args: Deno.args,
  options: {
    full: { type: "boolean" },
    cli: { type: "boolean" },
    pg: { type: "string" },
    "new-db": { type: "boolean" },
    engines: { type: "string" },
    servers: { type: "string" },
    via: { type: "string", default: "http,cli" },
    "require-cli": { type: "boolean" },
    agents: { type: "string" },
    editors: { type: "string" },
    tasks: { type: "string" },
    kill: { type: "string" },
    lease: { type: "string" },
    deps: { type: "string", default: "0.1" },
    timeout: { type: "string" },
    "work-ms": { type: "string" },
    creates: { type: "string" },
    json: { type: "boolean" },
    keep: { type: "boolean" },
  },
});

const fail = (msg: string): never => {
  console.error(`stress: ${msg}`);
  Deno.exit(2);
};
const num = (s: string | undefined, def: number, flag: string) => {
  const n = s === undefined ? def : Number(s);
  return Number.isFinite(n) && n >= 0 ? n : fail(`${flag} takes a number, got ${s}`);
};

const engines = (v.engines ?? (v.pg ? "postgres" : "sqlite")).split(",").map((s) => s.trim());
for (const e of engines) {
  if (e !== "sqlite" && e !== "postgres") fail(`unknown engine ${e} (sqlite, postgres)`);
}
if (engines.includes("postgres") && !v.pg) fail("--engines postgres needs --pg URL");
if (v.pg && !isPgUrl(v.pg)) fail(`--pg takes a postgres:// URL, got ${v.pg}`);
const via = v.via!.split(",").map((s) => s.trim()) as Kind[];
for (const k of via) {
  if (!["http", "cli", "services"].includes(k)) fail(`unknown --via ${k} (http, cli, services)`);
}

const team = v.engines !== undefined || v.pg !== undefined;
const servers = num(v.servers, team ? 2 : 0, "--servers");
const P: Params = {
  agents: num(v.agents, v.full ? 16 : v.cli && !servers ? 2 : servers ? 4 : 3, "--agents"),
  editors: num(v.editors, v.full ? 4 : servers ? 2 : 1, "--editors"),
  tasks: num(v.tasks, v.full ? 2000 : v.cli && !servers ? 8 : 40, "--tasks"),
  kill: num(v.kill, v.full ? 4 : 1, "--kill"),
  leaseMs: 0,
  deps: num(v.deps, 0.1, "--deps"),
  timeoutS: num(v.timeout, v.full ? 600 : 120, "--timeout"),
  servers,
  via,
  cli: !!v.cli,
  requireCli: !!v["require-cli"],
  workMs: num(v["work-ms"], v.cli && !servers ? 300 : 20, "--work-ms"),
  creates: num(v.creates, 0.15, "--creates"),
};
if (!(P.creates >= 0 && P.creates <= 1)) fail("--creates must be a share between 0 and 1");
const lease = { services: "2s", cli: "5s", team: "10s" }[modeOf(P)];
P.leaseMs = parseDuration(v.lease ?? lease, "--lease") / 1e6;
if (P.kill >= P.agents) fail("--kill must leave at least one agent alive");

const say = (s: string) => v.json || console.error(s);
const runs: StressReport[] = [];
for (const engine of engines) {
  const dir = await Deno.makeTempDir({ prefix: "backlog-stress-" });
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  try {
    if (engine === "postgres" && v["new-db"]) scratch = await newDatabase(v.pg!);
    const dbPath = engine === "sqlite" ? `${dir}/backlog.db` : scratch?.url ?? v.pg!;
    say(`---- ${engine}`);
    runs.push(await runOnce(P, dbPath, dir, say));
  } finally {
    if (v.keep) say(`kept ${dir}${scratch ? ` and database ${new URL(scratch.url).pathname.slice(1)}` : ""}`);
    else {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await scratch?.drop();
    }
  }
}
const ok = runs.every((r) => r.ok);
if (!v.json) console.log(table(runs));
console.log(JSON.stringify({ ok, runs }));
Deno.exit(ok ? 0 : 1);

/** A new empty database on the server of `url` (the PostgreSQL driver loads only here). */
async function newDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { openPgStore } = await import("../src/db/pg/open.ts");
  const name = `backlog_stress_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = await openPgStore(url, { max: 1 });
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = await openPgStore(url, { max: 1 });
      try {
        await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.close();
      }
    },
  };
}
