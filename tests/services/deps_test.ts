import assert from "node:assert/strict";
import { AppError } from "../../src/domain/errors.ts";
import { alice, bot, testApp } from "../helpers/app.ts";

function setup(n = 4) {
  const app = testApp();
  app.projects.create({ alias: "api", name: "API" }, alice);
  app.projects.create({ alias: "web", name: "Web" }, alice);
  for (let i = 1; i <= n; i++) app.tasks.create({ project: "api", title: `T${i}` }, alice);
  return app;
}

function err(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError, `expected AppError, got ${e}`);
    return e;
  }
  throw new Error("expected an error");
}

const refs = (ts: { ref: string }[]) => ts.map((t) => t.ref);

Deno.test("dep add records the edge both ways and logs it on the waiting task", () => {
  const app = setup();
  const r = app.deps.add("TASK-1", "TASK-2", bot);
  assert.deepEqual(refs(r.blocked_by), ["TASK-2"]);
  assert.deepEqual(refs(r.blocks), []);
  assert.deepEqual(refs(app.deps.list("TASK-2").blocks), ["TASK-1"]);
  const ev = app.activity.list({ limit: 1 }).events[0];
  assert.equal(ev.action, "dep_added");
  assert.equal(ev.summary, 'Added dependency: TASK-1 "T1" is blocked by TASK-2 "T2"');
  assert.deepEqual(ev.actor, bot);
});

Deno.test("adding the same dependency twice is a no-op", () => {
  const app = setup();
  app.deps.add("TASK-1", "TASK-2", bot);
  const before = app.activity.cursor();
  assert.deepEqual(refs(app.deps.add("1", "2", bot).blocked_by), ["TASK-2"]);
  assert.equal(app.activity.cursor(), before);
});

Deno.test("a task cannot block itself", () => {
  const app = setup();
  const e = err(() => app.deps.add("TASK-1", "1", bot));
  assert.equal(e.code, "invalid");
  assert.equal(e.message, "TASK-1 cannot be blocked by itself");
});

Deno.test("a dependency that would close a cycle is rejected, naming the cycle", () => {
  const app = setup();
  app.deps.add("TASK-1", "TASK-2", bot);
  app.deps.add("TASK-2", "TASK-3", bot);
  const e = err(() => app.deps.add("TASK-3", "TASK-1", bot));
  assert.equal(e.code, "invalid");
  assert.equal(
    e.message,
    "TASK-3 cannot be blocked by TASK-1: that would close a cycle (TASK-3 waits on TASK-1 waits on TASK-2 waits on TASK-3)",
  );
  assert.deepEqual(e.details?.cycle, ["TASK-3", "TASK-1", "TASK-2", "TASK-3"]);
  assert.equal(err(() => app.deps.add("TASK-2", "TASK-1", bot)).code, "invalid");
  app.deps.add("TASK-4", "TASK-1", bot); // a diamond is not a cycle
  app.deps.add("TASK-4", "TASK-3", bot);
});

Deno.test("dep rm removes the edge; removing a missing edge is not found", () => {
  const app = setup();
  app.deps.add("TASK-1", "TASK-2", bot);
  assert.deepEqual(app.deps.remove("TASK-1", "TASK-2", alice).blocked_by, []);
  assert.equal(
    app.activity.list({ limit: 1 }).events[0].summary,
    'Removed dependency: TASK-1 "T1" is no longer blocked by TASK-2 "T2"',
  );
  const e = err(() => app.deps.remove("TASK-1", "TASK-2", alice));
  assert.equal(e.code, "not_found");
  assert.equal(e.message, "TASK-1 is not blocked by TASK-2");
  assert.equal(err(() => app.deps.add("TASK-1", "TASK-99", alice)).code, "not_found");
});

Deno.test("list --ready and --blocked follow open blockers; a done or archived blocker frees the task", () => {
  const app = setup(3);
  app.deps.add("TASK-1", "TASK-2", bot);
  app.deps.add("TASK-1", "TASK-3", bot);
  const ready = () => refs(app.tasks.list({ ready: true, sort: "seq" }).tasks);
  const blocked = () => refs(app.tasks.list({ blocked: true, sort: "seq" }).tasks);
  assert.deepEqual(ready(), ["TASK-2", "TASK-3"]);
  assert.deepEqual(blocked(), ["TASK-1"]);
  app.tasks.move("TASK-2", "done", alice);
  assert.deepEqual(blocked(), ["TASK-1"]);
  app.tasks.archive("TASK-3", alice);
  assert.deepEqual(ready(), ["TASK-1"]);
  assert.deepEqual(blocked(), []);
});

Deno.test("deleting a task removes its dependency edges", () => {
  const app = setup(2);
  app.deps.add("TASK-1", "TASK-2", bot);
  app.tasks.delete("TASK-2", alice);
  assert.deepEqual(app.deps.list("TASK-1").blocked_by, []);
});

Deno.test("dependencies may cross projects", () => {
  const app = setup(1);
  app.tasks.create({ project: "web", title: "W" }, alice);
  assert.deepEqual(refs(app.deps.add("TASK-1", "TASK-2", bot).blocked_by), ["TASK-2"]);
  assert.equal(app.deps.list("TASK-1").blocked_by[0].project?.alias, "web");
});
