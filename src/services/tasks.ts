import { formatUntil } from "../domain/time.ts";
import type { z } from "zod";
import type { TaskInputSchema, TaskQuerySchema, TaskUpdateSchema } from "../domain/schemas.ts";
import type { ServiceContext } from "./context.ts";
import { record, recordAll, stamp } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Page, Task } from "../domain/models.ts";
import { AppError, invalid } from "../domain/errors.ts";
import { ACTOR_KINDS, parseChoice, parsePriority, parseStatus, parseTaskType } from "../domain/enums.ts";
import { boundedText, optionalName, requireName, requireText } from "../domain/fields.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { claimLive, holds, RELEASED, statusSummary } from "../domain/claims.ts";
import { goQuote } from "../domain/quote.ts";
import { type SearchQuery, toSearch } from "../domain/search.ts";
import * as repo from "../db/repos/tasks.ts";
import { activityInsert } from "../db/repos/activity.ts";
import { searchPage } from "../db/repos/search.ts";
import type { ProjectService } from "./projects.ts";
import type { LabelService } from "./labels.ts";
import type { PlanService } from "./plans.ts";
import type { TaskContext } from "./task_context.ts";
import type { RunService } from "./runs.ts";
import { TaskReader, type WriteGuard } from "./task_reader.ts";
export type { WriteGuard };

/**
 * The fields of the task_create operation (domain/schemas.ts), as the service takes them: the
 * project required and the due date as Unix ns (`due_at`; edges parse `due_date`).
 */
export type TaskCreate =
  & Omit<z.input<typeof TaskInputSchema>, "project" | "due_date">
  & { project: string; due_at?: number | null };

/**
 * The fields of the task_update operation (domain/schemas.ts), as the service takes them: the
 * due date as Unix ns (`due_at`; edges parse `due_date`), guards and labels passed separately.
 */
export type TaskUpdate =
  & Omit<
    z.input<typeof TaskUpdateSchema>,
    "id" | "due_date" | "expected_version" | "claim_token" | "labels" | "archived"
  >
  & { due_at?: number | null };

/** One task patch: fields, the whole label set, and the archived state, under one guard. */
export type TaskPatch = TaskUpdate & Pick<z.input<typeof TaskUpdateSchema>, "labels" | "archived">;

export interface TaskListQuery extends Omit<repo.TaskFilter, "project_id" | "fts" | "seq"> {
  project?: string;
  search?: string;
  sort?: string;
  order?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

/**
 * The list query of a parsed task_query (domain/schemas.ts; HTTP's query string, MCP's task_list),
 * with the page the surface allows: label_match all ANDs the labels, `archived` lists only archived.
 */
export function taskListQuery(
  q: z.output<typeof TaskQuerySchema>,
  page: { limit: number; offset: number },
): TaskListQuery {
  const { label, label_match, priority, archived, limit: _, offset: __, ...rest } = q;
  return {
    ...rest,
    priority: priority?.map(parsePriority),
    labels: label,
    labels_all: label_match === "all",
    include_archived: rest.include_archived ?? false,
    archived_only: archived ?? false,
    ready: rest.ready ?? false,
    blocked: rest.blocked ?? false,
    ...page,
  };
}

/** Tasks: the queue's rows and every rule about writing them. */
export class TaskService extends TaskReader {
  constructor(
    ctx: ServiceContext,
    private projects: ProjectService,
    private labels: Pick<LabelService, "attachInTx" | "set">,
    private plans: Pick<PlanService, "createInTx">,
    private runs: Pick<RunService, "latest" | "ended" | "reported">,
  ) {
    super(ctx);
  }

  /**
   * Task with its full project, labels, current plans, comments and newest runs. Read in one
   * snapshot: the task with its labels and project, then the rest at once (PostgreSQL sends them
   * together on the transaction's connection). Raises not_found.
   */
  async show(ref: string): Promise<Task> {
    // Only show reads plans and comments here: their repos load while the task is read.
    const repos = Promise.all([import("../db/repos/plans.ts"), import("../db/repos/comments.ts")]);
    return await this.ctx.db.tx(async () => {
      const row = await this.row(ref, false, { labels: true, project: true });
      const t = repo.toTask(row);
      t.project = repo.projectOf(row);
      const [{ listPlans }, { listComments }] = await repos;
      const [plans, comments, runs] = await Promise.all([
        listPlans(this.ctx.db, t.id),
        listComments(this.ctx.db, t.id),
        this.runs.latest(t.id),
      ]);
      if (plans.length) t.plans = plans;
      if (comments.length) t.comments = comments;
      if (runs.total) Object.assign(t, { runs: runs.runs, runs_total: runs.total });
      return t;
    }, { readOnly: true });
  }

