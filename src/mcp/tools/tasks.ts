import { z } from "zod";
import { ADD, type Kit, MOVE, READ, SET } from "../define.ts";
import { ok } from "../result.ts";
import { contextText, listText, taskLine, taskListItem, taskText } from "../render.ts";
import * as s from "../schema.ts";
import { taskListQuery, type TaskPatch } from "../../services/tasks.ts";
import { usageOf } from "../../domain/usage.ts";
import { parseDueDate } from "../../domain/time.ts";
import { TaskCreateSchema, TaskMoveSchema, TaskQuerySchema, TaskUpdateSchema } from "../../domain/schemas.ts";
import { TaskRef } from "../../domain/schema_fields.ts";

// Every argument is a field of the domain operation (its rules and messages); tools/list advertises
// them compactly (src/mcp/schema.ts).
const TaskList = TaskQuerySchema.pick({
  project: true,
  status: true,
  type: true,
  priority: true,
  label: true,
  assignee: true,
  search: true,
  ready: true,
  archived: true,
  limit: true,
  offset: true,
});

const SHOW_COMMENTS = 10;

/** task_create, task_list, task_show, task_update, task_move. */
export function registerTaskTools(k: Kit): void {
  const { app } = k;

  k.tool("task_create", {
    title: "Create task",
    description: "Create a task.",
    input: TaskCreateSchema.omit({ plans: true }).shape,
    hints: ADD,
    async run({ due_date, ...input }, actor) {
      const t = await app.tasks.create({ ...input, due_at: parseDueDate(due_date) ?? null }, actor);
      return ok({ ...t }, `created ${taskLine(t)}`);
    },
  });

  k.tool("task_list", {
    title: "List tasks",
    description: "Tasks, best first; full: +descriptions.",
    input: { ...TaskList.shape, full: z.boolean().optional() },
    hints: READ,
    async run(a) {
      const { full: _, ...q } = a;
      const { tasks, page } = await app.tasks.list(taskListQuery(q, s.bounds(a)));
      page.offset ??= a.offset ?? 0;
      const rows = tasks.map((t) => taskListItem(t, a.full));
      const text = listText(
        rows.map((r) =>
          r.description ? `${taskLine(r)}\n  ${r.description.replaceAll("\n", "\n  ")}` : taskLine(r)
        ),
        page,
        "no tasks",
      );
      return ok({ tasks: rows, page }, text);
    },
  });

  k.tool("task_show", {
    title: "Show task",
    description: "Task + plans, deps, comments, runs; context: +memory.",
    input: { id: TaskRef, context: z.boolean().optional() },
    hints: READ,
    async run(a) {
      if (a.context) {
        const c = await app.tasks.context(a.id);
        return ok({ ...c }, contextText(c));
      }
      const t = await app.tasks.show(a.id);
      const deps = await app.deps.list(t.id);
      const commentsTotal = t.comments?.length ?? 0;
      if (t.comments) t.comments = t.comments.slice(-SHOW_COMMENTS);
      const data = {
        ...t,
        comments_total: commentsTotal,
        blocked_by: deps.blocked_by.map((d) => d.ref),
        blocks: deps.blocks.map((d) => d.ref),
      };
      return ok(data, taskText(t, { commentsTotal, deps }));
    },
  });

  k.tool("task_update", {
    title: "Update task",
    description: 'Set given fields; "" clears; labels replace all.',
    input: TaskUpdateSchema.shape,
    hints: SET,
    async run(a, actor) {
      const { id, due_date, expected_version, claim_token, ...rest } = a;
      const patch: TaskPatch = { ...rest };
      if (due_date !== undefined) patch.due_at = parseDueDate(due_date);
      const guard = { expectVersion: expected_version, claimToken: claim_token || undefined };
      const t = await app.tasks.patch(id, patch, actor, guard);
      return ok({ ...t }, `updated ${taskLine(t)}`);
    },
  });

  k.tool("task_move", {
    title: "Move task",
    description: "Set status; +usage.",
    input: TaskMoveSchema.shape,
    hints: MOVE,
    async run(a, actor) {
      const guard = { claimToken: a.claim_token || undefined, usage: usageOf(a) };
      const t = await app.tasks.move(a.id, a.status, actor, guard);
      return ok({ ...t }, `moved ${taskLine(t)}`);
    },
  });
}
