import assert from "node:assert/strict";
import { seeded } from "./client.ts";

const agentA = { "X-Backlog-Actor": "ai:agent-a" };
const agentB = { "X-Backlog-Actor": "ai:agent-b" };

Deno.test("claim gives a token and a lease; a second claimant gets 409 naming the holder", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const c = await t.post("/api/tasks/1/claim", { lease: "10m" }, agentA);
  assert.equal(c.status, 200);
  assert.equal(c.json.task.status, "doing");
  assert.equal(c.json.task.assignee, "agent-a");
  assert.ok(c.json.token);
  assert.equal(c.headers.get("etag"), `"${c.json.task.version}"`);
  const lost = await t.post("/api/tasks/1/claim", undefined, agentB);
  assert.equal(lost.status, 409);
  assert.match(lost.json.error, /agent-a/);
  assert.equal(lost.json.current.assignee, "agent-a");
  assert.equal((await t.post("/api/tasks/1/claim", { lease: "forever" }, agentA)).status, 400);
  // A blank lease is invalid here as on the CLI and MCP (one rule: leaseOf), not a silent default.
  assert.equal((await t.post("/api/tasks/1/claim", { lease: " " }, agentA)).status, 400);
  assert.equal((await t.post("/api/tasks/99/claim", {}, agentA)).status, 404);
  await t.close();
});

Deno.test("renew and release need the holder; a superseded claim token makes a write 409", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const c = (await t.post("/api/tasks/1/claim", {}, agentA)).json;
  assert.equal((await t.post("/api/tasks/1/renew", { token: "wrong" }, agentA)).status, 409);
  let r = await t.post("/api/tasks/1/renew", { token: c.token, lease: "1h" }, agentA);
  assert.equal(r.status, 200);
  assert.ok(r.json.lease_expires_at > c.lease_expires_at);
  assert.equal((await t.post("/api/tasks/1/release", {}, agentB)).status, 409);
  r = await t.patch("/api/tasks/1/status", { status: "done", claim_token: "stale" }, agentA);
  assert.equal(r.status, 409);
  assert.match(r.json.error, /claim token/);
  r = await t.patch("/api/tasks/1", { title: "y" }, { ...agentA, "X-Claim-Token": c.token });
  assert.equal(r.status, 200);
  r = await t.post("/api/tasks/1/release", { token: c.token }, agentA);
  assert.equal(r.status, 200);
  assert.equal(r.json.task.status, "todo");
  await t.close();
});

Deno.test("next peeks with GET and claims with POST, never handing out a blocked task", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "blocked", priority: 1 });
  await t.post("/api/tasks", { project: "api", title: "blocker", priority: 3 });
  let r = await t.post("/api/tasks/1/deps", { blocked_by: "TASK-2" });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.blocked_by.map((x: { ref: string }) => x.ref), ["TASK-2"]);
  assert.deepEqual((await t.get("/api/tasks/2/deps")).json.blocks.map((x: { ref: string }) => x.ref), [
    "TASK-1",
  ]);
  r = await t.post("/api/tasks/2/deps", { blocked_by: "TASK-1" });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /cycle/);
  assert.deepEqual((await t.get("/api/tasks?ready=true")).json.tasks.map((x: { ref: string }) => x.ref), [
    "TASK-2",
  ]);
  assert.deepEqual((await t.get("/api/tasks?blocked=1")).json.tasks.map((x: { ref: string }) => x.ref), [
    "TASK-1",
  ]);
  r = await t.get("/api/tasks/next?project=api&explain=1");
  assert.equal(r.json.task.ref, "TASK-2");
  assert.ok(Array.isArray(r.json.explain));
  assert.equal((await t.get("/api/tasks/2")).json.status, "todo", "GET does not claim");
  r = await t.post("/api/tasks/next", { project: "api", lease: "5m" }, agentA);
  assert.equal(r.json.task.ref, "TASK-2");
  assert.equal(r.json.task.status, "doing");
  assert.ok(r.json.token);
  r = await t.post("/api/tasks/next", {}, agentB);
  assert.equal(r.status, 200);
  assert.equal(r.json.task, null);
  r = await t.del("/api/tasks/1/deps/TASK-2");
  assert.deepEqual(r.json.blocked_by, []);
  assert.equal((await t.del("/api/tasks/1/deps/TASK-2")).status, 404);
  await t.close();
});