  /** Creates a task with its labels and plans in one transaction. Raises invalid, not_found. */
  async create(input: TaskCreate, actor: Actor): Promise<Task> {
    const d = this.ctx.taskDefaults;
    const title = requireName(input.title, "title");
    const description = boundedText(input.description ?? "", "description");
    const type = parseTaskType(input.type || d.type);
    const status = parseStatus(input.status || d.status);
    const priority = input.priority === undefined || input.priority === "" || input.priority === 0
      ? d.priority
      : parsePriority(input.priority);
    const plans = (input.plans ?? []).map((p, i) => ({
      ...p,
      title: requireName(p.title, `plans[${i}].title`),
      body: requireText(p.body, `plans[${i}].body`, 1 << 20),
    }));
    return await this.ctx.db.tx(async () => {
      const project = await this.projects.get(input.project);
      const now = this.ctx.clock();
      const id = this.ctx.ids();
      const inserted = await repo.insertTask(this.ctx.db, {
        id,
        project_id: project.id,
        title,
        description,
        type,
        status,
        priority,
        assignee: optionalName(input.assignee ?? "", "assignee"),
        due_at: checkDue(input.due_at),
        actor,
        source: input.source ?? "",
        external_ref: input.external_ref ?? "",
        completed_at: status === "done" ? now : null,
        created_at: now,
        updated_at: now,
        project_path: input.project_path ?? "",
      });
      const seq = inserted.task_seq;
      await repo.recordSeq(this.ctx.db, seq);
      await record(this.ctx, {
        entity: "task",
        entity_id: id,
        action: "created",
        summary: `Created task ${goQuote(title)} (TASK-${seq})`,
        project_id: project.id,
      }, actor);
      const labels = dedupe(input.labels ?? []);
      for (const name of labels) {
        const key = { id, ref: `TASK-${seq}`, project_id: project.id };
        await this.labels.attachInTx(key, requireName(name, "label name", 64), actor);
      }
      for (const p of plans) await this.plans.createInTx({ ...p, task_id: id }, actor);
      // Without labels or plans the task is the row just written (nothing else changes it).
      const t = labels.length || plans.length
        ? await this.getTask(id)
        : repo.toTask({ ...inserted, p_alias: project.alias, p_name: project.name });
      t.project = project;
      return t;
    });
  }

  /** A bounded, filtered, sorted page of tasks with a real total. Raises invalid, not_found. */
  async list(q: TaskListQuery = {}): Promise<{ tasks: Task[]; page: Page }> {
    const f: repo.TaskFilter = {
      ...q,
      actor_kind: parseChoice(q.actor_kind, "actor_kind", ACTOR_KINDS),
      now: q.ready ? this.ctx.clock() : undefined,
    };
    // One snapshot; on PostgreSQL the page and a plain list's stored total go out together.
    return await this.ctx.db.tx(async () => {
      if (q.project) f.project_id = (await this.projects.get(q.project)).id;
      const s: SearchQuery | undefined = q.search ? toSearch(q.search) : undefined;
      // A TASK-N past any stored number matches nothing (and is never bound as an out-of-range integer).
      if (s?.seq !== undefined) f.seq = Number.isSafeInteger(s.seq) ? s.seq : 0;
      const limit = pageLimit(q.limit, UNBOUNDED);
      const offset = pageOffset(q.offset);
      const o = { sort: q.sort ?? "priority", order: q.order ?? "asc", limit, offset } as const;
      let found: { rows: repo.TaskRow[]; total?: number } | undefined;
      if (s?.fts) {
        f.fts = s.fts;
        const r = await ftsErrors(async () => await searchPage(this.ctx.db, f, o), true);
        if ("rows" in r) found = r;
        else f.fts_dense = r.dense;
      }
      // A total kept in task_counts (a plain list) is one cheap read: asked with the page.
      const stored = found || f.fts ? undefined : repo.storedCount(this.ctx.db, f);
      void stored?.catch(() => {}); // awaited below unless the page fails
      const rows = found?.rows ?? await ftsErrors(async () => await repo.listTaskRows(this.ctx.db, f, o));
      const full = limit > 0 && rows.length === limit;
      const total = found?.total ??
        (full || (offset > 0 && rows.length === 0)
          ? await stored ?? await ftsErrors(async () => await repo.countTasks(this.ctx.db, f))
          : offset + rows.length);
      const tasks = await repo.tasksOf(this.ctx.db, rows);
      const page: Page = { total, count: tasks.length, has_more: offset + tasks.length < total };
      if (limit > 0) page.limit = limit;
      if (offset) page.offset = offset;
      return { tasks, page };
    }, { readOnly: true });
  }

