import assert from "node:assert/strict";
import { alice, bot, testApp } from "../helpers/app.ts";
import type { AppError } from "../../src/domain/errors.ts";

function setup() {
  const app = testApp();
  app.projects.create({ alias: "api", name: "API" }, alice);
  const t = app.tasks.create({ project: "api", title: "t" }, alice);
  return { app, t };
}

const err = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
};

Deno.test("plan versions: partial updates copy what is not given; old versions stay readable", () => {
  const { app, t } = setup();
  const p = app.plans.create({ task_id: t.ref, title: "Plan", body: "v1" }, alice);
  app.plans.update(p.id, { body: "v2" }, bot);
  app.plans.update(p.id.slice(0, 8), { title: "Plan B" }, alice);
  const v4 = app.plans.update(p.id, { change_note: "reviewed" }, alice);
  assert.equal(v4.current_version, 4);
  assert.equal(v4.version?.title, "Plan B");
  assert.equal(v4.version?.body, "v2");
  assert.equal(app.plans.get(p.id, 1).version?.body, "v1");
  assert.deepEqual(app.plans.history(p.id).map((v) => v.version), [1, 2, 3, 4]);
  assert.equal(err(() => app.plans.get(p.id, 9)).code, "not_found");
  assert.equal(err(() => app.plans.update(p.id, {}, alice)).code, "invalid");
  app.plans.delete(p.id, alice);
  assert.equal(app.plans.list(t.ref).length, 0);
});

Deno.test("plan on a missing task is not found and writes nothing", () => {
  const { app } = setup();
  assert.equal(
    err(() => app.plans.create({ task_id: "TASK-9", title: "x", body: "y" }, alice)).code,
    "not_found",
  );
  assert.equal(app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM plans")!.n, 0);
});

Deno.test("labels: idempotent create updates colour, attach auto-creates, detach and delete", () => {
  const { app, t } = setup();
  app.labels.create("api", "bug", "#f00", alice);
  assert.equal(app.labels.create("api", "bug", "#0f0", alice).color, "#0f0");
  app.labels.attach(t.ref, "new", alice);
  const attached = app.tasks.getTask(t.ref).labels;
  assert.deepEqual(attached, [app.labels.list("api").find((l) => l.name === "new")]);
  assert.deepEqual(Object.keys(attached![0]), ["id", "project_id", "name"], "no colour: the key is omitted");
  app.labels.detach(t.ref, "new", alice);
  assert.equal(app.tasks.getTask(t.ref).labels, undefined);
  assert.equal(err(() => app.labels.detach(t.ref, "ghost", alice)).code, "not_found");
  app.labels.attach(t.ref, "bug", alice);
  app.labels.delete("api", "bug", alice);
  assert.equal(app.tasks.getTask(t.ref).labels, undefined);
  assert.deepEqual(app.labels.list("api").map((l) => l.name), ["new"]);
});

Deno.test("comments: add, list oldest first, delete by prefix, empty body rejected", () => {
  const { app, t } = setup();
  const a = app.comments.add(t.ref, "first", alice);
  app.comments.add(t.ref, "second", bot);
  assert.deepEqual(app.comments.list(t.ref).map((c) => c.body), ["first", "second"]);
  assert.deepEqual(app.comments.list(t.ref, 1).map((c) => c.body), ["second"]);
  app.comments.delete(a.id.slice(0, 10), bot);
  assert.equal(app.comments.list(t.ref).length, 1);
  assert.equal(err(() => app.comments.add(t.ref, " ", alice)).code, "invalid");
});
