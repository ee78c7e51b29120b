import assert from "node:assert/strict";
import { session, withProject } from "./mcp_client.ts";
import { labelNames, type Task } from "../../src/domain/models.ts";

type Page = { total: number; count: number; has_more: boolean; offset: number; limit: number };
type Rows = { tasks: Record<string, unknown>[]; page: Page };

Deno.test("project_list and project_create: compact rows, the new project listed", async () => {
  const s = await session();
  try {
    const created = await s.ok("project_create", { alias: "api", name: "API", description: "the backend" });
    assert.equal(created.alias, "api");
    const list = await s.ok<{ projects: { alias: string; description?: string }[] }>("project_list");
    assert.deepEqual(list.projects.map((p) => p.alias), ["api"]);
    assert.match(list._text, /^api "API" — the backend/);
    assert.match(
      await s.err("project_create", { alias: "api" }),
      /^error \(conflict\): project "api" already exists/,
    );
  } finally {
    await s.close();
  }
});

Deno.test('task_create accepts priority as 3 or "P2", labels and assignee', async () => {
  const s = await session();
  try {
    await withProject(s);
    const a = await s.ok<Task>("task_create", { project: "api", title: "A", priority: 3 });
    const b = await s.ok<Task>("task_create", {
      project: "api",
      title: "B",
      priority: "P2",
      labels: ["ui", "backend", "ui"],
      assignee: "ai:claude",
      due_date: "2026-03-01",
      type: "bug",
    });
    assert.equal(a.priority, 3);
    assert.equal(a.ref, "TASK-1");
    assert.equal(b.priority, 2);
    assert.deepEqual(b.labels?.map((l) => [l.name, l.project_id]), [["backend", b.project_id], [
      "ui",
      b.project_id,
    ]]);
    assert.equal(b.assignee, "ai:claude");
    assert.equal(b.type, "bug");
    assert.ok(b.due_at);
    assert.match(
      b._text,
      /^created TASK-2 todo P2 bug "B" \(api\) #backend #ui @ai:claude due 2026-03-01 v1$/,
    );
  } finally {
    await s.close();
  }
});

Deno.test("task_create with a bad enum, an unknown project or an empty title is an isError result", async () => {
  const s = await session();
  try {
    await withProject(s);
    assert.match(
      await s.err("task_create", { project: "api", title: "x", type: "epic" }),
      /invalid type "epic"/,
    );
    assert.match(
      await s.err("task_create", { project: "api", title: "x", priority: "P9" }),
      /invalid priority/,
    );
    assert.match(await s.err("task_create", { project: "api", title: "x", status: "wip" }), /status/);
    assert.match(await s.err("task_create", { project: "nope", title: "x" }), /not_found.*project "nope"/);
    assert.match(await s.err("task_create", { project: "api", title: "  " }), /title is required/);
    assert.equal((await s.app.tasks.list()).page.total, 0);
  } finally {
    await s.close();
  }
});

Deno.test("task_list is bounded: default 20 rows, offset, has_more, no descriptions unless full", async () => {
  const s = await session();
  try {
    await withProject(s);
    for (let i = 1; i <= 25; i++) {
      await s.ok("task_create", { project: "api", title: `T${i}`, description: `long text ${i}` });
    }
    const first = await s.ok<Rows>("task_list", {});
    assert.equal(first.tasks.length, 20);
    assert.deepEqual(first.page, { total: 25, count: 20, limit: 20, offset: 0, has_more: true });
    assert.equal(first.tasks[0].description, undefined);
    assert.match(first._text, /\(20 of 25; more: offset=20\)$/);
    const rest = await s.ok<Rows>("task_list", { offset: 20, full: true });
    assert.equal(rest.tasks.length, 5);
    assert.equal(rest.page.has_more, false);
    assert.match(String(rest.tasks[0].description), /^long text/);
    const small = await s.ok<Rows>("task_list", { limit: 2 });
    assert.equal(small.tasks.length, 2);
    // The paging rule: 0 (or more than 200) is the largest MCP page, 200; never an error.
    const all = await s.ok<Rows>("task_list", { limit: 0 });
    assert.deepEqual([all.tasks.length, all.page.limit], [25, 200]);
    assert.equal((await s.ok<Rows>("task_list", { limit: 5000 })).page.limit, 200);
    assert.match(await s.err("task_list", { limit: -1 }), /limit: must be a whole number/);
    assert.match(await s.err("task_list", { limit: 1.5 }), /limit/);
  } finally {
    await s.close();
  }
});

Deno.test('task_list filters by status list, priority "P1", label and search', async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "login timeout", priority: 1, labels: ["auth"] });
    await s.ok("task_create", { project: "api", title: "docs", status: "doing" });
    await s.ok("task_create", { project: "api", title: "old", status: "done" });
    const refs = async (args: Record<string, unknown>) =>
      (await s.ok<Rows>("task_list", args)).tasks.map((t) => t.title);
    assert.deepEqual(await refs({ status: "todo,doing" }), ["login timeout", "docs"]);
    assert.deepEqual(await refs({ priority: "P1" }), ["login timeout"]);
    assert.deepEqual(await refs({ label: "auth" }), ["login timeout"]);
    assert.deepEqual(await refs({ search: "timeout" }), ["login timeout"]);
    assert.deepEqual(await refs({ project: "api", ready: true }), ["login timeout"]);
    assert.match(await s.err("task_list", { status: "open" }), /invalid status "open"/);
  } finally {
    await s.close();
  }
});

