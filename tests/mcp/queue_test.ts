import assert from "node:assert/strict";
import { session, withProject } from "./mcp_client.ts";
import type { Task } from "../../src/domain/models.ts";
import { testApp } from "../helpers/app.ts";

type Claim = { task: Task; token: string; lease_expires_at: number };

Deno.test("task_claim without an id claims the best ready task; a second agent is refused", async () => {
  const app = await testApp();
  const a = await session({ app, actor: { kind: "ai", name: "agent-a" } });
  const b = await session({ app, actor: { kind: "ai", name: "agent-b" } });
  try {
    await withProject(a);
    await a.ok("task_create", { project: "api", title: "low", priority: 4 });
    await a.ok("task_create", { project: "api", title: "urgent", priority: 1 });
    const c = await a.ok<Claim>("task_claim", { project: "api", lease: "10m" });
    assert.equal(c.task.title, "urgent");
    assert.equal(c.task.status, "doing");
    assert.equal(c.task.assignee, "agent-a");
    assert.ok(c.token);
    assert.match(c._text, /^claimed TASK-2 doing P1 .* lease until .* v2\ntoken: [0-9a-f]+$/);
    const refused = await b.err("task_claim", { id: "TASK-2" });
    assert.match(refused, /^error \(conflict\): TASK-2 is claimed by ai:agent-a/);
    const next = await b.ok<Claim>("task_claim", {});
    assert.equal(next.task.title, "low");
    const none = await b.ok<{ task: null }>("task_claim", { project: "api" });
    assert.equal(none.task, null);
    assert.equal(none._text, "no ready task");
  } finally {
    await a.close();
    await b.close();
    await app.close();
  }
});

Deno.test("task_claim with a token renews; release gives the task back; a stale token is a conflict", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    const c = await s.ok<Claim>("task_claim", { id: "TASK-1", lease: "5m" });
    const r = await s.ok<Claim>("task_claim", { id: "TASK-1", token: c.token, lease: "1h" });
    assert.equal(r.token, c.token);
    assert.ok(r.lease_expires_at > c.lease_expires_at);
    assert.match(r._text, /^renewed TASK-1/);
    assert.match(
      await s.err("task_move", { id: "TASK-1", status: "done", claim_token: "stale" }),
      /claim was lost/,
    );
    const released = await s.ok<{ task: Task }>("task_claim", {
      id: "TASK-1",
      release: true,
      token: c.token,
    });
    assert.equal(released.task.status, "todo");
    assert.match(
      await s.err("task_claim", { id: "TASK-1", lease: "soon" }),
      /lease: invalid duration "soon"/,
    );
  } finally {
    await s.close();
  }
});

Deno.test("task_dep adds, lists and removes blockers and rejects a cycle", async () => {
  const s = await session();
  try {
    await withProject(s);
    for (const t of ["a", "b", "c"]) await s.ok("task_create", { project: "api", title: t });
    type Deps = { blocked_by: { ref: string }[]; blocks: { ref: string }[] };
    const d = await s.ok<Deps>("task_dep", { id: "TASK-3", blocked_by: ["TASK-1", "TASK-2"] });
    assert.deepEqual(d.blocked_by.map((t) => t.ref).sort(), ["TASK-1", "TASK-2"]);
    const ready = await s.ok<{ tasks: { ref: string }[] }>("task_list", { ready: true });
    assert.deepEqual(ready.tasks.map((t) => t.ref).sort(), ["TASK-1", "TASK-2"]);
    assert.match(await s.err("task_dep", { id: "TASK-1", blocked_by: ["TASK-3"] }), /cycle/);
    const after = await s.ok<Deps>("task_dep", { id: "TASK-3", remove: ["TASK-1"] });
    assert.deepEqual(after.blocked_by.map((t) => t.ref), ["TASK-2"]);
    const listed = await s.ok<Deps>("task_dep", { id: "TASK-2" });
    assert.deepEqual(listed.blocks.map((t) => t.ref), ["TASK-3"]);
    assert.match(listed._text, /^blocked by:\n {2}\(none\)\nblocks:\n {2}TASK-3/);
  } finally {
    await s.close();
  }
});

Deno.test("a task_dep call whose second edge fails adds neither edge", async () => {
  const s = await session();
  try {
    await withProject(s);
    for (const t of ["a", "b"]) await s.ok("task_create", { project: "api", title: t });
    assert.match(await s.err("task_dep", { id: "TASK-2", blocked_by: ["TASK-1", "TASK-99"] }), /not_found/);
    assert.deepEqual((await s.app.deps.list("TASK-2")).blocked_by, []);
  } finally {
    await s.close();
  }
});

Deno.test("task_update with the holder's claim_token works for another actor, like task_move", async () => {
  const app = await testApp();
  const a = await session({ app, actor: { kind: "ai", name: "agent-a" } });
  const b = await session({ app, actor: { kind: "ai", name: "agent-b" } });
  try {
    await withProject(a);
    await a.ok("task_create", { project: "api", title: "x" });
    const c = await a.ok<Claim>("task_claim", { id: "TASK-1", lease: "10m" });
    // Without the token another actor may not end the claim (status) or archive.
    assert.match(await b.err("task_update", { id: "TASK-1", status: "done" }), /claimed by ai:agent-a/);
    const t = await b.ok<Task>("task_update", {
      id: "TASK-1",
      title: "y",
      labels: ["l1"],
      status: "done",
      archived: true,
      expected_version: c.task.version,
      claim_token: c.token,
    });
    assert.equal(t.title, "y");
    assert.equal(t.status, "done");
    assert.ok(t.archived_at);
    assert.deepEqual(t.labels?.map((l) => l.name), ["l1"]);
    assert.match(
      await b.err("task_update", { id: "TASK-1", title: "z", expected_version: c.task.version }),
      /is at version/,
    );
  } finally {
    await a.close();
    await b.close();
    await app.close();
  }
});
