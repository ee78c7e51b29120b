import assert from "node:assert/strict";
import { openApp } from "../../src/app.ts";
import { type ChangeEvent, ChangeFeed, changes } from "../../src/services/events.ts";
import { alice, bot, fixedClock, sqliteOnly, testApp } from "../helpers/app.ts";

async function tempDb(): Promise<{ path: string; dir: string }> {
  const dir = await Deno.makeTempDir();
  return { dir, path: `${dir}/backlog.db` };
}

Deno.test("the feed delivers this connection's own writes after poke()", async () => {
  const app = await testApp();
  const feed = new ChangeFeed(app.db);
  const got: ChangeEvent[] = [];
  const stop = await feed.subscribe((e) => got.push(e));
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.tasks.create({ project: "api", title: "x" }, alice);
  feed.poke();
  await feed.poll();
  assert.deepEqual(got.map((e) => `${e.entity} ${e.action}`), ["project created", "task created"]);
  assert.ok(got[0].seq < got[1].seq);
  await feed.poll();
  assert.equal(got.length, 2, "nothing is delivered twice");
  stop();
  feed.close();
  await app.close();
});

Deno.test({
  name: "[sqlite] the feed sees commits of another connection through data_version",
  ignore: sqliteOnly,
}, async () => {
  const { dir, path } = await tempDb();
  const reader = await openApp({ dbPath: path, clock: fixedClock() });
  const writer = await openApp({ dbPath: path, clock: fixedClock(Date.UTC(2026, 0, 2)) });
  const feed = new ChangeFeed(reader.db);
  const got: ChangeEvent[] = [];
  const stop = await feed.subscribe((e) => got.push(e));
  await writer.projects.create({ alias: "api", name: "API" }, bot);
  assert.equal((await feed.poll()).length, 1, "no poke needed for another connection's commit");
  assert.deepEqual(got[0].actor, bot);
  stop();
  await reader.close();
  await writer.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("subscribers filter by project and can replay from a log position", async () => {
  const app = await testApp();
  const feed = new ChangeFeed(app.db);
  const api = await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  const start = await feed.position();
  await app.tasks.create({ project: "api", title: "a" }, alice);
  await app.tasks.create({ project: "web", title: "w" }, alice);
  const only: ChangeEvent[] = [];
  const replayed: ChangeEvent[] = [];
  const s1 = await feed.subscribe((e) => only.push(e), { projectId: api.id });
  const s2 = await feed.subscribe((e) => replayed.push(e), { after: start });
  assert.deepEqual(replayed.map((e) => e.summary), [
    'Created task "a" (TASK-1)',
    'Created task "w" (TASK-2)',
  ]);
  await app.tasks.create({ project: "api", title: "b" }, alice);
  await app.tasks.create({ project: "web", title: "v" }, alice);
  feed.poke();
  await feed.poll();
  assert.deepEqual(only.map((e) => e.summary), ['Created task "b" (TASK-3)']);
  assert.equal(replayed.length, 4);
  s1();
  s2();
  await app.close();
});

// On SQLite the deleted rows' rowids are handed out again; on PostgreSQL seq only grows.
Deno.test("events after a project delete (which purges the end of the log) are not lost", async () => {
  const app = await testApp();
  const feed = new ChangeFeed(app.db);
  const got: ChangeEvent[] = [];
  const stop = await feed.subscribe((e) => got.push(e));
  await app.projects.create({ alias: "keep", name: "Keep" }, alice);
  await app.projects.create({ alias: "gone", name: "Gone" }, alice);
  await app.tasks.create({ project: "gone", title: "t1" }, alice);
  await app.tasks.create({ project: "gone", title: "t2" }, alice);
  feed.poke();
  await feed.poll();
  got.length = 0;
  await app.projects.archive("gone", alice);
  await app.projects.delete("gone", alice); // purges the project's rows at the end of the log
  await app.tasks.create({ project: "keep", title: "after" }, alice);
  feed.poke();
  await feed.poll();
  // A feed that hears each commit at once (PostgreSQL's NOTIFY) may deliver the archive before the
  // delete purges it; a polling one (SQLite) never sees the purged row. Nothing after it is lost.
  const seen = got.map((e) => `${e.entity} ${e.action}`).filter((e) => e !== "project archived");
  assert.deepEqual(seen, ["project deleted", "task created"]);
  stop();
  await app.close();
});

Deno.test("changes() yields events until the signal aborts", async () => {
  const app = await testApp();
  const feed = new ChangeFeed(app.db, { intervalMs: 20 });
  const ac = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    for await (const e of changes(feed, { signal: ac.signal })) {
      seen.push(e.summary);
      if (seen.length === 2) ac.abort();
    }
  })();
  await feed.position(); // reads of the log run in order: the subscription above is in place
  await app.projects.create({ alias: "api", name: "API" }, alice);
  feed.poke();
  await new Promise((r) => setTimeout(r, 60));
  await app.tasks.create({ project: "api", title: "x" }, alice);
  feed.poke();
  const timer = setTimeout(() => ac.abort(), 5000); // a broken feed fails the assertion, not hangs
  await done;
  clearTimeout(timer);
  assert.deepEqual(seen, ['Created project "API" (api)', 'Created task "x" (TASK-1)']);
  await app.close();
});
