import type { ServiceContext } from "./context.ts";
import type { Task } from "../domain/models.ts";
import { AppError, conflict, notFound } from "../domain/errors.ts";
import { parseTaskRef } from "../domain/refs.ts";
import * as repo from "../db/repos/tasks.ts";
import { resolveId } from "../db/repos/ids.ts";
import type { Usage } from "../domain/usage.ts";

/** Guards on a write: the version the caller last saw, and the claim token it holds. */
export interface WriteGuard {
  expectVersion?: number;
  claimToken?: string;
  /** Usage the claim's holder reports with this write (update and move; see runs.ts). */
  usage?: Usage;
}

/**
 * Finding a task and checking a write against it: what labels, plans and runs need of tasks, split
 * from TaskService so they can be built before it (TaskService extends this and writes through them).
 */
export class TaskReader {
  constructor(protected ctx: ServiceContext) {}

  /** Resolves TASK-N, N, a ULID or a unique ULID prefix to an ID. Raises not_found, invalid. */
  async resolve(ref: string): Promise<string> {
    const r = parseTaskRef(ref);
    if (r.kind === "seq") {
      const id = await repo.getTaskIdBySeq(this.ctx.db, r.seq);
      if (!id) throw notFound(`task TASK-${r.seq} not found`);
      return id;
    }
    return await resolveId(this.ctx.db, "tasks", r.id, "task");
  }

  /**
   * The stored row of TASK-N, N, a ULID or a unique ULID prefix, in one query unless a prefix needs
   * resolving (a full 26-character ID matches only itself). `lock`: FOR UPDATE on PostgreSQL;
   * `parts`: `true` for the task's labels, read by the same query (toTask returns them), or
   * repo.RowParts. Raises not_found, invalid.
   */
  async row(ref: string, lock = false, parts: boolean | repo.RowParts = false): Promise<repo.TaskRow> {
    const r = parseTaskRef(ref);
    const id = r.kind === "seq" ? "" : r.id.length === 26 ? r.id : await this.resolve(ref);
    const row = r.kind === "seq"
      ? await repo.getTaskRowBySeq(this.ctx.db, r.seq, lock, parts)
      : await repo.getTaskRowById(this.ctx.db, id, lock, parts);
    if (!row) throw notFound(r.kind === "seq" ? `task TASK-${r.seq} not found` : `task not found: ${ref}`);
    return row;
  }

  /** The task (with its project alias and labels, in one query). Raises not_found. */
  async getTask(ref: string): Promise<Task> {
    return repo.toTask(await this.row(ref, false, true));
  }

  /** Tasks by id, in the order given, read in two queries (rows, then labels). Raises not_found. */
  async getTasks(ids: string[]): Promise<Task[]> {
    const rows = new Map((await repo.getTaskRowsByIds(this.ctx.db, ids)).map((r) => [r.id, r]));
    const tasks = ids.map((id) => {
      const row = rows.get(id);
      if (!row) throw notFound(`task not found: ${id}`);
      return repo.toTask(row);
    });
    return await repo.withLabels(this.ctx.db, tasks);
  }

  /**
   * Raises conflict (with the current task) when the caller's version or claim token is stale. `row`:
   * t's row as read in this transaction (spares reading the token again).
   */
  async checkGuard(t: Task, guard: WriteGuard, row?: repo.TaskRow): Promise<void> {
    if (guard.expectVersion !== undefined && guard.expectVersion !== t.version) {
      throw conflict(`${t.ref} is at version ${t.version}, not ${guard.expectVersion}`, { current: t });
    }
    if (guard.claimToken !== undefined) {
      const token = row ? row.claim_token ?? "" : await this.claimTokenOf(t.id);
      if (token !== guard.claimToken) {
        throw new AppError(
          "conflict",
          `claim token for ${t.ref} is not current (the claim was lost, or the token is wrong)`,
          {
            details: { current: t },
            hint: (w) => `claim it again with ${w.ops.task_claim(t.ref)}`,
          },
        );
      }
    }
  }

  /** Bumps version and updated_at after a change to the task's labels (inside the caller's tx). */
  async touch(id: string): Promise<void> {
    await repo.updateTask(this.ctx.db, id, {}, this.ctx.clock());
  }

  /** The current claim token of a task ('' when unclaimed). */
  async claimTokenOf(id: string): Promise<string> {
    return (await repo.getTaskRowById(this.ctx.db, id))?.claim_token ?? "";
  }
}