Deno.test("task context returns the task with its plan, comments and memory in one reply", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  await t.post("/api/tasks/1/plans", { title: "Plan", body: "do it" });
  await t.post("/api/tasks/1/comments", { body: "note" });
  await t.post("/api/memory", { project: "api", body: "remember" });
  const r = await t.get("/api/tasks/TASK-1/context");
  assert.equal(r.status, 200);
  assert.equal(r.json.task.ref, "TASK-1");
  assert.equal(r.json.plan.version.body, "do it");
  assert.equal(r.json.comments[0].body, "note");
  assert.equal(r.json.memory[0].body, "remember");
  assert.equal((await t.get("/api/tasks/404/context")).status, 404);
  await t.close();
});

Deno.test("MCP is served at /mcp with the request's actor", async () => {
  const t = await seeded();
  const rpc = (body: unknown) =>
    t.post("/mcp", body, {
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
      ...agentA,
    });
  let r = await rpc({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  assert.equal(r.status, 200);
  assert.equal(r.json.result.serverInfo.name, "backlog");
  r = await rpc({
    jsonrpc: "2.0",
    id: 2,
    method: "tools/call",
    params: { name: "task_create", arguments: { project: "api", title: "via mcp" } },
  });
  assert.equal(r.status, 200);
  assert.equal(r.json.result.isError ?? false, false);
  const task = (await t.get("/api/tasks/1")).json;
  assert.equal(task.title, "via mcp");
  assert.deepEqual(task.actor, { kind: "ai", name: "agent-a" });
  assert.equal((await t.get("/mcp")).status, 405);
  await t.close();
});

Deno.test("GET /api/queue pages the ready queue in next order, each task with next --explain's reasons", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "low", priority: 4 });
  await t.post("/api/tasks", { project: "api", title: "blocker", priority: 2 });
  await t.post("/api/tasks", { project: "api", title: "waits", priority: 1 });
  await t.post("/api/tasks", { project: "api", title: "plain", priority: 2, type: "bug" });
  await t.post("/api/tasks/3/deps", { blocked_by: "TASK-2" });
  let r = await t.get("/api/queue?project=api");
  assert.equal(r.status, 200);
  const refs = (x: { tasks: { task: { ref: string } }[] }) => x.tasks.map((e) => e.task.ref);
  assert.deepEqual(refs(r.json), ["TASK-2", "TASK-4", "TASK-1"]);
  assert.deepEqual(r.json.page, { total: 3, count: 3, has_more: false, limit: 50 });
  const next = (await t.get("/api/tasks/next?project=api&explain=1")).json;
  const [first, second] = r.json.tasks;
  assert.equal(first.explain.position, 1);
  assert.equal(first.explain.unblocks, 1);
  assert.equal(first.explain.reason, next.candidates[0].reason);
  assert.ok(next.explain[0].endsWith(first.explain.facts), "the facts of the pick, as next --explain says");
  assert.equal(second.explain.reason, next.candidates[1].reason);
  assert.match(second.explain.reason, /unblocks 0, fewer than TASK-2 \(1\)/);
  // A page further on still says why its first task ranks after the one above it.
  r = await t.get("/api/queue?limit=1&offset=1");
  assert.deepEqual(refs(r.json), ["TASK-4"]);
  assert.equal(r.json.tasks[0].explain.reason, second.explain.reason);
  assert.deepEqual(r.json.page, { total: 3, count: 1, has_more: true, limit: 1, offset: 1 });
  assert.deepEqual(refs((await t.get("/api/queue?type=bug")).json), ["TASK-4"]);
  // The paging rule: limit=0 is the largest page the queue allows (500), never an error.
  const all = await t.get("/api/queue?limit=0");
  assert.equal(all.status, 200);
  assert.equal(all.json.page.limit, 500);
  assert.equal(all.json.page.count, 3);
  assert.equal((await t.get("/api/queue?limit=-1")).status, 400);
  assert.equal((await t.get("/api/queue?limit=x")).status, 400);
  assert.equal((await t.get("/api/queue?project=nope")).status, 404);
  await t.patch("/api/tasks/2/status", { status: "done" });
  assert.deepEqual(refs((await t.get("/api/queue")).json), ["TASK-3", "TASK-4", "TASK-1"]);
  await t.close();
});
