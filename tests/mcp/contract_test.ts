import assert from "node:assert/strict";
import { session, withProject } from "./mcp_client.ts";
import { httpTest } from "../http/client.ts";
import { fetchToolList } from "../../src/mcp/inspect.ts";
import {
  ActivityQuerySchema,
  CommentInputSchema,
  DepChangeSchema,
  DocQuerySchema,
  MemoryInputSchema,
  PlanInputSchema,
  ProjectInputSchema,
  TaskCreateSchema,
  TaskMoveSchema,
  TaskQuerySchema,
  TaskUpdateSchema,
} from "../../src/domain/schemas.ts";
import type { Task } from "../../src/domain/models.ts";
import { bot, testApp } from "../helpers/app.ts";

/** The message of an MCP isError text (`error (invalid): <message>`, maybe a hint line after). */
const mcpMessage = (text: string) => text.split("\n")[0].replace(/^error \(\w+\): /, "");

Deno.test("MCP tool arguments are the domain operations' fields (names and required ones)", async () => {
  const app = await testApp();
  try {
    const { tools } = await fetchToolList(app, bot);
    const tool = (name: string) => tools.find((t) => t.name === name)!.inputSchema;
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["project_create", ProjectInputSchema.shape, []],
      ["task_create", TaskCreateSchema.omit({ plans: true }).shape, []],
      ["task_update", TaskUpdateSchema.shape, []],
      ["task_move", TaskMoveSchema.shape, []],
      ["task_dep", DepChangeSchema.shape, []],
      ["comment_add", CommentInputSchema.shape, []],
      ["memory_add", MemoryInputSchema.shape, []],
      ["plan_add", { task_id: 0, ...PlanInputSchema.shape }, []],
      ["doc_list", DocQuerySchema.shape, []],
      ["task_list", TaskQuerySchema.shape, ["full"]],
    ];
    for (const [name, shape, extra] of cases) {
      const props = Object.keys(tool(name).properties ?? {});
      for (const k of props) assert.ok(k in shape || extra.includes(k), `${name}.${k} is not a domain field`);
      if (name !== "task_list") assert.deepEqual(props, Object.keys(shape), name);
    }
    assert.deepEqual(tool("task_move").required, ["id", "status"]);
    assert.deepEqual(tool("task_create").required, ["project", "title"]);
    // The activity filters MCP takes are activity_query's (task_id is its entity_id).
    const activity = Object.keys(tool("activity_list").properties ?? {});
    for (const k of activity.filter((k) => !["task_id", "report"].includes(k))) {
      assert.ok(k in ActivityQuerySchema.shape, `activity_list.${k}`);
    }
    // A list that also takes "a,b" is advertised as its item; enums of three values are listed.
    assert.deepEqual(tool("task_list").properties?.status, { type: "string" });
    assert.deepEqual(tool("task_move").properties?.status, {
      type: "string",
      enum: ["todo", "doing", "done"],
    });
    assert.deepEqual(tool("task_update").properties?.priority, { type: ["integer", "string"] });
  } finally {
    await app.close();
  }
});

Deno.test("HTTP and MCP answer the same bad value with the same message", async () => {
  const app = await testApp();
  const s = await session({ app });
  const h = await httpTest({ app });
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    const claim = await s.ok<{ token: string }>("task_claim", { id: "TASK-1" });
    const cases: [string, Record<string, unknown>, string, string, Record<string, unknown>?][] = [
      ["task_create", { project: "api", title: "y", type: "epic" }, "POST", "/api/tasks"],
      ["task_create", { project: "api", title: "y", priority: "P9" }, "POST", "/api/tasks"],
      ["task_create", { project: "api", title: "y", due_date: "soon" }, "POST", "/api/tasks"],
      ["task_update", { id: "TASK-1", status: "wip" }, "PATCH", "/api/tasks/TASK-1"],
      [
        "task_move",
        { id: "TASK-1", status: "done", claim_token: claim.token, output_tokens: -1 },
        "PATCH",
        "/api/tasks/TASK-1/status",
      ],
      ["task_claim", { id: "TASK-1", lease: "soon" }, "POST", "/api/tasks/TASK-1/claim"],
      ["memory_add", { project: "api", body: "  " }, "POST", "/api/memory"],
    ];
    for (const [tool, args, method, path] of cases) {
      const { id: _, ...body } = args;
      const r = await h.call(method, path, body);
      assert.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
      assert.equal(mcpMessage(await s.err(tool, args)), r.json.error, `${tool} ${JSON.stringify(args)}`);
    }
    // List filters: MCP's "a,b" string and HTTP's query string read the same list, in any case.
    const mcp = await s.ok<{ tasks: Task[] }>("task_list", { status: "DOING, todo" });
    const http = await h.get("/api/tasks?status=DOING,todo");
    assert.deepEqual(mcp.tasks.map((t) => t.ref), ["TASK-1"]);
    assert.deepEqual(http.json.tasks.map((t: Task) => t.ref), ["TASK-1"]);
    const bad = await h.get("/api/tasks?status=open");
    assert.equal(bad.json.error, mcpMessage(await s.err("task_list", { status: "open" })));
    // An activity filter is refused by the rule the CLI and MCP share.
    const kind = await h.get("/api/activity?kind=bogus");
    assert.equal((await h.get("/api/activity?order=up")).json.error, 'invalid order "up" (valid: asc, desc)');
    assert.match(kind.json.error, /^kind: invalid value "bogus" \(valid: project, task, plan, /);
  } finally {
    await h.close();
    await s.close();
    await app.close();
  }
});

Deno.test("task_create and task_update take a due date as every surface does: a date, '' or 'none' for none", async () => {
  const s = await session();
  try {
    await withProject(s);
    const a = await s.ok<Task>("task_create", { project: "api", title: "a", due_date: "" });
    assert.equal(a.due_at, undefined);
    const b = await s.ok<Task>("task_create", { project: "api", title: "b", due_date: "2026-03-01" });
    assert.equal(b.due_at, Date.UTC(2026, 2, 1) * 1e6);
    const cleared = await s.ok<Task>("task_update", { id: b.ref, due_date: "none" });
    assert.equal(cleared.due_at, undefined);
    assert.match(
      await s.err("task_update", { id: b.ref, due_date: "someday" }),
      /due_date: invalid date "someday"/,
    );
  } finally {
    await s.close();
  }
});
