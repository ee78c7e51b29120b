import assert from "node:assert/strict";
import { alice, bot, testApp } from "../helpers/app.ts";
import type { AppError } from "../../src/domain/errors.ts";

const err = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
};

Deno.test("project aliases are validated like the original", () => {
  const app = testApp();
  for (const a of ["valid", "valid-with-hyphens", "abc123"]) {
    app.projects.create({ alias: a, name: a }, alice);
  }
  for (const a of ["UPPER", "has space", "", "-starts-with-hyphen"]) {
    assert.equal(err(() => app.projects.create({ alias: a, name: "x" }, alice)).code, "invalid", a);
  }
  assert.equal(err(() => app.projects.create({ alias: "valid", name: "dup" }, alice)).code, "conflict");
});

Deno.test("name defaults to alias; update changes only given fields; empty name rejected", () => {
  const app = testApp();
  const p = app.projects.create({ alias: "api" }, alice);
  assert.equal(p.name, "api");
  const u = app.projects.update("api", { description: "d" }, alice);
  assert.equal(u.name, "api");
  assert.equal(u.description, "d");
  assert.equal(err(() => app.projects.update("api", { name: " " }, alice)).code, "invalid");
});

Deno.test("delete requires archive, removes everything and records the deleter", () => {
  const app = testApp();
  app.projects.create({ alias: "api", name: "API" }, alice);
  app.tasks.create({ project: "api", title: "t", labels: ["l"], plans: [{ title: "p", body: "b" }] }, alice);
  assert.equal(err(() => app.projects.delete("api", alice)).code, "conflict");
  app.projects.archive("api", alice);
  assert.equal(app.projects.list().length, 0);
  assert.equal(app.projects.list({ includeArchived: true }).length, 1);
  app.projects.delete("api", bot);
  for (const t of ["tasks", "plans", "plan_versions", "labels", "task_labels"]) {
    assert.equal(app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`)!.n, 0, t);
  }
  const ev = app.activity.list().events;
  assert.equal(ev.length, 1);
  assert.equal(ev[0].action, "deleted");
  assert.deepEqual(ev[0].actor, bot);
});

Deno.test("unarchive of a live project is a silent no-op", () => {
  const app = testApp();
  app.projects.create({ alias: "api", name: "API" }, alice);
  const n = app.activity.list().page.total;
  app.projects.unarchive("api", alice);
  assert.equal(app.activity.list().page.total, n);
});