  /**
   * Changes only the given fields in one compare-and-set write. A status change sets or clears
   * completed_at and, leaving `doing`, ends any claim. Raises not_found, invalid, conflict.
   */
  async update(ref: string, input: TaskUpdate, actor: Actor, guard: WriteGuard = {}): Promise<Task> {
    const patch: repo.TaskPatch = {};
    if (input.title !== undefined) patch.title = requireName(input.title, "title");
    if (input.assignee !== undefined) optionalName(input.assignee, "assignee");
    if (input.description !== undefined) patch.description = boundedText(input.description, "description");
    if (input.type !== undefined) patch.type = parseTaskType(input.type);
    if (input.status !== undefined) patch.status = parseStatus(input.status);
    if (input.priority !== undefined) patch.priority = parsePriority(input.priority);
    for (const k of ["assignee", "source", "external_ref", "project_path"] as const) {
      if (input[k] !== undefined) patch[k] = input[k];
    }
    if (input.due_at !== undefined) patch.due_at = checkDue(input.due_at);
    if (!Object.keys(patch).length) throw invalid("nothing to update (give at least one field)");
    return await this.ctx.db.tx(async () => {
      const row = await this.row(ref, false, true);
      const before = repo.toTask(row);
      await this.checkGuard(before, guard, row);
      const now = this.ctx.clock();
      const statusChanged = patch.status !== undefined && patch.status !== before.status;
      if (statusChanged) await this.respectClaim(before, actor, guard, now, row);
      await this.#runHook(row, patch.status, actor, { ...guard, now });
      if (statusChanged) {
        patch.completed_at = patch.status === "done" ? now : null;
        if (patch.status !== "doing") Object.assign(patch, RELEASED);
      }
      const event = (after: Task) =>
        stamp(this.ctx, {
          entity: "task",
          entity_id: after.id,
          action: statusChanged ? "status_changed" : "updated",
          summary: statusChanged
            ? statusSummary(after.ref, after.title, before.status, after.status)
            : `Updated task ${after.ref} ${goQuote(after.title)}`,
          project_id: after.project_id,
        }, actor);
      // Known before the write (see written), the task's event is logged by the write itself.
      const after = written(row, patch, now);
      const also = after ? [activityInsert([event(after)])] : [];
      await repo.updateTask(this.ctx.db, before.id, patch, now, { before: row, also });
      if (after) return after;
      const read = await this.getTask(before.id);
      await recordAll(this.ctx, [event(read)]);
      return read;
    });
  }

  /**
   * Applies fields, labels and the archived state in one transaction. The version guard is checked
   * once, against the task as given (each write below bumps the version); the claim token is passed
   * to every step, so the holder's token works for any actor. Raises not_found, invalid, conflict.
   */
  async patch(ref: string, input: TaskPatch, actor: Actor, guard: WriteGuard = {}): Promise<Task> {
    const { labels, archived, ...fields } = input;
    const hasFields = Object.values(fields).some((v) => v !== undefined);
    if (!hasFields && labels === undefined && archived === undefined) {
      throw invalid("nothing to change (give a field, labels or archived)");
    }
    return await this.ctx.db.tx(async () => {
      const t = await this.getTask(ref);
      await this.checkGuard(t, guard);
      const g: WriteGuard = { claimToken: guard.claimToken, usage: guard.usage };
      if (labels) await this.labels.set(t.id, labels.map((l) => l.trim()).filter(Boolean), actor, g);
      if (archived === false) await this.unarchive(t.id, actor, g);
      if (hasFields) await this.update(t.id, fields, actor, g);
      // Archive last: archiving ends a live claim (released), so a status change in the same patch
      // (done) ends it first. The token, checked above, may be spent by then; usage is reported once.
      if (archived === true) {
        const held = await this.claimTokenOf(t.id) !== "";
        await this.archive(t.id, actor, {
          claimToken: held ? g.claimToken : undefined,
          usage: hasFields ? undefined : g.usage,
        });
      }
      return await this.getTask(t.id);
    });
  }

