import assert from "node:assert/strict";
import { alice, appError, bot, testApp } from "../helpers/app.ts";

Deno.test("project aliases are validated like the original", async () => {
  const app = await testApp();
  for (const a of ["valid", "valid-with-hyphens", "abc123"]) {
    await app.projects.create({ alias: a, name: a }, alice);
  }
  for (const a of ["UPPER", "has space", "", "-starts-with-hyphen"]) {
    assert.equal(
      (await appError(async () => await app.projects.create({ alias: a, name: "x" }, alice))).code,
      "invalid",
      a,
    );
  }
  assert.equal(
    (await appError(async () => await app.projects.create({ alias: "valid", name: "dup" }, alice))).code,
    "conflict",
  );
});

Deno.test("a bad alias's message names its problem: length, a leading hyphen, other characters", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "a".repeat(64) }, alice);
  await app.projects.create({ alias: "9-lives-" }, alice);
  const cases: [string, string][] = [
    ["a".repeat(65), "alias exceeds max length of 64 characters (got 65)"],
    ["-abc", 'alias "-abc" must start with a lowercase letter or digit'],
    ["-", 'alias "-" must start with a lowercase letter or digit'],
    ["Abc", 'alias "Abc" must be lowercase alphanumeric with optional hyphens'],
    ["-ABC", 'alias "-ABC" must be lowercase alphanumeric with optional hyphens'],
    ["has space", 'alias "has space" must be lowercase alphanumeric with optional hyphens'],
    ["a\x1bb", 'alias "a\\x1bb" must be lowercase alphanumeric with optional hyphens'],
    ["é".repeat(65), "alias exceeds max length of 64 characters (got 65)"],
  ];
  for (const [alias, message] of cases) {
    const e = await appError(async () => await app.projects.create({ alias, name: "x" }, alice));
    assert.equal(e.code, "invalid", alias);
    assert.equal(e.message, message);
  }
  assert.equal((await app.projects.list({})).length, 2);
});

Deno.test("name defaults to alias; update changes only given fields; empty name rejected", async () => {
  const app = await testApp();
  const p = await app.projects.create({ alias: "api" }, alice);
  assert.equal(p.name, "api");
  const u = await app.projects.update("api", { description: "d" }, alice);
  assert.equal(u.name, "api");
  assert.equal(u.description, "d");
  assert.equal(
    (await appError(async () => await app.projects.update("api", { name: " " }, alice))).code,
    "invalid",
  );
});

Deno.test("delete requires archive, removes everything and records the deleter", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.tasks.create(
    { project: "api", title: "t", labels: ["l"], plans: [{ title: "p", body: "b" }] },
    alice,
  );
  assert.equal((await appError(async () => await app.projects.delete("api", alice))).code, "conflict");
  await app.projects.archive("api", alice);
  assert.equal((await app.projects.list()).length, 0);
  assert.equal((await app.projects.list({ includeArchived: true })).length, 1);
  await app.projects.delete("api", bot);
  for (const t of ["tasks", "plans", "plan_versions", "labels", "task_labels"]) {
    assert.equal((await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n, 0, t);
  }
  const ev = (await app.activity.list()).events;
  assert.equal(ev.length, 1);
  assert.equal(ev[0].action, "deleted");
  assert.deepEqual(ev[0].actor, bot);
});

Deno.test("unarchive of a live project is a silent no-op", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const n = (await app.activity.list()).page.total;
  await app.projects.unarchive("api", alice);
  assert.equal((await app.activity.list()).page.total, n);
});
