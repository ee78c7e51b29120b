import assert from "node:assert/strict";
import { alice, appError, openTestApp, testApp } from "../helpers/app.ts";
import { labelNames } from "../../src/domain/models.ts";
import { effective } from "../../src/config/config.ts";

Deno.test("label changes bump the task version, so a stale label write is a conflict", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t", labels: ["a"] }, alice);
  assert.equal(t.version, 1, "labels given at create do not bump the version");
  await app.labels.attach(t.ref, "b", alice, { expectVersion: 1 });
  assert.equal((await app.tasks.getTask(t.ref)).version, 2);
  assert.equal(
    (await appError(async () => await app.labels.attach(t.ref, "c", alice, { expectVersion: 1 }))).code,
    "conflict",
  );
  await app.labels.attach(t.ref, "b", alice);
  assert.equal((await app.tasks.getTask(t.ref)).version, 2, "a no-op attach changes nothing");
  await app.labels.set(t.ref, ["b", "z"], alice);
  const after = await app.tasks.getTask(t.ref);
  assert.deepEqual(labelNames(after), ["b", "z"]);
  assert.equal(after.version, 3, "one bump for the whole set");
  await app.labels.detach(t.ref, "z", alice);
  assert.equal((await app.tasks.getTask(t.ref)).version, 4);
});

Deno.test("an empty update is rejected and writes nothing", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  assert.equal((await appError(async () => await app.tasks.update(t.ref, {}, alice))).code, "invalid");
  assert.equal((await app.tasks.getTask(t.ref)).version, 1);
});

Deno.test("a due date must be whole nanoseconds", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  for (const due of ["abc", -1, 1.5, 1e300]) {
    assert.equal(
      (await appError(async () =>
        await app.tasks.create({ project: "api", title: "t", due_at: due as number }, alice)
      ))
        .code,
      "invalid",
    );
  }
  assert.equal((await app.tasks.list()).page.total, 0);
});

Deno.test("a claim is held by kind and name: ai:bob cannot take over human:bob's claim", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  await app.claims.claim(t.ref, {}, { kind: "human", name: "bob" });
  assert.equal(
    (await appError(async () => await app.claims.claim(t.ref, {}, { kind: "ai", name: "bob" }))).code,
    "conflict",
  );
  assert.equal(
    (await appError(async () => await app.claims.release(t.ref, {}, { kind: "ai", name: "bob" }))).code,
    "conflict",
  );
  await app.claims.release(t.ref, {}, { kind: "human", name: "bob" });
});

Deno.test("task list --ready counts lease-expired tasks the way next does", async () => {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  await app.claims.claim(t.ref, { lease: 60e9 }, alice);
  assert.equal((await app.tasks.list({ ready: true })).page.total, 0);
  now += 120e9;
  assert.equal((await app.tasks.list({ ready: true })).page.total, 1);
  assert.equal((await app.claims.next({}, { kind: "ai", name: "x" })).task?.id, t.id);
});

Deno.test("config defaults are validated and name the setting", async () => {
  assert.equal(effective({ defaults: { priority: "P2" as unknown as number } }, {}).priority, 2);
  assert.match(
    (await appError(() => effective({ defaults: { priority: 9 } }, {}))).message,
    /config defaults\.priority/,
  );
  assert.match(
    (await appError(() => effective({}, { defaults: { status: "blocked" } }))).message,
    /config defaults\.status/,
  );
  assert.equal(effective({ output: { default_format: " JSON " } }, {}).format, "json");
  assert.equal(effective({}, { output: { default_format: "table" } }).format, "table");
  assert.equal(
    (await appError(() => effective({}, { output: { default_format: "yaml" } }))).message,
    'config output.default_format: invalid format "yaml" (valid: table, json)',
  );
});

Deno.test("TASK-N numbers are never reused after a delete", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.tasks.create({ project: "api", title: "a" }, alice);
  const b = await app.tasks.create({ project: "api", title: "b" }, alice);
  await app.tasks.delete(b.ref, alice);
  assert.equal((await app.tasks.create({ project: "api", title: "c" }, alice)).ref, "TASK-3");
});

Deno.test("a live claim protects status, archive and delete from other actors; field edits stay open", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  const agent = { kind: "ai" as const, name: "agent" };
  const c = await app.claims.claim(t.ref, {}, agent);
  for (
    const fn of [
      async () => await app.tasks.move(t.ref, "done", alice),
      async () => await app.tasks.archive(t.ref, alice),
      async () => await app.tasks.delete(t.ref, alice),
    ]
  ) {
    const e = await appError(fn);
    assert.equal(e.code, "conflict");
    assert.match(e.message, /claimed by ai:agent/);
  }
  assert.equal((await app.tasks.update(t.ref, { priority: 1 }, alice)).priority, 1);
  assert.equal((await app.tasks.move(t.ref, "done", alice, { claimToken: c.token })).status, "done");
});

Deno.test("deleting a label bumps the version of every task that carried it", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const a = await app.tasks.create({ project: "api", title: "a", labels: ["x"] }, alice);
  const b = await app.tasks.create({ project: "api", title: "b" }, alice);
  await app.labels.delete("api", "x", alice);
  assert.equal((await app.tasks.getTask(a.ref)).version, 2);
  assert.equal((await app.tasks.getTask(b.ref)).version, 1);
});

Deno.test("renewing without a lease never shortens a longer lease", async () => {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const t = await app.tasks.create({ project: "api", title: "t" }, alice);
  const c = await app.claims.claim(t.ref, { lease: 2 * 3600e9 }, alice);
  const r = await app.claims.renew(t.ref, {}, alice);
  assert.ok(r.lease_expires_at >= c.lease_expires_at);
  const shorter = await app.claims.renew(t.ref, { lease: 60e9 }, alice);
  assert.ok(shorter.lease_expires_at < c.lease_expires_at, "an explicit --lease is honoured");
});