  /** A status change away from `doing` ends the claim's run; usage is added to it either way. */
  async #runHook(
    row: repo.TaskRow,
    status: string | undefined,
    actor: Actor,
    guard: WriteGuard & { now: number },
  ): Promise<void> {
    const leaving = row.status === "doing" && status !== undefined && status !== "doing";
    if (!leaving && !guard.usage) return;
    const w = { usage: guard.usage, viaToken: guard.claimToken !== undefined, now: guard.now };
    if (leaving) await this.runs.ended(row, status === "done" ? "done" : "released", actor, w);
    else await this.runs.reported(row, actor, w);
  }

  /** Moves a task to a status (update with only the status). */
  async move(ref: string, status: string, actor: Actor, guard: WriteGuard = {}): Promise<Task> {
    return await this.update(ref, { status: parseStatus(status) }, actor, guard);
  }

  /** Archives a task. Raises not_found, conflict. */
  async archive(ref: string, actor: Actor, guard: WriteGuard = {}): Promise<Task> {
    return await this.#setArchived(ref, true, actor, guard);
  }

  /** Restores an archived task; a no-op when not archived. Raises not_found, conflict. */
  async unarchive(ref: string, actor: Actor, guard: WriteGuard = {}): Promise<Task> {
    return await this.#setArchived(ref, false, actor, guard);
  }

  async #setArchived(ref: string, archive: boolean, actor: Actor, guard: WriteGuard): Promise<Task> {
    return await this.ctx.db.tx(async () => {
      const t = await this.getTask(ref);
      await this.checkGuard(t, guard);
      if (!archive && t.archived_at === undefined) return t;
      const now = this.ctx.clock();
      await this.respectClaim(t, actor, guard, now);
      const released = archive ? await this.#endClaim(t, actor, guard, now) : {};
      await repo.updateTask(this.ctx.db, t.id, { archived_at: archive ? now : null, ...released }, now, {
        before: openState(t),
      });
      await record(this.ctx, {
        entity: "task",
        entity_id: t.id,
        action: archive ? "archived" : "unarchived",
        summary: `${archive ? "Archived" : "Restored"} task ${t.ref} ${goQuote(t.title)}`,
        project_id: t.project_id,
      }, actor);
      return await this.getTask(t.id);
    });
  }

  /**
   * Archiving a claimed task (which respectClaim allowed) ends the claim: its run ends, the task goes
   * back to todo, unassigned, so a restored task is in the queue again. Returns the fields to write.
   */
  async #endClaim(t: Task, actor: Actor, guard: WriteGuard, now: number): Promise<repo.TaskPatch> {
    const row = (await repo.getTaskRowById(this.ctx.db, t.id))!;
    if (row.status !== "doing" || !row.claim_token) return {};
    const w = { usage: guard.usage, viaToken: guard.claimToken !== undefined, now };
    await this.runs.ended(row, "released", actor, w);
    const log = async (action: string, summary: string) =>
      await record(
        this.ctx,
        { entity: "task", entity_id: t.id, action, summary, project_id: t.project_id },
        actor,
      );
    await log("released", `Released claim on ${t.ref} ${goQuote(t.title)} (archived)`);
    await log("status_changed", `Changed status of ${t.ref} ${goQuote(t.title)} from doing to todo`);
    return { status: "todo", assignee: "", ...RELEASED };
  }

  /** Hard-deletes a task with its plans, comments, labels and attachments. Raises not_found, conflict. */
  async delete(ref: string, actor: Actor, guard: WriteGuard = {}): Promise<Task> {
    // Imported here, before the transaction: only a delete needs it (start-up of other commands).
    const { deleteLinked } = await import("../db/repos/attachments.ts");
    return await this.ctx.db.tx(async () => {
      const t = await this.getTask(ref);
      await this.checkGuard(t, guard);
      await this.respectClaim(t, actor, guard, this.ctx.clock());
      await repo.deleteTask(this.ctx.db, t.id);
      await deleteLinked(this.ctx.db, "task", t.id); // attachments have no FK to cascade
      await record(this.ctx, {
        entity: "task",
        entity_id: t.id,
        action: "deleted",
        summary: `Deleted task ${t.ref} ${goQuote(t.title)}`,
        project_id: t.project_id,
      }, actor);
      return t;
    });
  }

  /** What a fresh agent needs for one task, in one bounded reply (see task_context.ts). Raises not_found. */
  async context(ref: string): Promise<TaskContext> {
    const { taskContext } = await import("./task_context.ts"); // with its repos, only here
    return await taskContext(this.ctx, this, this.runs, ref);
  }

  /**
   * A live claim belongs to its holder: moving, archiving or deleting the task needs the holder's
   * identity or its claim token (field edits stay open to everyone). An expired lease protects
   * nothing. Raises conflict naming the holder and the expiry.
   */
  async respectClaim(
    t: Task,
    actor: Actor,
    guard: WriteGuard,
    now: number,
    row?: repo.TaskRow,
  ): Promise<void> {
    row ??= (await repo.getTaskRowById(this.ctx.db, t.id))!;
    if (!claimLive(row, now) || holds(row, actor)) return;
    if (guard.claimToken !== undefined && guard.claimToken === row.claim_token) return;
    const holder = row.claimed_by || `${actor.kind}:${row.assignee}`;
    const expiry = row.lease_expires_at === null ? "" : ` until ${formatUntil(row.lease_expires_at)}`;
    throw new AppError("conflict", `${t.ref} is claimed by ${holder}${expiry}`, {
      details: { current: t },
      hint: (w) =>
        `pass the holder's claim token with ${w.fields.claim_token}, or wait for the lease to expire`,
    });
  }
}

