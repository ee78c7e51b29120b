import assert from "node:assert/strict";
import { alice, appError, bot, testApp } from "../helpers/app.ts";
import { type AppError, toAppError } from "../../src/domain/errors.ts";
import type { TaskType } from "../../src/domain/enums.ts";

async function setup() {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  return app;
}

const count = async (app: Awaited<ReturnType<typeof setup>>, table: string) =>
  (await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

Deno.test("create assigns workspace-global TASK-N, labels, plans and activity in one go", async () => {
  const app = await setup();
  const a = await app.tasks.create({
    project: "api",
    title: "A",
    labels: ["x", "y", "x"],
    plans: [{ title: "P", body: "B" }],
  }, bot);
  const b = await app.tasks.create({ project: "web", title: "B" }, alice);
  assert.equal(a.ref, "TASK-1");
  assert.equal(b.ref, "TASK-2");
  assert.deepEqual(a.labels?.map((l) => [l.name, l.project_id]), [["x", a.project_id], ["y", a.project_id]]);
  assert.deepEqual(a.actor, bot);
  assert.equal((await app.tasks.show("1")).plans?.[0].version?.title, "P");
  const actions = (await app.activity.list({ project: "api" })).events.map((e) => `${e.entity}:${e.action}`);
  assert.deepEqual(
    actions.sort(),
    [
      "label:attached",
      "label:attached",
      "label:created",
      "label:created",
      "plan:created",
      "project:created",
      "task:created",
    ].sort(),
  );
});

Deno.test("bad input is rejected before anything is written", async () => {
  const app = await setup();
  const before = await count(app, "tasks") + await count(app, "activity_log");
  assert.equal(
    (await appError(async () => await app.tasks.create({ project: "api", title: "  " }, alice))).message,
    "title is required",
  );
  assert.equal(
    (await appError(async () => await app.tasks.create({ project: "api", title: "x".repeat(256) }, alice)))
      .code,
    "invalid",
  );
  assert.equal(
    (await appError(async () =>
      await app.tasks.create({ project: "api", title: "t", type: "epic" as TaskType }, alice)
    ))
      .code,
    "invalid",
  );
  assert.equal(
    (await appError(async () => await app.tasks.create({ project: "nope", title: "t" }, alice))).code,
    "not_found",
  );
  assert.equal(
    (await appError(async () =>
      await app.tasks.create({ project: "api", title: "t", plans: [{ title: "p", body: "" }] }, alice)
    ))
      .code,
    "invalid",
  );
  assert.equal(await count(app, "tasks") + await count(app, "activity_log"), before);
});

Deno.test("completed_at is set on create-as-done and on done, cleared on reopen", async () => {
  const app = await setup();
  const t = await app.tasks.create({ project: "api", title: "done already", status: "done" }, alice);
  assert.ok(t.completed_at);
  const re = await app.tasks.move(t.ref, "todo", alice);
  assert.equal(re.completed_at, undefined);
  const d = await app.tasks.move(t.ref, "done", alice);
  assert.ok(d.completed_at);
  const ev = (await app.activity.list({ entity_id: t.id })).events.map((e) => e.summary);
  assert.ok(ev.includes('Changed status of TASK-1 "done already" from done to todo'));
});

Deno.test("update writes only the given fields and bumps the version; an empty title is rejected", async () => {
  const app = await setup();
  const t = await app.tasks.create({ project: "api", title: "t", assignee: "bob", description: "d" }, alice);
  const u = await app.tasks.update(t.ref, { assignee: "", priority: "P2" }, alice);
  assert.equal(u.assignee, undefined);
  assert.equal(u.priority, 2);
  assert.equal(u.description, "d");
  assert.equal(u.version, 2);
  assert.equal(
    (await appError(async () => await app.tasks.update(t.ref, { title: "" }, alice))).code,
    "invalid",
  );
});

Deno.test("a stale expected version is a conflict carrying the current task", async () => {
  const app = await setup();
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  await app.tasks.update(t.ref, { title: "t2" }, bot, { expectVersion: 1 });
  const e = await appError(async () =>
    await app.tasks.update(t.ref, { title: "t3" }, alice, { expectVersion: 1 })
  );
  assert.equal(e.code, "conflict");
  assert.equal((e.details?.current as { title: string }).title, "t2");
  assert.equal((await app.tasks.getTask(t.ref)).title, "t2");
});

Deno.test("refs resolve by TASK-N, number, full ULID and unique prefix", async () => {
  const app = await setup();
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  for (const r of ["TASK-1", "task-1", "1", t.id, t.id.toLowerCase(), t.id.slice(0, 8)]) {
    assert.equal((await app.tasks.getTask(r)).id, t.id, r);
  }
  assert.equal(
    (await appError(async () => await app.tasks.getTask("TASK-99"))).message,
    "task TASK-99 not found",
  );
  assert.equal((await appError(async () => await app.tasks.getTask("0000ZZZZ"))).code, "not_found");
});

Deno.test("list: filters AND together, labels are scoped, totals count the search", async () => {
  const app = await setup();
  for (let i = 0; i < 5; i++) {
    await app.tasks.create({ project: "api", title: `login bug ${i}`, type: "bug", labels: ["auth"] }, alice);
  }
  for (let i = 0; i < 3; i++) {
    await app.tasks.create({ project: "web", title: `other ${i}`, labels: ["auth"] }, alice);
  }
  await app.tasks.create({ project: "api", title: "login feature", type: "feature" }, alice);
  const r = await app.tasks.list({ search: "login", limit: 2 });
  assert.equal(r.page.total, 6);
  assert.equal(r.page.count, 2);
  assert.equal(r.page.has_more, true);
  assert.equal((await app.tasks.list({ project: "api", labels: ["auth"] })).page.total, 5);
  assert.equal((await app.tasks.list({ type: ["bug", "feature"], project: "api" })).page.total, 6);
  assert.equal(
    (await app.tasks.list({ search: "TASK-1", project: "web" })).page.total,
    0,
    "a TASK-N search respects other filters",
  );
  assert.equal((await app.tasks.list({ limit: 0 })).tasks.length, 9);
  assert.deepEqual((await app.tasks.list({ project: "web", labels: ["nope"] })).tasks, []);
});

Deno.test("list sorts by priority then newest, and by other keys either way", async () => {
  const app = await setup();
  await app.tasks.create({ project: "api", title: "b", priority: 3 }, alice);
  await app.tasks.create({ project: "api", title: "a", priority: 1 }, alice);
  await app.tasks.create({ project: "api", title: "c", priority: 3 }, alice);
  assert.deepEqual((await app.tasks.list()).tasks.map((t) => t.title), ["a", "c", "b"]);
  assert.deepEqual((await app.tasks.list({ sort: "title", order: "desc" })).tasks.map((t) => t.title), [
    "c",
    "b",
    "a",
  ]);
  assert.deepEqual((await app.tasks.list({ sort: "seq" })).tasks.map((t) => t.seq), [1, 2, 3]);
});

Deno.test("a malformed FTS query is an invalid-input error", async () => {
  const app = await setup();
  await app.tasks.create({ project: "api", title: "t" }, alice);
  let e: AppError | undefined;
  try {
    await app.tasks.list({ search: '"unterminated' });
  } catch (x) {
    e = x as AppError;
  }
  assert.equal(toAppError(e).code, "invalid");
});

Deno.test("search: a colon outside a column filter is text, CJK ends are prefixes, no word is no filter", async () => {
  const app = await setup();
  await app.tasks.create({ project: "api", title: "TODO: fix the parser" }, alice);
  await app.tasks.create({ project: "api", title: "see http://example.com for details" }, alice);
  await app.tasks.create({ project: "api", title: "中文タイトル" }, alice);
  const titles = async (search: string) => (await app.tasks.list({ search })).tasks.map((t) => t.title);
  assert.deepEqual(await titles("TODO: fix"), ["TODO: fix the parser"]);
  assert.deepEqual(await titles("http://example.com"), ["see http://example.com for details"]);
  assert.deepEqual(await titles("title:todo"), ["TODO: fix the parser"]);
  assert.deepEqual(await titles("description:todo"), []);
  assert.deepEqual(await titles("中文"), ["中文タイトル"]);
  for (const none of ["", " ", "-", '""', "?!"]) {
    assert.equal((await app.tasks.list({ search: none })).page.total, 3, none);
  }
  for (const bad of ["title:", "*", "(a", "nope:x title:y"]) {
    assert.equal((await appError(async () => await app.tasks.list({ search: bad }))).code, "invalid", bad);
  }
});

Deno.test("archive hides a task from lists; unarchive and delete work and are logged", async () => {
  const app = await setup();
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  await app.tasks.archive(t.ref, alice);
  assert.equal((await app.tasks.list()).page.total, 0);
  assert.equal((await app.tasks.list({ include_archived: true })).page.total, 1);
  assert.equal((await app.tasks.list({ archived_only: true })).page.total, 1);
  await app.tasks.unarchive(t.ref, alice);
  assert.equal((await app.tasks.list()).page.total, 1);
  await app.tasks.delete(t.ref, bot);
  const del = (await app.activity.list({ entity_id: t.id })).events[0];
  assert.equal(del.action, "deleted");
  assert.deepEqual(del.actor, bot, "the deleter is the actor of a delete");
});
