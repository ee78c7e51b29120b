import { z } from "zod";
import { ADD, type Kit, MOVE, READ, SET } from "../define.ts";
import { ok } from "../result.ts";
import { contextText, listText, taskLine, taskListItem, taskText } from "../render.ts";
import * as s from "../schema.ts";
import { parsePriority, parseStatus, parseTaskType } from "../../domain/enums.ts";
import type { TaskPatch } from "../../services/tasks.ts";
import { usageOf } from "../../domain/usage.ts";
import { TaskInputSchema, TaskUpdateSchema } from "../../domain/schemas.ts";

// Text rules (length, allowed characters) come from the domain operations; type, priority and
// due_date stay loose strings here (their enums and patterns would cost bytes in every session)
// and are parsed by the same domain rules in the service.
const C = TaskInputSchema.shape;
const U = TaskUpdateSchema.shape;

const SHOW_COMMENTS = 10;

/** task_create, task_list, task_show, task_update, task_move. */
export function registerTaskTools(k: Kit): void {
  const { app } = k;

  k.tool("task_create", {
    title: "Create task",
    description: "Create a task.",
    input: {
      project: z.string(),
      title: C.title,
      description: C.description,
      type: s.optText,
      status: C.status,
      priority: s.priority,
      assignee: C.assignee,
      labels: s.labels.optional(),
      source: C.source,
      external_ref: C.external_ref,
      due_date: z.string().describe("YYYY-MM-DD").optional(),
      project_path: C.project_path,
    },
    hints: ADD,
    async run(a, actor) {
      const { due_date, type, ...rest } = a;
      const input = {
        ...rest,
        type: type ? parseTaskType(type) : undefined,
        due_at: s.dueAt(due_date) ?? null,
      };
      const t = await app.tasks.create(input, actor);
      return ok({ ...t }, `created ${taskLine(t)}`);
    },
  });

  k.tool("task_list", {
    title: "List tasks",
    description: "Tasks, best first; full: +descriptions.",
    input: {
      project: s.optText,
      status: s.optText,
      type: s.optText,
      priority: s.priority,
      label: s.optText,
      assignee: s.optText,
      search: s.optText,
      ready: z.boolean().optional(),
      archived: z.boolean().optional(),
      full: z.boolean().optional(),
      ...s.paging,
    },
    hints: READ,
    async run(a) {
      const { tasks, page } = await app.tasks.list({
        project: a.project,
        status: s.commaList(a.status)?.map(parseStatus),
        type: s.commaList(a.type)?.map(parseTaskType),
        priority: a.priority === undefined ? undefined : [parsePriority(a.priority)],
        labels: s.commaList(a.label),
        assignee: a.assignee,
        search: a.search,
        ready: a.ready,
        archived_only: a.archived,
        ...s.bounds(a),
      });
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
    input: { id: s.taskRef, context: z.boolean().optional() },
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
    input: {
      id: s.taskRef,
      title: U.title,
      description: U.description,
      status: U.status,
      priority: s.priority,
      type: s.optText,
      assignee: U.assignee,
      labels: s.labels.optional(),
      source: U.source,
      external_ref: U.external_ref,
      due_date: s.optText,
      project_path: U.project_path,
      archived: z.boolean().optional(),
      expected_version: s.version.optional(),
      claim_token: s.optText,
    },
    hints: SET,
    async run(a, actor) {
      const { id, due_date, expected_version, claim_token, type, ...rest } = a;
      const patch: TaskPatch = { ...rest, type: type === undefined ? undefined : parseTaskType(type) };
      if (due_date !== undefined) patch.due_at = s.dueAt(due_date);
      const guard = { expectVersion: expected_version, claimToken: claim_token || undefined };
      const t = await app.tasks.patch(id, patch, actor, guard);
      return ok({ ...t }, `updated ${taskLine(t)}`);
    },
  });

  k.tool("task_move", {
    title: "Move task",
    description: "Set status; +usage.",
    input: {
      id: s.taskRef,
      status: s.status,
      claim_token: s.optText,
      ...s.usage,
    },
    hints: MOVE,
    async run(a, actor) {
      const guard = { claimToken: a.claim_token || undefined, usage: usageOf(a) };
      const t = await app.tasks.move(a.id, a.status, actor, guard);
      return ok({ ...t }, `moved ${taskLine(t)}`);
    },
  });
}