/**
 * A malformed FTS5 query is the caller's input error, not an internal one. FTS5 words its syntax
 * errors in many ways ("fts5: syntax error near", "unknown special query" for a leading `*`, "no such
 * column" for `x:`…), so the probe (fixed SQL around one MATCH parameter, run first) counts any
 * SQLITE_ERROR as the query's; later statements fall back to the known wordings. On PostgreSQL the
 * translation to a tsquery raises invalid itself; a tsquery the server still refuses is the query's
 * too. Raises invalid.
 */
async function ftsErrors<T>(fn: () => Promise<T>, probe = false): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { message?: string; errcode?: number };
    if (
      (probe && e.errcode === 1) ||
      /fts5|unterminated string|no such column|malformed MATCH|tsquery/i.test(e.message ?? "")
    ) {
      throw new AppError("invalid", "invalid search syntax", {
        hint: "quote the text, or use FTS5 syntax like term* or a OR b",
      });
    }
    throw err;
  }
}

/** A due date is null or whole nanoseconds within SQLite's 64-bit range. Raises invalid. */
function checkDue(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 9.2e18) {
    throw invalid(
      `due_at: invalid timestamp ${JSON.stringify(v)} (use Unix nanoseconds or due_date YYYY-MM-DD)`,
    );
  }
  return v;
}

function dedupe(names: string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}

/** Patch columns holding numbers (the rest hold strings); nanosecond times are bound rounded. */
const NUMERIC = new Set([
  "priority",
  "due_at",
  "completed_at",
  "archived_at",
  "claimed_at",
  "lease_expires_at",
]);

/**
 * The task as an update wrote it, without reading it back: the row read in the same transaction plus
 * the patch, the version bumped and updated_at set (SQLite's one writer, or PostgreSQL's serializable
 * write, proves nothing else changed the row in between; the recount only writes the stored counts,
 * which a Task does not show). Undefined when a patched value might read back differently (a value
 * not of its column's type, or a time the binding would round): then the caller reads it.
 */
function written(row: repo.TaskRow, patch: repo.TaskPatch, now: number): Task | undefined {
  for (const [k, v] of Object.entries(patch)) {
    const ok = NUMERIC.has(k) ? v === null || Number.isInteger(v) : typeof v === "string";
    if (!ok) return undefined;
  }
  if (!Number.isInteger(now)) return undefined;
  return repo.toTask(repo.rowAfter(row, patch, now));
}

/** A task's open/closed inputs in the repo's row form (spares the write a read). */
const openState = (t: Task) => ({ status: t.status, archived_at: t.archived_at ?? null });