Deno.test('task_update changes type, assignee, source and labels, and "" clears optional fields', async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", {
      project: "api",
      title: "x",
      description: "d",
      assignee: "bob",
      source: "audit",
      due_date: "2026-02-01",
      labels: ["a", "b"],
    });
    const t = await s.ok<Task>("task_update", {
      id: "TASK-1",
      type: "feature",
      source: "review",
      labels: ["b", "c"],
      priority: "P1",
    });
    assert.equal(t.type, "feature");
    assert.equal(t.source, "review");
    assert.deepEqual(labelNames(t), ["b", "c"]);
    assert.equal(t.priority, 1);
    const cleared = await s.ok<Task>("task_update", {
      id: "1",
      description: "",
      assignee: "",
      due_date: "",
      labels: [],
    });
    assert.equal(cleared.description, "");
    assert.equal(cleared.assignee, undefined);
    assert.equal(cleared.due_at, undefined);
    assert.equal(cleared.labels, undefined);
    assert.match(await s.err("task_update", { id: "TASK-1" }), /nothing to change/);
    assert.match(await s.err("task_update", { id: "TASK-1", title: "" }), /title is required/);
  } finally {
    await s.close();
  }
});

Deno.test("task_update archived=true/false archives and restores", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    const archived = await s.ok<Task>("task_update", { id: "TASK-1", archived: true });
    assert.ok(archived.archived_at);
    assert.equal((await s.ok<Rows>("task_list", {})).page.total, 0);
    assert.equal((await s.ok<Rows>("task_list", { archived: true })).page.total, 1);
    const back = await s.ok<Task>("task_update", { id: "TASK-1", archived: false });
    assert.equal(back.archived_at, undefined);
  } finally {
    await s.close();
  }
});

Deno.test("task_update with a stale expected_version is a conflict carrying the current state", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    await s.ok("task_update", { id: "TASK-1", title: "y", expected_version: 1 });
    const r = await s.call("task_update", { id: "TASK-1", title: "z", expected_version: 1 });
    assert.equal(r.isError, true);
    const error = (r.structuredContent as { error: { code: string; current: Task } }).error;
    assert.equal(error.code, "conflict");
    assert.equal(error.current.title, "y");
    assert.equal(error.current.version, 2);
    assert.equal((await s.app.tasks.getTask("TASK-1")).title, "y");
  } finally {
    await s.close();
  }
});

Deno.test("a failing label in task_update leaves the task unchanged (one transaction)", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    const msg = await s.err("task_update", { id: "TASK-1", title: "changed", labels: ["x".repeat(100)] });
    assert.match(msg, /label name exceeds/);
    const t = await s.app.tasks.getTask("TASK-1");
    assert.equal(t.title, "x");
    assert.equal(t.version, 1);
  } finally {
    await s.close();
  }
});

Deno.test("task_move sets status and completed_at; task_show returns plans, comments and deps", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "first" });
    await s.ok("task_create", { project: "api", title: "second" });
    await s.ok("task_dep", { id: "TASK-2", blocked_by: ["TASK-1"] });
    const done = await s.ok<Task>("task_move", { id: "TASK-1", status: "done" });
    assert.equal(done.status, "done");
    assert.ok(done.completed_at);
    await s.ok("plan_add", { task_id: "TASK-2", title: "Approach", body: "step 1" });
    for (let i = 1; i <= 12; i++) await s.ok("comment_add", { task_id: "TASK-2", body: `c${i}` });
    const shown = await s.ok<Task & { comments_total: number; blocked_by: string[] }>("task_show", {
      id: "TASK-2",
    });
    assert.equal(shown.comments?.length, 10);
    assert.equal(shown.comments_total, 12);
    assert.equal(shown.comments?.at(-1)?.body, "c12");
    assert.deepEqual(shown.blocked_by, ["TASK-1"]);
    assert.equal(shown.plans?.[0].version?.body, "step 1");
    assert.match(shown._text, /blocked by: TASK-1 \(done\)/);
    assert.match(shown._text, /comments \(12, latest 10; see comment_list\)/);
    assert.match(await s.err("task_show", { id: "TASK-99" }), /^error \(not_found\): task TASK-99 not found/);
  } finally {
    await s.close();
  }
});

Deno.test("task_show context=true returns the bounded context with project memory", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x", description: "y".repeat(10_000) });
    await s.ok("memory_add", { project: "api", body: "we use tabs", tags: "style" });
    const c = await s.ok<{ task: Task; truncated: boolean; totals: Record<string, number> }>("task_show", {
      id: "TASK-1",
      context: true,
    });
    assert.equal(c.task.ref, "TASK-1");
    assert.equal(c.truncated, true);
    assert.ok(c.task.description.length < 10_000);
    assert.match(c._text, /project memory:\n- .* \[style\]: we use tabs/);
  } finally {
    await s.close();
  }
});
