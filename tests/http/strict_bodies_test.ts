import assert from "node:assert/strict";
import { seeded } from "./client.ts";

const agentA = { "X-Backlog-Actor": "ai:agent-a" };

Deno.test("a misspelt claim token in a PATCH body is a 400 naming it, and the claimed task is untouched", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const claim = (await t.post("/api/tasks/1/claim", {}, agentA)).json;
  for (const path of ["/api/tasks/1", "/api/tasks/1/status"]) {
    const r = await t.patch(path, { status: "done", token: "bogus" }, agentA);
    assert.equal(r.status, 400, path);
    assert.equal(r.json.code, "invalid");
    assert.equal(r.json.error, 'unknown field "token" (did you mean claim_token?)');
    assert.match(r.json.hint, /known: .*claim_token/);
  }
  const task = (await t.get("/api/tasks/1")).json;
  assert.equal(task.status, "doing");
  assert.equal(task.version, claim.task.version);
  await t.close();
});

Deno.test("expected_version in a PATCH body is honoured like If-Match; a disagreeing pair is a 400", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  let r = await t.patch("/api/tasks/1", { title: "y", expected_version: 1 });
  assert.equal(r.status, 200);
  r = await t.patch("/api/tasks/1", { title: "z", expected_version: 1 });
  assert.equal(r.status, 409);
  assert.equal(r.json.current.title, "y");
  r = await t.patch("/api/tasks/1", { title: "z", expected_version: 2 }, { "If-Match": '"1"' });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /If-Match .* expected_version .* disagree/);
  assert.equal((await t.get("/api/tasks/1")).json.title, "y");
  await t.close();
});

Deno.test("unknown fields are refused by every JSON body, nested ones with their path", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const before = (await t.get("/api/activity?limit=0")).json.total;
  for (
    const [m, p, b, key] of [
      ["POST", "/api/tasks", { project: "api", title: "y", titel: "z" }, "titel"],
      ["POST", "/api/tasks/1/renew", { token: "t", lease_time: "1h" }, "lease_time"],
      ["POST", "/api/tasks/1/release", { claim_token: "t" }, "claim_token"],
      ["POST", "/api/tasks/1/comments", { body: "hi", task: "1" }, "task"],
      ["POST", "/api/projects", { alias: "new", label: "x" }, "label"],
      ["PATCH", "/api/tasks/1", { title: "y", label: ["a"] }, "label"],
    ] as const
  ) {
    const r = await t.call(m, p, b);
    assert.equal(r.status, 400, `${m} ${p}`);
    assert.match(r.json.error, new RegExp(`^unknown field "${key}"`), `${m} ${p}`);
  }
  const r = await t.post("/api/tasks", {
    project: "api",
    title: "y",
    plans: [{ title: "p", body: "b", bdy: "" }],
  });
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'plans.0: unknown field "bdy" (did you mean body?)');
  assert.equal((await t.get("/api/activity?limit=0")).json.total, before);
  await t.close();
});

Deno.test('task bodies validate with the shared schemas: enums, dates, and due_date "" clears', async () => {
  const t = await seeded();
  let r = await t.post("/api/tasks", { project: "api", title: "x", status: "later" });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /status/);
  r = await t.post("/api/tasks", { title: "x" });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /project is required/);
  r = await t.post("/api/tasks", { project: "api", title: "x", due_date: "2026-03-01", source: "audit" });
  assert.equal(r.status, 200);
  r = await t.patch("/api/tasks/1", { due_date: "" });
  assert.equal(r.status, 200);
  assert.equal(r.json.due_at, undefined);
  assert.equal((await t.get("/api/tasks?source=audit")).json.page.total, 1);
  assert.equal((await t.get("/api/tasks?source=other")).json.page.total, 0);
  await t.close();
});

Deno.test("an upload with an unknown form field is refused; a given mime_type is kept only when well-formed", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    f.set("file", new File(["hello"], "notes.txt"));
    return f;
  };
  let r = await t.post("/api/attachments", form({ task: "1", linked: "1" }));
  assert.equal(r.status, 400);
  assert.match(r.json.error, /^unknown field "linked"/);
  r = await t.post("/api/attachments", form({ task: "1", mime_type: "text/markdown" }));
  assert.equal(r.json.mime_type, "text/markdown");
  r = await t.post("/api/attachments", form({ task: "1", mime_type: "text/html\r\nX-Evil: 1" }));
  assert.equal(r.status, 200);
  assert.equal(r.json.mime_type, "text/plain; charset=utf-8", "from the extension");
  const res = await t.h.request(`/api/attachments/${r.json.id}`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "hello");
  await t.close();
});

Deno.test("append and next bodies are the domain's doc_append, memory_append and next_input", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x", type: "Bug" });
  const doc = (await t.post("/api/docs", { project: "api", title: "d", body: "a" })).json;
  const mem = (await t.post("/api/memory", { project: "api", body: "m" })).json;
  let r = await t.patch(`/api/docs/${doc.id}/append`, {});
  assert.deepEqual([r.status, r.json.error], [400, "content is required"]);
  r = await t.patch(`/api/docs/${doc.id}/append`, { content: "b", note: "x" });
  assert.deepEqual([r.status, r.json.error], [400, 'unknown field "note" (did you mean change_note?)']);
  r = await t.patch(`/api/docs/${doc.id}/append`, { text: "b", change_note: "more" });
  assert.equal(r.json.version.body, "a\nb");
  r = await t.patch(`/api/memory/${mem.id}/append`, {});
  assert.deepEqual([r.status, r.json.error], [400, "value is required"]);
  r = await t.patch(`/api/memory/${mem.id}/append`, { value: 5 });
  assert.deepEqual([r.status, r.json.error], [400, "value must be a string"]);
  assert.equal((await t.patch(`/api/memory/${mem.id}/append`, { text: "n" })).json.body, "m\nn");
  r = await t.post("/api/tasks/next", { type: "epic" });
  assert.equal(
    r.json.error,
    'invalid type "epic" (valid: task, bug, issue, improvement, feature, vulnerability, chore, spike, bucket-list)',
  );
  r = await t.post("/api/tasks/next", { lease: "soon" });
  assert.equal(r.json.error, 'lease: invalid duration "soon" (use e.g. 30m, 1h30m, 2h, 7d)');
  assert.equal((await t.get("/api/queue?type=epic")).status, 400);
  assert.equal((await t.get("/api/tasks/next?type=BUG,task")).json.task.ref, "TASK-1", "types in any case");
  assert.equal((await t.post("/api/tasks/next", { type: ["bug"], label: "" })).json.task.ref, "TASK-1");
  assert.equal((await t.get("/api/tasks/1")).json.status, "doing", "nothing refused was written");
  await t.close();
});

Deno.test("the memory and docs lists read their query strings through the domain's list schemas", async () => {
  const t = await seeded();
  await t.post("/api/memory", { project: "api", body: "m", tags: "a,b" });
  assert.equal(
    (await t.get("/api/memory?limit=x")).json.error,
    'limit: invalid number "x" (use a non-negative integer)',
  );
  assert.equal((await t.get("/api/memory?tag=a&limit=0")).json.page.limit, 10_000);
  assert.equal((await t.get("/api/docs?offset=-1")).status, 400);
  assert.equal((await t.get("/api/docs?project=ghost")).status, 404);
  await t.close();
});
