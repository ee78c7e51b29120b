import type { ServiceContext } from "./context.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Label, Task } from "../domain/models.ts";
import { invalid, notFound } from "../domain/errors.ts";
import { optionalName, requireName } from "../domain/fields.ts";
import { goQuote, quoteInput } from "../domain/quote.ts";
import * as repo from "../db/repos/labels.ts";
import type { ProjectService } from "./projects.ts";
import type { TaskReader, WriteGuard } from "./task_reader.ts";

/** What a label change needs of its task: the ID to write, the ref to name it by, its project. */
export type TaskKey = Pick<Task, "id" | "ref" | "project_id">;

/** Per-project labels and their attachment to tasks. */
export class LabelService {
  constructor(private ctx: ServiceContext, private projects: ProjectService, private tasks: TaskReader) {}

  /**
   * Creates a label, or returns the existing one of that name; a given colour updates it.
   * Raises not_found (project), invalid (name).
   */
  async create(project: string, name: string, color: string | undefined, actor: Actor): Promise<Label> {
    const n = requireName(name, "label name", 64);
    if (color !== undefined) optionalName(color, "color", 64);
    return await this.ctx.db.tx(async () => {
      const p = await this.projects.get(project);
      return await this.ensure(p.id, n, color, actor);
    });
  }

  /** Get-or-create inside the caller's transaction. */
  async ensure(projectId: string, name: string, color: string | undefined, actor: Actor): Promise<Label> {
    const existing = await repo.getLabel(this.ctx.db, projectId, name);
    if (existing) {
      if (color !== undefined && color !== (existing.color ?? "")) {
        await repo.setLabelColor(this.ctx.db, existing.id, color);
        return (await repo.getLabel(this.ctx.db, projectId, name))!;
      }
      return existing;
    }
    const l: Label = { id: this.ctx.ids(), project_id: projectId, name };
    if (color) l.color = color;
    await repo.insertLabel(this.ctx.db, l);
    await record(this.ctx, {
      entity: "label",
      entity_id: l.id,
      action: "created",
      summary: `Created label ${goQuote(name)}`,
      project_id: projectId,
    }, actor);
    return l;
  }

  async list(project: string): Promise<Label[]> {
    return await repo.listLabels(this.ctx.db, (await this.projects.get(project)).id);
  }

  /**
   * Attaches a label (created when missing) to a task; a change bumps the task's version.
   * Raises not_found (task), invalid (name), conflict (stale guard).
   */
  async attach(ref: string, name: string, actor: Actor, guard: WriteGuard = {}): Promise<void> {
    const n = requireName(name, "label name", 64);
    await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(ref);
      await this.tasks.checkGuard(t, guard);
      if (await this.attachInTx(t, n, actor)) await this.tasks.touch(t.id);
    });
  }

  /**
   * Attach inside the caller's transaction (no version bump: task create uses it); logs only when
   * the label was not already attached. Returns whether anything changed.
   */
  async attachInTx(task: TaskKey, name: string, actor: Actor): Promise<boolean> {
    const l = await this.ensure(task.project_id, name, undefined, actor);
    if (await repo.attachLabel(this.ctx.db, task.id, l.id) === 0) return false;
    await record(this.ctx, {
      entity: "label",
      entity_id: l.id,
      action: "attached",
      summary: `Attached label ${goQuote(name)} to ${task.ref}`,
      project_id: task.project_id,
    }, actor);
    return true;
  }

  /**
   * Detaches a label from a task; a change bumps the task's version.
   * Raises not_found (task or label), conflict (stale guard).
   */
  async detach(ref: string, name: string, actor: Actor, guard: WriteGuard = {}): Promise<void> {
    const n = (name ?? "").trim();
    if (!n) throw invalid("label name is required");
    await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(ref);
      await this.tasks.checkGuard(t, guard);
      const l = await repo.getLabel(this.ctx.db, t.project_id, n);
      if (!l) throw notFound(`label ${quoteInput(n)} not found`);
      if (await this.#detachInTx(t, l, actor)) await this.tasks.touch(t.id);
    });
  }

  /**
   * Makes a task's labels exactly `names` (creating missing labels) in one transaction with one
   * version bump. Raises not_found (task), invalid (name), conflict (stale guard).
   */
  async set(ref: string, names: string[], actor: Actor, guard: WriteGuard = {}): Promise<void> {
    const want = [...new Set(names.map((n) => requireName(n, "label name", 64)))];
    await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(ref);
      await this.tasks.checkGuard(t, guard);
      let changed = false;
      for (const l of t.labels ?? []) {
        if (!want.includes(l.name)) changed = await this.#detachInTx(t, l, actor) || changed;
      }
      for (const name of want) changed = await this.attachInTx(t, name, actor) || changed;
      if (changed) await this.tasks.touch(t.id);
    });
  }

  async #detachInTx(task: TaskKey, l: Label, actor: Actor): Promise<boolean> {
    if (await repo.detachLabel(this.ctx.db, task.id, l.id) === 0) return false;
    await record(this.ctx, {
      entity: "label",
      entity_id: l.id,
      action: "detached",
      summary: `Detached label ${goQuote(l.name)} from ${task.ref}`,
      project_id: task.project_id,
    }, actor);
    return true;
  }

  /** Deletes a label from a project and from every task (each such task gets a new version). Raises not_found. */
  async delete(project: string, name: string, actor: Actor): Promise<Label> {
    return await this.ctx.db.tx(async () => {
      const p = await this.projects.get(project);
      const l = await repo.getLabel(this.ctx.db, p.id, (name ?? "").trim());
      if (!l) throw notFound(`label ${quoteInput(name)} not found in project "${p.alias}"`);
      const touched = await repo.tasksWithLabel(this.ctx.db, l.id);
      await repo.deleteLabel(this.ctx.db, l.id);
      for (const id of touched) await this.tasks.touch(id); // their label sets changed: new versions
      await record(this.ctx, {
        entity: "label",
        entity_id: l.id,
        action: "deleted",
        summary: `Deleted label ${goQuote(l.name)}`,
        project_id: p.id,
      }, actor);
      return l;
    });
  }
}
