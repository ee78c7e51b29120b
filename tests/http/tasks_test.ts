import assert from "node:assert/strict";
import { seeded } from "./client.ts";
import { TaskQuerySchema } from "../../src/domain/schemas.ts";

Deno.test("POST /api/tasks creates a task with labels and a due date, and GET shows it with its version as ETag", async () => {
  const t = await seeded();
  const r = await t.post("/api/tasks", {
    project: "api",
    title: "Fix login",
    priority: "P1",
    type: "bug",
    labels: ["auth", "auth", "ui"],
    due_date: "2026-03-01",
  });
  assert.equal(r.status, 200);
  assert.equal(r.json.ref, "TASK-1");
  assert.equal(r.json.project.alias, "api");
  const labels = (await t.get("/api/labels?project=api")).json.labels;
  assert.deepEqual(r.json.labels, labels, "the original's label objects, as /api/labels lists them");
  assert.deepEqual(labels.map((l: { name: string }) => l.name), ["auth", "ui"]);
  assert.equal(r.json.due_at, Date.UTC(2026, 2, 1) * 1e6);
  assert.equal(r.headers.get("etag"), '"1"');
  const show = await t.get("/api/tasks/TASK-1");
  assert.equal(show.status, 200);
  assert.equal(show.json.id, r.json.id);
  assert.equal(show.headers.get("etag"), '"1"');
  assert.equal((await t.get(`/api/tasks/${r.json.id.slice(0, 8)}`)).json.ref, "TASK-1");
  await t.close();
});

Deno.test("GET /api/tasks returns [] and a real page when nothing matches", async () => {
  const t = await seeded();
  const r = await t.get("/api/tasks?project=api");
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.tasks, []);
  assert.deepEqual(r.json.page, { total: 0, count: 0, has_more: false, limit: 50 });
  await t.close();
});

Deno.test("GET /api/tasks filters by several values of one filter and counts the real total", async () => {
  const t = await seeded();
  for (
    const [title, status, priority] of [["a", "todo", 1], ["b", "doing", 2], ["c", "done", 3], [
      "d",
      "todo",
      4,
    ]]
  ) {
    await t.post("/api/tasks", { project: "api", title, status, priority });
  }
  await t.post("/api/tasks", { project: "web", title: "other", status: "todo" });
  let r = await t.get("/api/tasks?project=api&status=todo&status=doing");
  assert.deepEqual(r.json.tasks.map((x: { title: string }) => x.title), ["a", "b", "d"]);
  r = await t.get("/api/tasks?project=api&status=todo,doing&limit=2");
  assert.equal(r.json.tasks.length, 2);
  assert.equal(r.json.page.total, 3);
  assert.equal(r.json.page.has_more, true);
  r = await t.get("/api/tasks?priority=1&priority=P4&sort=title&order=desc");
  assert.deepEqual(r.json.tasks.map((x: { title: string }) => x.title), ["d", "a"]);
  r = await t.get("/api/tasks?search=other");
  assert.equal(r.json.page.total, 1);
  r = await t.get("/api/tasks?limit=0");
  assert.equal(r.json.tasks.length, 5);
  // The paging rule: limit=0 (or above it) is the largest HTTP page, 10,000; a negative one is a 400.
  assert.equal(r.json.page.limit, 10_000);
  assert.equal((await t.get("/api/tasks?limit=20000")).json.page.limit, 10_000);
  assert.equal((await t.get("/api/tasks?limit=-1")).status, 400);
  assert.equal((await t.get("/api/tasks")).json.page.limit, 50);
  await t.close();
});

Deno.test("label filters match any label by default and all labels with label_match=all", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "both", labels: ["a", "b"] });
  await t.post("/api/tasks", { project: "api", title: "only a", labels: ["a"] });
  await t.post("/api/tasks", { project: "api", title: "none" });
  const titles = async (q: string) =>
    (await t.get(`/api/tasks?project=api&sort=title&${q}`)).json.tasks.map((x: { title: string }) => x.title);
  assert.deepEqual(await titles("label=a&label=b"), ["both", "only a"]);
  assert.deepEqual(await titles("label=a&label=b&label_match=any"), ["both", "only a"]);
  assert.deepEqual(await titles("label=a,b&label_match=all"), ["both"]);
  assert.equal((await t.get("/api/tasks?label=a&label_match=some")).status, 400);
  await t.close();
});

