import type { Ctx } from "./context.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Label, Task } from "../domain/models.ts";
import { invalid, notFound } from "../domain/errors.ts";
import { optionalName, requireName } from "../domain/fields.ts";
import { goQuote, quoteInput } from "../domain/quote.ts";
import * as repo from "../db/repos/labels.ts";
import type { ProjectService } from "./projects.ts";
import type { TaskService, WriteGuard } from "./tasks.ts";

/** What a label change needs of its task: the ID to write, the ref to name it by, its project. */
export type TaskKey = Pick<Task, "id" | "ref" | "project_id">;

/** Per-project labels and their attachment to tasks. */
export class LabelService {
  constructor(private ctx: Ctx, private projects: ProjectService, private tasks: TaskService) {}

  /**
   * Creates a label, or returns the existing one of that name; a given colour updates it.
   * Raises not_found (project), invalid (name).
   */
  create(project: string, name: string, color: string | undefined, actor: Actor): Label {
    const n = requireName(name, "label name", 64);
    if (color !== undefined) optionalName(color, "color", 64);
    return this.ctx.db.tx(() => {
      const p = this.projects.get(project);
      return this.ensure(p.id, n, color, actor);
    });
  }

  /** Get-or-create inside the caller's transaction. */
  ensure(projectId: string, name: string, color: string | undefined, actor: Actor): Label {
    const existing = repo.getLabel(this.ctx.db, projectId, name);
    if (existing) {
      if (color !== undefined && color !== (existing.color ?? "")) {
        repo.setLabelColor(this.ctx.db, existing.id, color);
        return repo.getLabel(this.ctx.db, projectId, name)!;
      }
      return existing;
    }
    const l: Label = { id: this.ctx.ids(), project_id: projectId, name };
    if (color) l.color = color;
    repo.insertLabel(this.ctx.db, l);
    record(this.ctx, {
      entity: "label",
      entity_id: l.id,
      action: "created",
      summary: `Created label ${goQuote(name)}`,
      project_id: projectId,
    }, actor);
    return l;
  }

  list(project: string): Label[] {
    return repo.listLabels(this.ctx.db, this.projects.get(project).id);
  }

  /**
   * Attaches a label (created when missing) to a task; a change bumps the task's version.
   * Raises not_found (task), invalid (name), conflict (stale guard).
   */
  attach(ref: string, name: string, actor: Actor, guard: WriteGuard = {}): void {
    const n = requireName(name, "label name", 64);
    this.ctx.db.tx(() => {
      const t = this.tasks.getTask(ref);
      this.tasks.checkGuard(t, guard);
      if (this.attachInTx(t, n, actor)) this.tasks.touch(t.id);
    });
  }

  /**
   * Attach inside the caller's transaction (no version bump: task create uses it); logs only when
   * the label was not already attached. Returns whether anything changed.
   */
  attachInTx(task: TaskKey, name: string, actor: Actor): boolean {
    const l = this.ensure(task.project_id, name, undefined, actor);
    if (repo.attachLabel(this.ctx.db, task.id, l.id) === 0) return false;
    record(this.ctx, {
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
  detach(ref: string, name: string, actor: Actor, guard: WriteGuard = {}): void {
    const n = (name ?? "").trim();
    if (!n) throw invalid("label name is required");
    this.ctx.db.tx(() => {
      const t = this.tasks.getTask(ref);
      this.tasks.checkGuard(t, guard);
      const l = repo.getLabel(this.ctx.db, t.project_id, n);
      if (!l) throw notFound(`label ${quoteInput(n)} not found`);
      if (this.#detachInTx(t, l, actor)) this.tasks.touch(t.id);
    });
  }

  /**
   * Makes a task's labels exactly `names` (creating missing labels) in one transaction with one
   * version bump. Raises not_found (task), invalid (name), conflict (stale guard).
   */
  set(ref: string, names: string[], actor: Actor, guard: WriteGuard = {}): void {
    const want = [...new Set(names.map((n) => requireName(n, "label name", 64)))];
    this.ctx.db.tx(() => {
      const t = this.tasks.getTask(ref);
      this.tasks.checkGuard(t, guard);
      let changed = false;
      for (const l of t.labels ?? []) {
        if (!want.includes(l.name)) changed = this.#detachInTx(t, l, actor) || changed;
      }
      for (const name of want) changed = this.attachInTx(t, name, actor) || changed;
      if (changed) this.tasks.touch(t.id);
    });
  }

  #detachInTx(task: TaskKey, l: Label, actor: Actor): boolean {
    if (repo.detachLabel(this.ctx.db, task.id, l.id) === 0) return false;
    record(this.ctx, {
      entity: "label",
      entity_id: l.id,
      action: "detached",
      summary: `Detached label ${goQuote(l.name)} from ${task.ref}`,
      project_id: task.project_id,
    }, actor);
    return true;
  }

  /** Deletes a label from a project and from every task (each such task gets a new version). Raises not_found. */
  delete(project: string, name: string, actor: Actor): Label {
    return this.ctx.db.tx(() => {
      const p = this.projects.get(project);
      const l = repo.getLabel(this.ctx.db, p.id, (name ?? "").trim());
      if (!l) throw notFound(`label ${quoteInput(name)} not found in project "${p.alias}"`);
      const touched = repo.tasksWithLabel(this.ctx.db, l.id);
      repo.deleteLabel(this.ctx.db, l.id);
      for (const id of touched) this.tasks.touch(id); // their label sets changed: new versions
      record(this.ctx, {
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
