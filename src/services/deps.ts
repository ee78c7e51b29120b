import type { ServiceContext } from "./context.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Task } from "../domain/models.ts";
import { AppError, invalid, notFound } from "../domain/errors.ts";
import { goQuote } from "../domain/quote.ts";
import * as repo from "../db/repos/deps.ts";
import { type TaskRow, toTask, withLabels } from "../db/repos/tasks.ts";
import type { TaskService } from "./tasks.ts";

/** A task's direct dependencies in both directions. */
export interface DepList {
  blocked_by: Task[];
  blocks: Task[];
}

/** Dependencies between tasks: "A is blocked by B" means A waits until B is done. */
export class DepService {
  constructor(private ctx: ServiceContext, private tasks: TaskService) {}

  /**
   * Records that `ref` waits on `blockedByRef`; adding an existing edge is a no-op. Raises
   * not_found (either task), invalid (a task blocking itself, or an edge that would close a cycle).
   */
  async add(ref: string, blockedByRef: string, actor: Actor): Promise<DepList> {
    return await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(ref);
      const b = await this.tasks.getTask(blockedByRef);
      if (t.id === b.id) throw invalid(`${t.ref} cannot be blocked by itself`);
      const cycle = await this.#pathBetween(b.id, t.id);
      if (cycle) {
        const refs: string[] = [];
        for (const id of [t.id, ...cycle]) refs.push((await this.tasks.getTask(id)).ref);
        const msg = `${t.ref} cannot be blocked by ${b.ref}: that would close a cycle (${
          refs.join(" waits on ")
        })`;
        throw new AppError("invalid", msg, {
          hint: (w) => `remove one edge of the cycle first with ${w.ops.dep_remove()}`,
          details: { cycle: refs },
        });
      }
      const now = this.ctx.clock();
      const added = await repo.insertDep(this.ctx.db, {
        task_id: t.id,
        blocked_by: b.id,
        actor,
        created_at: now,
      });
      if (added) {
        await record(this.ctx, {
          entity: "task",
          entity_id: t.id,
          action: "dep_added",
          summary: `Added dependency: ${t.ref} ${goQuote(t.title)} is blocked by ${b.ref} ${
            goQuote(b.title)
          }`,
          project_id: t.project_id,
        }, actor);
      }
      return await this.list(t.id);
    });
  }

  /** Removes the edge "`ref` is blocked by `blockedByRef`". Raises not_found (a task or the edge). */
  async remove(ref: string, blockedByRef: string, actor: Actor): Promise<DepList> {
    return await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(ref);
      const b = await this.tasks.getTask(blockedByRef);
      if (!await repo.deleteDep(this.ctx.db, { task_id: t.id, blocked_by: b.id })) {
        throw notFound(`${t.ref} is not blocked by ${b.ref}`, (w) => `see ${w.ops.dep_list(t.ref)}`);
      }
      await record(this.ctx, {
        entity: "task",
        entity_id: t.id,
        action: "dep_removed",
        summary: `Removed dependency: ${t.ref} ${goQuote(t.title)} is no longer blocked by ${b.ref} ${
          goQuote(b.title)
        }`,
        project_id: t.project_id,
      }, actor);
      return await this.list(t.id);
    });
  }

  /**
   * Adds and removes several edges of one task in one transaction (all or nothing) and returns
   * its dependencies after. Raises not_found, invalid (self, cycle), as add and remove do.
   */
  async change(ref: string, c: { add?: string[]; remove?: string[] }, actor: Actor): Promise<DepList> {
    return await this.ctx.db.tx(async () => {
      for (const b of c.add ?? []) await this.add(ref, b, actor);
      for (const b of c.remove ?? []) await this.remove(ref, b, actor);
      return await this.list(ref);
    });
  }

  /** The tasks `ref` waits on and the tasks waiting on it (direct edges, by TASK-N). Raises not_found. */
  async list(ref: string): Promise<DepList> {
    const id = await this.tasks.resolve(ref);
    return {
      blocked_by: await this.#tasks(await repo.listBlockers(this.ctx.db, id)),
      blocks: await this.#tasks(await repo.listDependents(this.ctx.db, id)),
    };
  }

  async #tasks(rows: TaskRow[]): Promise<Task[]> {
    return await withLabels(this.ctx.db, rows.map(toTask));
  }

  /**
   * A chain of "is blocked by" edges from `from` to `to` (breadth-first, so the shortest), as the
   * ids after `from` ending with `to`; undefined when `to` is not reachable.
   */
  async #pathBetween(from: string, to: string): Promise<string[] | undefined> {
    const parent = new Map<string, string>([[from, ""]]);
    let frontier = [from];
    while (frontier.length) {
      const next: string[] = [];
      for (const e of await repo.blockerEdges(this.ctx.db, frontier)) {
        if (parent.has(e.blocked_by)) continue;
        parent.set(e.blocked_by, e.task_id);
        if (e.blocked_by === to) {
          const path = [to];
          for (let id = e.task_id; id; id = parent.get(id)!) path.unshift(id);
          return path;
        }
        next.push(e.blocked_by);
      }
      frontier = next;
    }
    return undefined;
  }
}