Deno.test("bad list parameters are 400 errors naming the parameter", async () => {
  const t = await seeded();
  for (
    const [q, word] of [
      ["status=nope", "status"],
      ["priority=9", "priority"],
      ["type=epic", "type"],
      ["sort=random", "sort"],
      ["order=up", "order"],
      ["limit=-1", "limit"],
      ["include_archived=maybe", "include_archived"],
      ["search=%22unterminated", "search"],
    ]
  ) {
    const r = await t.get(`/api/tasks?${q}`);
    assert.equal(r.status, 400, q);
    assert.match(r.json.error, new RegExp(word), q);
  }
  assert.equal((await t.get("/api/tasks?project=ghost")).status, 404);
  await t.close();
});

Deno.test("PATCH /api/tasks/{id} changes only the given fields; status is accepted too", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x", description: "keep", due_date: "2026-01-05" });
  let r = await t.patch("/api/tasks/1", { title: "y", assignee: "bob", status: "doing" });
  assert.equal(r.status, 200);
  assert.equal(r.json.title, "y");
  assert.equal(r.json.description, "keep");
  assert.equal(r.json.status, "doing");
  assert.equal(r.headers.get("etag"), '"2"');
  r = await t.patch("/api/tasks/1", { clear_due_at: true });
  assert.equal(r.json.due_at, undefined);
  r = await t.patch("/api/tasks/1", { due_at: 5_000_000_000 });
  assert.equal(r.json.due_at, 5_000_000_000);
  r = await t.patch("/api/tasks/1", {});
  assert.equal(r.status, 400);
  assert.match(r.json.error, /^nothing to change/);
  await t.close();
});

Deno.test("If-Match with a stale version is a 409 carrying the current task, and nothing is written", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  assert.equal((await t.patch("/api/tasks/1", { priority: 1 }, { "If-Match": '"1"' })).status, 200);
  const r = await t.patch("/api/tasks/1", { priority: 5 }, { "If-Match": '"1"' });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, "conflict");
  assert.match(r.json.error, /version 2, not 1/);
  assert.equal(r.json.current.version, 2);
  assert.equal(r.json.current.priority, 1);
  assert.equal(r.headers.get("etag"), '"2"');
  for (
    const [m, p, b] of [
      ["PATCH", "/api/tasks/1/status", { status: "done" }],
      ["PATCH", "/api/tasks/1/archive", undefined],
      ["DELETE", "/api/tasks/1", undefined],
    ] as const
  ) {
    assert.equal((await t.call(m, p, b, { "If-Match": "1" })).status, 409, p);
  }
  assert.equal((await t.patch("/api/tasks/1", { priority: 5 }, { "If-Match": 'W/"2"' })).status, 200);
  assert.equal((await t.patch("/api/tasks/1", { priority: 4 }, { "If-Match": "*" })).status, 200);
  assert.equal((await t.patch("/api/tasks/1", { priority: 4 }, { "If-Match": "abc" })).status, 400);
  assert.equal((await t.get("/api/tasks/1")).json.priority, 4);
  await t.close();
});

Deno.test("malformed or mistyped JSON bodies are 400 and write nothing", async () => {
  const t = await seeded();
  const before = (await t.get("/api/activity?limit=0")).json.total;
  for (
    const [m, p, b] of [
      ["POST", "/api/tasks", "{bad json"],
      ["POST", "/api/tasks", "[1,2]"],
      ["POST", "/api/tasks", ""],
      ["POST", "/api/tasks", { project: "api", title: 42 }],
      ["POST", "/api/tasks", { project: "api", title: "   " }],
      ["POST", "/api/tasks", { project: "api", title: "x", priority: 7 }],
      ["POST", "/api/tasks", { project: "api", title: "x", due_date: "2026-02-30" }],
      ["POST", "/api/tasks", { project: "api", title: "x", labels: "a" }],
      ["POST", "/api/projects", "null"],
      ["PATCH", "/api/tasks/1", "{"],
    ] as const
  ) {
    const r = await t.call(m, p, b);
    assert.equal(r.status, 400, `${m} ${p} ${JSON.stringify(b)}`);
    assert.equal(typeof r.json.error, "string");
  }
  assert.equal((await t.get("/api/tasks?limit=0")).json.page.total, 0);
  assert.equal((await t.get("/api/activity?limit=0")).json.total, before);
  await t.close();
});

