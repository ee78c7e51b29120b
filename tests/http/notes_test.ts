import assert from "node:assert/strict";
import { seeded } from "./client.ts";

Deno.test("comments: list, add and delete on a task", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  assert.deepEqual((await t.get("/api/tasks/1/comments")).json, {
    comments: [],
    page: { total: 0, count: 0, has_more: false, limit: 50 },
  });
  const c1 = await t.post("/api/tasks/1/comments", { body: "first" });
  assert.equal(c1.status, 200);
  assert.equal(c1.json.body, "first");
  assert.deepEqual(c1.json.actor, { kind: "human", name: "alice" });
  await t.post("/api/tasks/1/comments", { body: "second" }, { "X-Backlog-Actor": "ai:claude" });
  let r = await t.get("/api/tasks/TASK-1/comments");
  assert.deepEqual(r.json.comments.map((c: { body: string }) => c.body), ["first", "second"]);
  assert.deepEqual(r.json.comments[1].actor, { kind: "ai", name: "claude" });
  r = await t.get("/api/tasks/1/comments?limit=1&offset=1");
  assert.deepEqual(r.json.comments.map((c: { body: string }) => c.body), ["second"]);
  assert.deepEqual(r.json.page, { total: 2, count: 1, has_more: false, limit: 1, offset: 1 });
  assert.equal((await t.del(`/api/comments/${c1.json.id}`)).status, 204);
  assert.equal((await t.get("/api/tasks/1/comments")).json.comments.length, 1);
  assert.equal((await t.post("/api/tasks/1/comments", { body: "" })).status, 400);
  assert.equal((await t.post("/api/tasks/9/comments", { body: "x" })).status, 404);
  assert.equal((await t.del(`/api/comments/${c1.json.id}`)).status, 404);
  await t.close();
});

Deno.test("plans: add, show, new version, history, index and delete", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  await t.post("/api/tasks", { project: "web", title: "y" });
  const p = await t.post("/api/tasks/1/plans", { title: "Approach", body: "step 1" });
  assert.equal(p.status, 200);
  assert.equal(p.json.version.version, 1);
  await t.post("/api/tasks/2/plans", { title: "Other", body: "b" });
  let r = await t.patch(`/api/plans/${p.json.id}`, { body: "step 2", change_note: "more" });
  assert.equal(r.json.current_version, 2);
  assert.equal(r.json.version.title, "Approach");
  assert.equal(r.json.version.body, "step 2");
  r = await t.get(`/api/plans/${p.json.id}?version=1`);
  assert.equal(r.json.version.body, "step 1");
  r = await t.get(`/api/plans/${p.json.id}/history`);
  assert.deepEqual(r.json.versions.map((v: { version: number }) => v.version), [1, 2]);
  r = await t.get("/api/tasks/1/plans");
  assert.equal(r.json.plans.length, 1);
  r = await t.get("/api/plans");
  assert.equal(r.json.plans.length, 2);
  assert.equal(r.json.page.total, 2);
  assert.equal(r.json.plans[0].project_alias, "api"); // most recently updated first
  assert.equal(r.json.plans[0].task_seq, 1);
  r = await t.get("/api/plans?project=web");
  assert.equal(r.json.plans.length, 1);
  assert.equal(r.json.plans[0].project_alias, undefined);
  assert.equal((await t.patch(`/api/plans/${p.json.id}`, {})).status, 400);
  assert.equal((await t.post("/api/tasks/1/plans", { title: "t" })).status, 400);
  assert.equal((await t.del(`/api/plans/${p.json.id}`)).status, 204);
  assert.equal((await t.get(`/api/plans/${p.json.id}`)).status, 404);
  assert.equal((await t.get("/api/plans/01ZZZZZZZZZZZZZZZZZZZZZZZZ/history")).status, 404);
  await t.close();
});

Deno.test("labels: list, create (a colour updates it), delete", async () => {
  const t = await seeded();
  assert.deepEqual((await t.get("/api/labels?project=api")).json, { labels: [] });
  let r = await t.post("/api/labels", { project: "api", name: "bug", color: "#f00" });
  assert.equal(r.json.color, "#f00");
  r = await t.post("/api/labels", { project: "api", name: "bug" });
  assert.equal(r.json.color, "#f00");
  r = await t.post("/api/labels", { project: "api", name: "bug", color: "#0f0" });
  assert.equal(r.json.color, "#0f0");
  assert.equal((await t.get("/api/labels?project=api")).json.labels.length, 1);
  assert.equal((await t.get("/api/labels")).status, 400);
  assert.equal((await t.get("/api/labels?project=ghost")).status, 404);
  assert.equal((await t.post("/api/labels", { project: "api", name: "" })).status, 400);
  assert.equal((await t.del("/api/labels/bug")).status, 400);
  assert.equal((await t.del("/api/labels/bug?project=api")).status, 204);
  assert.equal((await t.del("/api/labels/bug?project=api")).status, 404);
  await t.close();
});

Deno.test("activity: filters, entity history oldest first and real totals", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  await t.patch("/api/tasks/1", { title: "y" }, { "X-Backlog-Actor": "ai:claude" });
  await t.post("/api/tasks", { project: "web", title: "z" });
  let r = await t.get("/api/activity");
  assert.equal(r.json.total, 5);
  assert.equal(r.json.events[0].summary, 'Created task "z" (TASK-2)');
  r = await t.get("/api/activity?limit=2");
  assert.equal(r.json.events.length, 2);
  assert.equal(r.json.total, 5);
  assert.equal(r.json.page.has_more, true);
  r = await t.get("/api/activity?project=api&kind=task");
  assert.equal(r.json.total, 2);
  r = await t.get("/api/activity?actor=ai:claude");
  assert.deepEqual(r.json.events.map((e: { action: string }) => e.action), ["updated"]);
  r = await t.get("/api/activity?actor=alice");
  assert.equal(r.json.total, 4);
  r = await t.get("/api/activity?entity_id=TASK-1");
  assert.deepEqual(r.json.events.map((e: { action: string }) => e.action), ["created", "updated"]);
  r = await t.get("/api/activity?entity_id=TASK-1&order=desc");
  assert.deepEqual(r.json.events.map((e: { action: string }) => e.action), ["updated", "created"]);
  assert.equal((await t.get("/api/activity?project=ghost")).status, 404);
  assert.equal((await t.get("/api/activity?actor=robot:x")).status, 400);
  assert.equal((await t.get("/api/activity?limit=x")).status, 400);
  // The filters are checked once, in the service: a bogus kind is a 400 here as in the CLI.
  r = await t.get("/api/activity?kind=bogus");
  assert.equal(r.status, 400);
  assert.match(r.json.error, /^kind: invalid value "bogus" \(valid: project, task/);
  assert.equal((await t.get("/api/activity?actor_kind=robot")).status, 400);
  assert.equal((await t.get("/api/activity?kind=TASK")).json.total, 3, "kinds are case-insensitive");
  // The paging rule: limit=0 is the largest HTTP page (10,000), never an error.
  r = await t.get("/api/activity?limit=0");
  assert.deepEqual([r.json.page.limit, r.json.page.count], [10_000, 5]);
  await t.close();
});
