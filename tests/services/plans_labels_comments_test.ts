import assert from "node:assert/strict";
import { alice, appError, bot, testApp } from "../helpers/app.ts";

async function setup() {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  return { app, t };
}

Deno.test("plan versions: partial updates copy what is not given; old versions stay readable", async () => {
  const { app, t } = await setup();
  const p = await app.plans.create({ task_id: t.ref, title: "Plan", body: "v1" }, alice);
  await app.plans.update(p.id, { body: "v2" }, bot);
  await app.plans.update(p.id.slice(0, 8), { title: "Plan B" }, alice);
  const v4 = await app.plans.update(p.id, { change_note: "reviewed" }, alice);
  assert.equal(v4.current_version, 4);
  assert.equal(v4.version?.title, "Plan B");
  assert.equal(v4.version?.body, "v2");
  assert.equal((await app.plans.get(p.id, 1)).version?.body, "v1");
  assert.deepEqual((await app.plans.history(p.id)).map((v) => v.version), [1, 2, 3, 4]);
  assert.equal((await appError(async () => await app.plans.get(p.id, 9))).code, "not_found");
  assert.equal((await appError(async () => await app.plans.update(p.id, {}, alice))).code, "invalid");
  await app.plans.delete(p.id, alice);
  assert.equal((await app.plans.list(t.ref)).length, 0);
});

Deno.test("plan on a missing task is not found and writes nothing", async () => {
  const { app } = await setup();
  assert.equal(
    (await appError(async () => await app.plans.create({ task_id: "TASK-9", title: "x", body: "y" }, alice)))
      .code,
    "not_found",
  );
  assert.equal((await app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM plans"))!.n, 0);
});

Deno.test("labels: idempotent create updates colour, attach auto-creates, detach and delete", async () => {
  const { app, t } = await setup();
  await app.labels.create("api", "bug", "#f00", alice);
  assert.equal((await app.labels.create("api", "bug", "#0f0", alice)).color, "#0f0");
  await app.labels.attach(t.ref, "new", alice);
  const attached = (await app.tasks.getTask(t.ref)).labels;
  assert.deepEqual(attached, [(await app.labels.list("api")).find((l) => l.name === "new")]);
  assert.deepEqual(Object.keys(attached![0]), ["id", "project_id", "name"], "no colour: the key is omitted");
  await app.labels.detach(t.ref, "new", alice);
  assert.equal((await app.tasks.getTask(t.ref)).labels, undefined);
  assert.equal(
    (await appError(async () => await app.labels.detach(t.ref, "ghost", alice))).code,
    "not_found",
  );
  await app.labels.attach(t.ref, "bug", alice);
  await app.labels.delete("api", "bug", alice);
  assert.equal((await app.tasks.getTask(t.ref)).labels, undefined);
  assert.deepEqual((await app.labels.list("api")).map((l) => l.name), ["new"]);
});

Deno.test("comments: add, list oldest first, delete by prefix, empty body rejected", async () => {
  const { app, t } = await setup();
  const a = await app.comments.add(t.ref, "first", alice);
  await app.comments.add(t.ref, "second", bot);
  assert.deepEqual((await app.comments.list(t.ref)).map((c) => c.body), ["first", "second"]);
  assert.deepEqual((await app.comments.list(t.ref, 1)).map((c) => c.body), ["second"]);
  await app.comments.delete(a.id.slice(0, 10), bot);
  assert.equal((await app.comments.list(t.ref)).length, 1);
  assert.equal((await appError(async () => await app.comments.add(t.ref, " ", alice))).code, "invalid");
});