Deno.test("status, archive, unarchive and delete follow the task through its life", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  let r = await t.patch("/api/tasks/1/status", { status: "done" });
  assert.equal(r.json.status, "done");
  assert.ok(r.json.completed_at);
  assert.equal((await t.patch("/api/tasks/1/status", { status: "later" })).status, 400);
  assert.equal((await t.patch("/api/tasks/1/status", {})).status, 400);
  r = await t.patch("/api/tasks/1/archive");
  assert.ok(r.json.archived_at);
  assert.equal((await t.get("/api/tasks")).json.page.total, 0);
  assert.equal((await t.get("/api/tasks?include_archived=true")).json.page.total, 1);
  assert.equal((await t.get("/api/tasks?archived=1")).json.page.total, 1);
  r = await t.patch("/api/tasks/1/unarchive");
  assert.equal(r.json.archived_at, undefined);
  r = await t.del("/api/tasks/1");
  assert.equal(r.status, 204);
  assert.equal(r.text, "");
  r = await t.get("/api/tasks/1");
  assert.equal(r.status, 404);
  assert.match(r.json.error, /TASK-1 not found/);
  await t.close();
});

Deno.test("labels attach and detach on a task and return the full task", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  let r = await t.post("/api/tasks/1/labels", { name: " needs review " });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.labels.map((l: { name: string }) => l.name), ["needs review"]);
  assert.equal(r.json.project.alias, "api");
  r = await t.del("/api/tasks/1/labels/needs%20review");
  assert.equal(r.status, 200);
  assert.equal(r.json.labels, undefined);
  assert.equal((await t.post("/api/tasks/1/labels", { name: "" })).status, 400);
  assert.equal((await t.del("/api/tasks/1/labels/ghost")).status, 404);
  assert.equal((await t.post("/api/tasks/99/labels", { name: "a" })).status, 404);
  await t.close();
});

Deno.test("a script in a title is stored and returned as data, never rewritten", async () => {
  const t = await seeded();
  const title = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
  const r = await t.post("/api/tasks", { project: "api", title });
  assert.equal(r.json.title, title);
  assert.match(r.headers.get("content-type")!, /^application\/json/);
  assert.equal((await t.get("/api/tasks/1")).json.title, title);
  await t.close();
});

Deno.test("PATCH /api/tasks/{id} sets fields, labels and archived at once; the holder's token works for anyone", async () => {
  const t = await seeded();
  try {
    await t.post("/api/tasks", { project: "api", title: "x" });
    const bob = { "X-Backlog-Actor": "ai:bob" };
    const c = (await t.post("/api/tasks/TASK-1/claim", { lease: "10m" }, bob)).json;
    assert.ok(c.token, JSON.stringify(c));
    assert.equal((await t.patch("/api/tasks/TASK-1", { status: "done" })).status, 409);
    const r = await t.patch("/api/tasks/TASK-1", {
      title: "y",
      status: "done",
      labels: ["a", "b"],
      archived: true,
      claim_token: c.token,
    }, { "If-Match": `"${c.task.version}"` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, "done");
    assert.ok(r.json.archived_at);
    assert.deepEqual(r.json.labels.map((l: { name: string }) => l.name), ["a", "b"]);
    const back = await t.patch("/api/tasks/TASK-1", { archived: false, labels: [] });
    assert.equal(back.json.archived_at, undefined);
    assert.equal(back.json.labels, undefined);
  } finally {
    await t.close();
  }
});

Deno.test("GET /api/tasks accepts every task_query parameter (backlog schema task_query) and nothing is a silent no-op", async () => {
  const t = await seeded();
  const sample: Record<string, string> = {
    project: "api",
    status: "todo,doing",
    type: "bug",
    priority: "P1,2",
    label: "a",
    label_match: "all",
    assignee: "bob",
    actor_kind: "human",
    actor_name: "alice",
    source: "x",
    search: "login",
    ready: "true",
    blocked: "0",
    include_archived: "yes",
    archived: "false",
    sort: "title",
    order: "desc",
    limit: "5",
    offset: "1",
  };
  assert.deepEqual(Object.keys(sample).sort(), Object.keys(TaskQuerySchema.shape).sort());
  for (const [k, v] of Object.entries(sample)) {
    const r = await t.get(`/api/tasks?${k}=${encodeURIComponent(v)}`);
    assert.equal(r.status, 200, `${k}=${v}: ${JSON.stringify(r.json)}`);
  }
  const bad = await t.get("/api/tasks?label_match=some&actor_kind=robot");
  assert.equal(bad.json.error, 'invalid label_match "some" (valid: any, all)');
  assert.equal((await t.get("/api/tasks?actor_kind=robot")).status, 400);
  await t.close();
});
