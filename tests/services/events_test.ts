import assert from "node:assert/strict";
import { openApp } from "../../src/app.ts";
import { type ChangeEvent, ChangeFeed, changes } from "../../src/services/events.ts";
import { alice, bot, fixedClock, testApp } from "../helpers/app.ts";

async function tempDb(): Promise<{ path: string; dir: string }> {
  const dir = await Deno.makeTempDir();
  return { dir, path: `${dir}/backlog.db` };
}

Deno.test("the feed delivers this connection's own writes after poke()", () => {
  const app = testApp();
  const feed = new ChangeFeed(app.db);
  const got: ChangeEvent[] = [];
  const stop = feed.subscribe((e) => got.push(e));
  app.projects.create({ alias: "api", name: "API" }, alice);
  app.tasks.create({ project: "api", title: "x" }, alice);
  feed.poke();
  feed.poll();
  assert.deepEqual(got.map((e) => `${e.entity} ${e.action}`), ["project created", "task created"]);
  assert.ok(got[0].seq < got[1].seq);
  feed.poll();
  assert.equal(got.length, 2, "nothing is delivered twice");
  stop();
  feed.close();
  app.close();
});

Deno.test("the feed sees commits of another connection through data_version", async () => {
  const { dir, path } = await tempDb();
  const reader = openApp({ dbPath: path, clock: fixedClock() });
  const writer = openApp({ dbPath: path, clock: fixedClock(Date.UTC(2026, 0, 2)) });
  const feed = new ChangeFeed(reader.db);
  const got: ChangeEvent[] = [];
  const stop = feed.subscribe((e) => got.push(e));
  writer.projects.create({ alias: "api", name: "API" }, bot);
  assert.equal(feed.poll().length, 1, "no poke needed for another connection's commit");
  assert.deepEqual(got[0].actor, bot);
  stop();
  reader.close();
  writer.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("subscribers filter by project and can replay from a log position", () => {
  const app = testApp();
  const feed = new ChangeFeed(app.db);
  const api = app.projects.create({ alias: "api", name: "API" }, alice);
  app.projects.create({ alias: "web", name: "Web" }, alice);
  const start = feed.cursor;
  app.tasks.create({ project: "api", title: "a" }, alice);
  app.tasks.create({ project: "web", title: "w" }, alice);
  const only: ChangeEvent[] = [];
  const replayed: ChangeEvent[] = [];
  const s1 = feed.subscribe((e) => only.push(e), { projectId: api.id });
  const s2 = feed.subscribe((e) => replayed.push(e), { after: start });
  assert.deepEqual(replayed.map((e) => e.summary), [
    'Created task "a" (TASK-1)',
    'Created task "w" (TASK-2)',
  ]);
  app.tasks.create({ project: "api", title: "b" }, alice);
  app.tasks.create({ project: "web", title: "v" }, alice);
  feed.poke();
  feed.poll();
  assert.deepEqual(only.map((e) => e.summary), ['Created task "b" (TASK-3)']);
  assert.equal(replayed.length, 4);
  s1();
  s2();
  app.close();
});

Deno.test("events after a project delete are not lost although SQLite reuses the deleted rowids", () => {
  const app = testApp();
  const feed = new ChangeFeed(app.db);
  const got: ChangeEvent[] = [];
  const stop = feed.subscribe((e) => got.push(e));
  app.projects.create({ alias: "keep", name: "Keep" }, alice);
  app.projects.create({ alias: "gone", name: "Gone" }, alice);
  app.tasks.create({ project: "gone", title: "t1" }, alice);
  app.tasks.create({ project: "gone", title: "t2" }, alice);
  feed.poke();
  feed.poll();
  got.length = 0;
  app.projects.archive("gone", alice);
  app.projects.delete("gone", alice); // purges the project's rows at the end of the log
  app.tasks.create({ project: "keep", title: "after" }, alice);
  feed.poke();
  feed.poll();
  assert.deepEqual(got.map((e) => `${e.entity} ${e.action}`), ["project deleted", "task created"]);
  stop();
  app.close();
});

Deno.test("changes() yields events until the signal aborts", async () => {
  const app = testApp();
  const feed = new ChangeFeed(app.db, { intervalMs: 20 });
  const ac = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    for await (const e of changes(feed, { signal: ac.signal })) {
      seen.push(e.summary);
      if (seen.length === 2) ac.abort();
    }
  })();
  app.projects.create({ alias: "api", name: "API" }, alice);
  feed.poke();
  await new Promise((r) => setTimeout(r, 60));
  app.tasks.create({ project: "api", title: "x" }, alice);
  feed.poke();
  await done;
  assert.deepEqual(seen, ['Created project "API" (api)', 'Created task "x" (TASK-1)']);
  app.close();
});
