// deno-lint-ignore-file no-console no-explicit-any
/**
 * The queue in-process (issue 13): `next --claim` claims/s, `task list --ready`, `next --explain`
 * and the ready-queue page at 10,000 open tasks and 2,000 dependency edges, plus MCP
 * `task_show`/`task_list` calls through the SDK client over an in-memory transport.
 *
 *   deno run -A scripts/bench_queue.ts [--src DIR] [--tasks 10000] [--edges 2000] [--rounds 5] [--json]
 *
 * Claims/s is the median of `--rounds` rounds of 1,000 claims, after one uncounted warm-up round.
 *
 * `--src DIR` measures another checkout of the project (e.g. the code before a change, extracted
 * with `git archive`): `deno task bench --before REF` does that for the "before" column.
 * Prints one JSON object: { rows: [{ name, ms | per_s }] }.
 */
import { parseArgs } from "node:util";
import { inTx, median, timeAsync } from "./bench_util.ts";

const { values } = parseArgs({
  args: import.meta.main ? Deno.args : [], // imported for seedQueue: the importer's flags are its own
  options: {
    src: { type: "string" },
    tasks: { type: "string", default: "10000" },
    edges: { type: "string", default: "2000" },
    rounds: { type: "string", default: "5" },
  },
});
const root = new URL(values.src ? `file://${Deno.realPathSync(values.src)}/` : "../", import.meta.url);
const N = Number(values.tasks);
const E = Number(values.edges);
const ROUNDS = Number(values.rounds);
const actor = { kind: "ai", name: "bench" };

/** A deterministic pseudo-random sequence (the same graph on every run and every checkout). */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/**
 * N open tasks over five priorities, E edges pointing from a later task to an earlier one, in one
 * transaction (of the async store, or of a synchronous pre-port checkout: see inTx).
 */
export async function seedQueue(app: any, n: number, e: number): Promise<void> {
  const r = rng(7);
  await app.projects.create({ alias: "bench", name: "Bench" }, actor);
  await inTx(app, function* () {
    for (let i = 0; i < n; i++) {
      yield app.tasks.create(
        { project: "bench", title: `queue task ${i}`, priority: 1 + (i * 7) % 5 },
        actor,
      );
    }
    const seen = new Set<string>();
    while (seen.size < e) {
      const a = 2 + Math.floor(r() * (n - 1));
      const b = 1 + Math.floor(r() * (a - 1));
      if (seen.has(`${a} ${b}`)) continue;
      seen.add(`${a} ${b}`);
      yield app.deps.add(`TASK-${a}`, `TASK-${b}`, actor);
    }
  });
}

/** Median ms of `runs` awaited calls (awaiting a synchronous checkout's value is a no-op). */
const time = (fn: () => unknown, runs: number) => timeAsync(async () => await fn(), runs);

if (import.meta.main) await main();

async function main() {
  const { openApp } = await import(new URL("src/app.ts", root).href);
  const dir = await Deno.makeTempDir({ prefix: "backlog-bench-queue-" });
  const rows: { name: string; ms?: number; per_s?: number }[] = [];
  try {
    const app = await openApp({ dbPath: `${dir}/q.db` });
    await seedQueue(app, N, E);
    rows.push({
      name: "svc: task list --ready (page 50)",
      ms: await time(() => app.tasks.list({ ready: true }), 50),
    });
    rows.push({ name: "svc: task next (peek)", ms: await time(() => app.claims.next({}, actor), 200) });
    rows.push({
      name: "svc: task next --explain",
      ms: await time(() => app.claims.next({ explain: true }, actor), 30),
    });
    if (app.claims.queue) {
      rows.push({
        name: "svc: ready queue page (50, explained)",
        ms: await time(() => app.claims.queue({}), 30),
      });
    }
    // Claims per second: rounds of claim-next, after one uncounted warm-up round (a long-lived store
    // starts its background checkpointer once, a ~50 ms stall, and the JIT warms up). Rounds of 1,000
    // claims each span one or two of the WAL's restarts (one every ~600 claims), which stay counted.
    const perRound = 1000;
    for (let i = 0; i < 600; i++) await app.claims.next({ claim: true }, actor);
    const rates: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const t = performance.now();
      for (let i = 0; i < perRound; i++) await app.claims.next({ claim: true }, actor);
      rates.push(perRound / ((performance.now() - t) / 1000));
    }
    rows.push({ name: "svc: next --claim (claims/s)", per_s: median(rates) });
    // Reference: a bare claim-shaped transaction (one row to doing, one activity row), same database.
    // (Any tasks will do; a small run may have claimed most of them already.)
    const ids = (await app.db.all("SELECT id FROM tasks LIMIT 2000")).map((r: any) => r.id);
    const bare: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const t = performance.now();
      for (let i = 0; i < perRound; i++) {
        await inTx(app, function* () {
          yield app.db.run(
            "UPDATE tasks SET assignee = ?, version = version + 1 WHERE id = ?",
            `b${i}`,
            ids[i % ids.length],
          );
          yield app.db.run(
            `INSERT INTO activity_log (id, entity, entity_id, action, actor_kind, actor_name, payload, created_at)
             VALUES (?, 'task', ?, 'bench', 'ai', 'bench', '', ?)`,
            crypto.randomUUID(),
            ids[i % ids.length],
            Date.now(),
          );
        });
      }
      bare.push(perRound / ((performance.now() - t) / 1000));
    }
    rows.push({ name: "svc: bare claim-sized transaction (reference, tx/s)", per_s: median(bare) });
    // Claim and finish: the agents' loop.
    const loop: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const t = performance.now();
      for (let i = 0; i < perRound / 2; i++) {
        const c = await app.claims.next({ claim: true }, actor);
        if (!c.task) throw new Error("the queue ran dry: seed more tasks (--tasks)");
        await app.tasks.move(c.task.ref, "done", actor, { claimToken: c.token });
      }
      loop.push(perRound / 2 / ((performance.now() - t) / 1000));
    }
    rows.push({ name: "svc: next --claim → done (loops/s)", per_s: median(loop) });
    await mcpRows(app, rows);
    await app.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  console.log(JSON.stringify({ tasks: N, edges: E, rows }));
}

/** MCP tool calls through the SDK client over an in-memory transport (no stdio, no process). */
async function mcpRows(app: any, rows: { name: string; ms?: number }[]): Promise<void> {
  let build: any;
  try {
    build = (await import(new URL("src/mcp/server.ts", root).href)).createMcpServer;
  } catch {
    return;
  }
  if (!build) return;
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { InMemoryTransport } = await import("@modelcontextprotocol/sdk/inMemory.js");
  const server = build(app, actor);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(b);
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  await call("task_show", { id: "TASK-77" });
  rows.push({ name: "mcp: task_show", ms: await timeAsync(() => call("task_show", { id: "TASK-77" }), 200) });
  rows.push({ name: "mcp: task_list (page)", ms: await timeAsync(() => call("task_list", {}), 100) });
  await client.close();
}
