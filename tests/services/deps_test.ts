import assert from "node:assert/strict";
import { alice, appError, bot, testApp } from "../helpers/app.ts";

async function setup(n = 4) {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  for (let i = 1; i <= n; i++) await app.tasks.create({ project: "api", title: `T${i}` }, alice);
  return app;
}

const refs = (ts: { ref: string }[]) => ts.map((t) => t.ref);

Deno.test("dep add records the edge both ways and logs it on the waiting task", async () => {
  const app = await setup();
  const r = await app.deps.add("TASK-1", "TASK-2", bot);
  assert.deepEqual(refs(r.blocked_by), ["TASK-2"]);
  assert.deepEqual(refs(r.blocks), []);
  assert.deepEqual(refs((await app.deps.list("TASK-2")).blocks), ["TASK-1"]);
  const ev = (await app.activity.list({ limit: 1 })).events[0];
  assert.equal(ev.action, "dep_added");
  assert.equal(ev.summary, 'Added dependency: TASK-1 "T1" is blocked by TASK-2 "T2"');
  assert.deepEqual(ev.actor, bot);
});

Deno.test("adding the same dependency twice is a no-op", async () => {
  const app = await setup();
  await app.deps.add("TASK-1", "TASK-2", bot);
  const before = await app.activity.cursor();
  assert.deepEqual(refs((await app.deps.add("1", "2", bot)).blocked_by), ["TASK-2"]);
  assert.equal(await app.activity.cursor(), before);
});

Deno.test("a task cannot block itself", async () => {
  const app = await setup();
  const e = await appError(async () => await app.deps.add("TASK-1", "1", bot));
  assert.equal(e.code, "invalid");
  assert.equal(e.message, "TASK-1 cannot be blocked by itself");
});

Deno.test("a dependency that would close a cycle is rejected, naming the cycle", async () => {
  const app = await setup();
  await app.deps.add("TASK-1", "TASK-2", bot);
  await app.deps.add("TASK-2", "TASK-3", bot);
  const e = await appError(async () => await app.deps.add("TASK-3", "TASK-1", bot));
  assert.equal(e.code, "invalid");
  assert.equal(
    e.message,
    "TASK-3 cannot be blocked by TASK-1: that would close a cycle (TASK-3 waits on TASK-1 waits on TASK-2 waits on TASK-3)",
  );
  assert.deepEqual(e.details?.cycle, ["TASK-3", "TASK-1", "TASK-2", "TASK-3"]);
  assert.equal((await appError(async () => await app.deps.add("TASK-2", "TASK-1", bot))).code, "invalid");
  await app.deps.add("TASK-4", "TASK-1", bot); // a diamond is not a cycle
  await app.deps.add("TASK-4", "TASK-3", bot);
});

Deno.test("dep rm removes the edge; removing a missing edge is not found", async () => {
  const app = await setup();
  await app.deps.add("TASK-1", "TASK-2", bot);
  assert.deepEqual((await app.deps.remove("TASK-1", "TASK-2", alice)).blocked_by, []);
  assert.equal(
    (await app.activity.list({ limit: 1 })).events[0].summary,
    'Removed dependency: TASK-1 "T1" is no longer blocked by TASK-2 "T2"',
  );
  const e = await appError(async () => await app.deps.remove("TASK-1", "TASK-2", alice));
  assert.equal(e.code, "not_found");
  assert.equal(e.message, "TASK-1 is not blocked by TASK-2");
  assert.equal(
    (await appError(async () => await app.deps.add("TASK-1", "TASK-99", alice))).code,
    "not_found",
  );
});

Deno.test("list --ready and --blocked follow open blockers; a done or archived blocker frees the task", async () => {
  const app = await setup(3);
  await app.deps.add("TASK-1", "TASK-2", bot);
  await app.deps.add("TASK-1", "TASK-3", bot);
  const ready = async () => refs((await app.tasks.list({ ready: true, sort: "seq" })).tasks);
  const blocked = async () => refs((await app.tasks.list({ blocked: true, sort: "seq" })).tasks);
  assert.deepEqual(await ready(), ["TASK-2", "TASK-3"]);
  assert.deepEqual(await blocked(), ["TASK-1"]);
  await app.tasks.move("TASK-2", "done", alice);
  assert.deepEqual(await blocked(), ["TASK-1"]);
  await app.tasks.archive("TASK-3", alice);
  assert.deepEqual(await ready(), ["TASK-1"]);
  assert.deepEqual(await blocked(), []);
});

Deno.test("deleting a task removes its dependency edges", async () => {
  const app = await setup(2);
  await app.deps.add("TASK-1", "TASK-2", bot);
  await app.tasks.delete("TASK-2", alice);
  assert.deepEqual((await app.deps.list("TASK-1")).blocked_by, []);
});

Deno.test("dependencies may cross projects", async () => {
  const app = await setup(1);
  await app.tasks.create({ project: "web", title: "W" }, alice);
  assert.deepEqual(refs((await app.deps.add("TASK-1", "TASK-2", bot)).blocked_by), ["TASK-2"]);
  assert.equal((await app.deps.list("TASK-1")).blocked_by[0].project?.alias, "web");
});
