import type { Hono } from "hono";
import { z } from "zod";
import { HTTP_MAX_PAGE, pageLimit, pageOffset } from "../../domain/paging.ts";
import {
  LabelAttachSchema,
  TaskCreateSchema,
  TaskMoveSchema,
  TaskQuerySchema,
  TaskUpdateSchema,
} from "../../domain/schemas.ts";
import { usageOf } from "../../domain/usage.ts";
import { invalid } from "../../domain/errors.ts";
import { parseDueDate } from "../../domain/time.ts";
import { taskListQuery, type TaskPatch } from "../../services/tasks.ts";
import {
  actorOf,
  body,
  type Deps,
  type HttpContext,
  type HttpEnv,
  ifMatch,
  qParse,
  taskJson,
} from "../request.ts";

/** A due time in Unix ns (whole, possibly beyond 2^53), or null to clear. */
const dueAt = z.number().refine(Number.isInteger, "due_at must be whole nanoseconds").nullable().optional();

/** POST /api/tasks: the domain's task_create (project required), plus `due_at` in Unix ns. */
const TaskCreate = TaskCreateSchema.extend({ due_at: dueAt });

/**
 * PATCH /api/tasks/{id}: the shared task_update (fields, labels, archived) without `id` (it is in
 * the path), plus `due_at` (Unix ns) and `clear_due_at`.
 */
const TaskPatchBody = TaskUpdateSchema.omit({ id: true }).extend({
  due_at: dueAt,
  clear_due_at: z.boolean().optional(),
});

/** PATCH /api/tasks/{id}/status: the domain's task_move without `id`. */
const StatusBody = TaskMoveSchema.omit({ id: true });

/** `clear_due_at` or `due_date: ""` clears; `due_date` wins over `due_at` (ns). */
function due(
  b: { due_at?: number | null; due_date?: string; clear_due_at?: boolean },
): number | null | undefined {
  if (b.clear_due_at) return null;
  const typed = parseDueDate(b.due_date, "due_date");
  return typed !== undefined ? typed : b.due_at;
}

/** The version to expect: `If-Match`, else `expected_version` in the body. Raises invalid on a mismatch. */
function expectedVersion(c: HttpContext, fromBody: number | undefined): number | undefined {
  const header = ifMatch(c);
  if (header !== undefined && fromBody !== undefined && header !== fromBody) {
    throw invalid(`If-Match ("${header}") and expected_version (${fromBody}) disagree`);
  }
  return header ?? fromBody;
}

/** The task list query, read through the domain's task_query (`backlog schema task_query`). */
function listQuery(c: HttpContext) {
  const q = qParse(c, TaskQuerySchema);
  return taskListQuery(q, { limit: pageLimit(q.limit, HTTP_MAX_PAGE), offset: pageOffset(q.offset) });
}

/**
 * /api/tasks: list, create, show, update, status, archive, unarchive, delete, labels.
 *
 * List filters (repeat a parameter or separate values with commas; values of one filter are ORed,
 * different filters ANDed): project, status, type, priority, label, assignee, actor_kind,
 * actor_name, search (FTS5, or TASK-N), ready, blocked, include_archived, archived (only archived).
 * Several labels match tasks with ANY of them (the original's behaviour) unless `label_match=all`
 * asks for tasks with ALL of them. sort (priority|created|updated|seq|title), order (asc|desc),
 * limit and offset (the paging rule: default 50, 0 = the largest page, 10,000); `page.total` counts every match.
 *
 * Writes honour `If-Match: <version>` and a claim token (`X-Claim-Token` or `claim_token`): a stale
 * one is a 409 carrying the current task. Single-task responses carry the version as ETag.
 */
export function taskRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  // If-Match: <version> (or `expected_version` in a PATCH body), and the claim token
  // (X-Claim-Token header or `claim_token` in the body).
  const guard = (c: HttpContext, claimToken?: string, version?: number) => ({
    expectVersion: expectedVersion(c, version),
    claimToken: claimToken ?? c.req.header("x-claim-token"),
  });
  r.get("/api/tasks", async (c) => c.json(await app.tasks.list(listQuery(c))));
  r.post("/api/tasks", async (c) => {
    const b = await body(c, TaskCreate);
    const { due_date: _, ...input } = b;
    const t = await app.tasks.create({ ...input, due_at: due(b) ?? null }, actorOf(c));
    return taskJson(c, t);
  });
  r.get("/api/tasks/:id", async (c) => taskJson(c, await app.tasks.show(c.req.param("id"))));
  r.patch("/api/tasks/:id", async (c) => {
    const { due_date, clear_due_at, due_at, claim_token, expected_version, ...rest } = await body(
      c,
      TaskPatchBody,
    );
    const input: TaskPatch = { ...rest };
    const d = due({ due_at, due_date, clear_due_at });
    if (d !== undefined) input.due_at = d;
    const g = guard(c, claim_token, expected_version);
    return taskJson(c, await app.tasks.patch(c.req.param("id"), input, actorOf(c), g));
  });
  r.delete("/api/tasks/:id", async (c) => {
    await app.tasks.delete(c.req.param("id"), actorOf(c), guard(c));
    return c.body(null, 204);
  });
  r.patch("/api/tasks/:id/status", async (c) => {
    const b = await body(c, StatusBody);
    const g = { ...guard(c, b.claim_token), usage: usageOf(b) };
    return taskJson(c, await app.tasks.move(c.req.param("id"), b.status, actorOf(c), g));
  });
  r.patch(
    "/api/tasks/:id/archive",
    async (c) => taskJson(c, await app.tasks.archive(c.req.param("id"), actorOf(c), guard(c))),
  );
  r.patch("/api/tasks/:id/unarchive", async (c) => {
    return taskJson(c, await app.tasks.unarchive(c.req.param("id"), actorOf(c), guard(c)));
  });
  r.post("/api/tasks/:id/labels", async (c) => {
    const b = await body(c, LabelAttachSchema);
    await app.labels.attach(c.req.param("id"), b.name, actorOf(c));
    return taskJson(c, await app.tasks.show(c.req.param("id")));
  });
  r.delete("/api/tasks/:id/labels/:name", async (c) => {
    await app.labels.detach(c.req.param("id"), c.req.param("name"), actorOf(c));
    return taskJson(c, await app.tasks.show(c.req.param("id")));
  });
}
