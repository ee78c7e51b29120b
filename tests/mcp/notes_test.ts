import assert from "node:assert/strict";
import { session, withProject } from "./mcp_client.ts";
import type { Plan } from "../../src/domain/models.ts";

type Page = { total: number; count: number; has_more: boolean };

Deno.test("plan_add, plan_update keeps what is not given, plan_history lists and shows versions", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    const p = await s.ok<Plan>("plan_add", { task_id: "TASK-1", title: "Approach", body: "v1 body" });
    assert.equal(p.version?.version, 1);
    assert.match(p._text, new RegExp(`^added plan ${p.id} v1/1 "Approach" by ai:claude$`));
    const u = await s.ok<Plan>("plan_update", { plan_id: p.id, body: "v2 body", change_note: "more detail" });
    assert.equal(u.current_version, 2);
    assert.equal(u.version?.title, "Approach");
    const h = await s.ok<{ versions: { version: number; body?: string }[]; page: Page }>("plan_history", {
      plan_id: p.id,
    });
    assert.deepEqual(h.versions.map((v) => v.version), [2, 1]);
    assert.equal(h.versions[0].body, undefined);
    assert.match(h._text, /^v2 .* ai:claude "Approach" — more detail\nv1 /);
    const v1 = await s.ok<Plan>("plan_history", { plan_id: p.id.slice(0, 12), version: 1 });
    assert.equal(v1.version?.body, "v1 body");
    assert.match(await s.err("plan_history", { plan_id: p.id, version: 9 }), /plan version not found: v9/);
    assert.match(await s.err("plan_update", { plan_id: p.id }), /nothing to change/);
    assert.match(await s.err("plan_add", { task_id: "TASK-7", title: "t", body: "b" }), /not_found/);
  } finally {
    await s.close();
  }
});

Deno.test("comment_add and comment_list: oldest first like the CLI and HTTP, paged", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    for (let i = 1; i <= 3; i++) await s.ok("comment_add", { task_id: "TASK-1", body: `note ${i}` });
    type List = { comments: { body: string; actor: { name: string } }[]; page: Page };
    const l = await s.ok<List>("comment_list", { task_id: "TASK-1", limit: 2 });
    assert.deepEqual(l.comments.map((c) => c.body), ["note 1", "note 2"]);
    assert.equal(l.comments[0].actor.name, "claude");
    assert.deepEqual(l.page, { total: 3, count: 2, limit: 2, offset: 0, has_more: true });
    const rest = await s.ok<List>("comment_list", { task_id: "TASK-1", offset: 2 });
    assert.deepEqual(rest.comments.map((c) => c.body), ["note 3"]);
    assert.match(await s.err("comment_add", { task_id: "TASK-1", body: "" }), /body is required/);
  } finally {
    await s.close();
  }
});

Deno.test("activity_list shows who changed what, filtered by task and actor, newest first", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    await s.ok("task_move", { id: "TASK-1", status: "doing" });
    type List = { events: { action: string; summary: string; payload?: string }[]; page: Page };
    const l = await s.ok<List>("activity_list", { task_id: "TASK-1" });
    assert.deepEqual(l.events.map((e) => e.action), ["status_changed", "created"]);
    assert.equal(l.events[0].payload, undefined);
    assert.match(l._text, /ai:claude task.status_changed: Changed status of TASK-1 "x" from todo to doing/);
    assert.equal((await s.ok<List>("activity_list", { actor: "human:nobody" })).page.total, 0);
    assert.equal((await s.ok<List>("activity_list", { project: "api", limit: 1 })).page.has_more, true);
    // `actor` is kind:name or a bare name (any kind), as over HTTP and the CLI.
    assert.equal((await s.ok<List>("activity_list", { actor: "claude" })).page.total, 3);
    assert.equal((await s.ok<List>("activity_list", { actor: "robot" })).page.total, 0);
    assert.match(await s.err("activity_list", { actor: "robot:x" }), /invalid actor/);
  } finally {
    await s.close();
  }
});

Deno.test("memory_add, memory_list (cut bodies unless full) and memory_update append/replace/delete", async () => {
  const s = await session();
  try {
    await withProject(s);
    const m = await s.ok<{ id: string; tags?: string }>("memory_add", {
      project: "api",
      body: "x".repeat(500),
      tags: "style, style,db",
    });
    assert.equal(m.tags, "style,db");
    type List = { entries: { id: string; body: string }[]; page: Page };
    const cut = await s.ok<List>("memory_list", { project: "api" });
    assert.equal(cut.entries[0].body.length, 201);
    const full = await s.ok<List>("memory_list", { project: "api", full: true, tag: "db" });
    assert.equal(full.entries[0].body.length, 500);
    const appended = await s.ok<{ body: string }>("memory_update", { id: m.id, append: "more" });
    assert.ok(appended.body.endsWith("\nmore"));
    const replaced = await s.ok<{ body: string; tags?: string }>("memory_update", {
      id: m.id,
      body: "short",
      tags: "",
    });
    assert.equal(replaced.body, "short");
    assert.equal(replaced.tags, undefined);
    assert.match(await s.err("memory_update", { id: m.id, body: "a", append: "b" }), /body or append/);
    assert.match(await s.err("memory_update", { id: m.id }), /nothing to change/);
    await s.ok("memory_update", { id: m.id, delete: true });
    assert.equal((await s.ok<List>("memory_list", {})).page.total, 0);
  } finally {
    await s.close();
  }
});

Deno.test("doc_add, doc_list without bodies, doc_show version and history, doc_update and append", async () => {
  const s = await session();
  try {
    await withProject(s);
    const d = await s.ok<{ id: string }>("doc_add", { project: "api", title: "Runbook", body: "step 1" });
    await s.ok("doc_update", { id: d.id, body: "step 1\nstep 2", change_note: "more" });
    const a = await s.ok<{ current_version: number; version: { body: string } }>("doc_update", {
      id: d.id,
      append: "step 3",
    });
    assert.equal(a.current_version, 3);
    assert.equal(a.version.body, "step 1\nstep 2\nstep 3");
    type List = { docs: { id: string; version?: unknown }[]; page: Page };
    const l = await s.ok<List>("doc_list", { project: "api" });
    assert.equal(l.docs.length, 1);
    assert.equal(l.docs[0].version, undefined);
    assert.match(l._text, /v3 "Runbook" \(api\)|v3 "Runbook" updated/);
    const v1 = await s.ok<{ version: { body: string } }>("doc_show", { id: d.id, version: 1 });
    assert.equal(v1.version.body, "step 1");
    const h = await s.ok<{ versions: { version: number }[] }>("doc_show", { id: d.id, history: true });
    assert.deepEqual(h.versions.map((v) => v.version), [3, 2, 1]);
    assert.match(await s.err("doc_update", { id: d.id, append: "x", body: "y" }), /append alone/);
    assert.match(await s.err("doc_show", { id: "01ZZZZZZZZ" }), /not_found/);
  } finally {
    await s.close();
  }
});
