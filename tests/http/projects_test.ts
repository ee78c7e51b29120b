import assert from "node:assert/strict";
import { httpTest } from "./client.ts";

Deno.test("projects: create, list, show, update, archive, unarchive, delete", async () => {
  const t = await httpTest();
  let r = await t.get("/api/projects");
  assert.deepEqual(r.json, { projects: [] });
  r = await t.post("/api/projects", { alias: "api", name: "API", description: "d", repo_path: "/src" });
  assert.equal(r.status, 200);
  assert.equal(r.json.alias, "api");
  assert.equal(r.json.repo_path, "/src");
  r = await t.get("/api/projects/api");
  assert.equal(r.json.name, "API");
  r = await t.patch("/api/projects/api", { description: "new" });
  assert.equal(r.json.description, "new");
  assert.equal(r.json.name, "API");
  r = await t.patch("/api/projects/api/archive");
  assert.ok(r.json.archived_at);
  assert.deepEqual((await t.get("/api/projects")).json.projects, []);
  assert.equal((await t.get("/api/projects?include_archived=1")).json.projects.length, 1);
  r = await t.patch("/api/projects/api/unarchive");
  assert.equal(r.json.archived_at, undefined);
  r = await t.del("/api/projects/api");
  assert.equal(r.status, 409);
  assert.match(r.json.error, /must be archived/);
  await t.patch("/api/projects/api/archive");
  r = await t.del("/api/projects/api");
  assert.equal(r.status, 204);
  assert.equal((await t.get("/api/projects/api")).status, 404);
  await t.close();
});

Deno.test("project errors: bad alias 400, duplicate 409 (a conflict), unknown 404", async () => {
  const t = await httpTest();
  let r = await t.post("/api/projects", { alias: "Bad Alias", name: "x" });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /alias/);
  r = await t.post("/api/projects", { alias: "a".repeat(65), name: "x" });
  assert.equal(r.status, 400);
  assert.equal(r.json.error, "alias exceeds max length of 64 characters (got 65)");
  r = await t.post("/api/projects", { alias: "-abc", name: "x" });
  assert.equal(r.json.error, 'alias "-abc" must start with a lowercase letter or digit');
  assert.equal((await t.post("/api/projects", { name: "x" })).status, 400);
  await t.post("/api/projects", { alias: "api", name: "API" });
  r = await t.post("/api/projects", { alias: "api", name: "again" });
  assert.equal(r.status, 409);
  assert.match(r.json.error, /already exists/);
  for (const [m, p] of [["PATCH", "/api/projects/ghost/archive"], ["DELETE", "/api/projects/ghost"]]) {
    r = await t.call(m, p);
    assert.equal(r.status, 404, p);
    assert.match(r.json.error, /project "ghost" not found/);
  }
  await t.close();
});
