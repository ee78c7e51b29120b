// The agents' hot path — `next --claim` and `task move --status done --token` — in few statements (a
// round trip each on PostgreSQL), with the rows every other test expects: the task, its run, its
// activity in log order, the stored ranking around it.
import assert from "node:assert/strict";
import type { App } from "../../src/app.ts";
import { alice, bot, openTestApp, TEST_ENGINE } from "../helpers/app.ts";
import { staleBlockers, staleCounts } from "../../src/db/repos/rank.ts";

/** The statements `fn` runs through the app's store (transaction control is the store's own). */
async function statements(app: App, fn: () => Promise<unknown>): Promise<string[]> {
  const db = app.db as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const seen: string[] = [];
  const saved = ["all", "get", "run", "exec"].map((m) => [m, db[m]] as const);
  for (const [m, f] of saved) {
    db[m] = (sql: unknown, ...p: unknown[]) => {
      seen.push(String(sql).trim().split(/\s+/)[0]);
      return f.call(app.db, sql, ...p);
    };
  }
  try {
    await fn();
  } finally {
    for (const [m, f] of saved) db[m] = f;
  }
  return seen;
}

async function setup() {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  for (const title of ["a", "b", "c"]) await app.tasks.create({ project: "api", title, priority: 1 }, alice);
  await app.labels.set("TASK-1", ["z", "B", "a"], alice);
  await app.deps.add("TASK-2", "TASK-1", alice); // TASK-2 waits on TASK-1
  await app.deps.add("TASK-3", "TASK-2", alice);
  return app;
}

Deno.test("next --claim: the pick, then one write (task, run, activity); done --token: row, run, write", async () => {
  const app = await setup();
  try {
    let c: Awaited<ReturnType<App["claims"]["next"]>> = { task: null };
    const claim = await statements(app, async () => c = await app.claims.next({ claim: true }, bot));
    assert.equal(c.task?.ref, "TASK-1");
    assert.deepEqual(c.task?.labels?.map((l) => l.name), ["B", "a", "z"]);
    // PostgreSQL: the locked queue head, then the write carrying the run and the activity rows.
    assert.deepEqual(
      claim,
      TEST_ENGINE === "postgres" ? ["WITH", "WITH"] : ["SELECT", "UPDATE", "INSERT", "INSERT"],
    );

    let done: Awaited<ReturnType<App["tasks"]["move"]>> | undefined;
    const move = await statements(app, async () => {
      done = await app.tasks.move("TASK-1", "done", bot, { claimToken: c.token });
    });
    // The row with its labels, the run's end, the write (with the dependents' counts and the activity
    // row on PostgreSQL); a task closed with no open blocker has nothing upstream to recount.
    assert.deepEqual(
      move,
      TEST_ENGINE === "postgres"
        ? ["SELECT", "UPDATE", "WITH"]
        : ["SELECT", "UPDATE", "UPDATE", "UPDATE", "INSERT"],
    );
    assert.deepEqual(done, await app.tasks.getTask("TASK-1"));
    assert.equal(done?.status, "done");
    assert.equal(done?.lease_expires_at, undefined);

    const log = (await app.activity.list({ entity_id: c.task!.id, oldest_first: true, limit: 0 })).events;
    assert.deepEqual(log.map((e) => e.action), [
      "created",
      "status_changed",
      "claimed",
      "status_changed",
    ]);
    const seqs = (await app.activity.since(0)).filter((e) => e.entity_id === c.task!.id).map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    const runs = (await app.runs.forTask("TASK-1")).runs;
    assert.deepEqual(runs.map((r) => [r.holder, r.outcome]), [["ai:claude", "done"]]);
    assert.deepEqual(await staleBlockers(app.db), []);
    assert.deepEqual(await staleCounts(app.db), []);
    assert.equal((await app.claims.next({}, bot)).task?.ref, "TASK-2");
  } finally {
    await app.close();
  }
});

Deno.test("a lease-expired claim and a task closed while blocked still take the long way, with the same rows", async () => {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  try {
    await app.projects.create({ alias: "api", name: "API" }, alice);
    for (const title of ["a", "b"]) await app.tasks.create({ project: "api", title }, alice);
    await app.deps.add("TASK-2", "TASK-1", alice);
    await app.claims.claim("TASK-1", { lease: 1e9 }, alice);
    now += 5e9;
    const c = await app.claims.next({ claim: true }, bot);
    assert.equal(c.task?.ref, "TASK-1");
    const runs = (await app.runs.forTask("TASK-1")).runs;
    assert.deepEqual(runs.map((r) => [r.holder, r.outcome]), [["ai:claude", "open"], [
      "human:alice",
      "expired",
    ]]);
    const log = (await app.activity.list({ entity_id: c.task!.id, oldest_first: true, limit: 0 })).events;
    assert.deepEqual(log.slice(-2).map((e) => e.action), ["lease_expired", "claimed"]);
    // TASK-2 is blocked by TASK-1: closing it recounts upstream (TASK-1 is open, its count drops).
    await app.tasks.move("TASK-2", "done", alice);
    assert.deepEqual(await staleCounts(app.db), []);
    assert.deepEqual(await staleBlockers(app.db), []);
  } finally {
    await app.close();
  }
});
