import type { ServiceContext } from "./context.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Page, Plan, PlanVersion } from "../domain/models.ts";
import { conflict, invalid, notFound } from "../domain/errors.ts";
import { requireName, requireText } from "../domain/fields.ts";
import { goQuote } from "../domain/quote.ts";
import { shortId } from "../domain/refs.ts";
import * as repo from "../db/repos/plans.ts";
import { resolveId } from "../db/repos/ids.ts";
import type { TaskReader } from "./task_reader.ts";
import type { ProjectService } from "./projects.ts";

const MAX_BODY = 1 << 20;

export interface PlanCreate {
  task_id: string;
  title: string;
  body: string;
  source?: string;
  change_note?: string;
}

export interface PlanChange {
  title?: string;
  body?: string;
  change_note?: string;
}

/** Versioned plans on tasks: every change is a new immutable version. */
export class PlanService {
  constructor(private ctx: ServiceContext, private tasks: TaskReader, private projects: ProjectService) {}

  async resolve(id: string): Promise<string> {
    return await resolveId(this.ctx.db, "plans", id, "plan");
  }

  /** Creates a plan (v1) on a task. Raises not_found (task), invalid. */
  async create(input: PlanCreate, actor: Actor): Promise<Plan> {
    const title = requireName(input.title, "title");
    const body = requireText(input.body, "body", MAX_BODY);
    return await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(input.task_id);
      return await this.createInTx({ ...input, task_id: t.id, title, body }, actor);
    });
  }

  /** Create inside the caller's transaction; task_id must be a resolved ID. */
  async createInTx(input: PlanCreate, actor: Actor): Promise<Plan> {
    const now = this.ctx.clock();
    const plan: Plan = {
      id: this.ctx.ids(),
      task_id: input.task_id,
      current_version: 1,
      created_at: now,
      updated_at: now,
    };
    if (input.source) plan.source = input.source;
    const v: PlanVersion = {
      id: this.ctx.ids(),
      plan_id: plan.id,
      version: 1,
      title: input.title,
      body: input.body,
      actor,
      created_at: now,
    };
    if (input.change_note) v.change_note = input.change_note;
    await repo.insertPlan(this.ctx.db, plan);
    await repo.insertPlanVersion(this.ctx.db, v);
    await this.#log(plan, "created", (ref) => `Created plan ${goQuote(v.title)} on ${ref}`, actor);
    return { ...plan, version: v };
  }

  /**
   * Adds a version; what is not given (title, body) is copied from the current version, so a
   * change note alone, a new title alone or a new body alone all work. Raises not_found, invalid.
   */
  async update(id: string, change: PlanChange, actor: Actor): Promise<Plan> {
    if (change.title === undefined && change.body === undefined && !change.change_note) {
      throw invalid((w) => `nothing to change (give ${w.field("title", "body", "change_note")})`);
    }
    return await this.ctx.db.tx(async () => {
      const plan = await this.get(id);
      const cur = plan.version!;
      const title = change.title === undefined ? cur.title : requireName(change.title, "title");
      const body = change.body === undefined ? cur.body : requireText(change.body, "body", MAX_BODY);
      const now = this.ctx.clock();
      const next = plan.current_version + 1;
      const v: PlanVersion = {
        id: this.ctx.ids(),
        plan_id: plan.id,
        version: next,
        title,
        body,
        actor,
        created_at: now,
      };
      if (change.change_note) v.change_note = change.change_note;
      await repo.insertPlanVersion(this.ctx.db, v);
      if (await repo.bumpPlanVersion(this.ctx.db, plan.id, plan.current_version, now) !== 1) {
        throw conflict(`plan ${shortId(plan.id)} changed while updating; try again`);
      }
      await this.#log(plan, "version_added", `Added plan version v${next} ${goQuote(title)}`, actor);
      return { ...(await repo.getPlan(this.ctx.db, plan.id))!, version: v };
    });
  }

  /** The plan with one version (0 = current). Raises not_found. */
  async get(id: string, version = 0): Promise<Plan> {
    const pid = await this.resolve(id);
    const plan = await repo.getPlan(this.ctx.db, pid);
    if (!plan) throw notFound(`plan not found: ${id}`);
    const v = await repo.getPlanVersion(this.ctx.db, pid, version);
    if (!v) throw notFound(`plan version not found: v${version}`);
    return { ...plan, version: v };
  }

  /** Current plans of a task. Raises not_found (task). */
  async list(taskRef: string): Promise<Plan[]> {
    return await repo.listPlans(this.ctx.db, await this.tasks.resolve(taskRef));
  }

  /**
   * Current plans of non-archived tasks across a project (or every non-archived project), newest
   * first, with a real total. Raises not_found (project).
   */
  async index(q: { project?: string; limit?: number; offset?: number } = {}): Promise<{
    plans: repo.PlanWithTask[];
    page: Page;
  }> {
    const project_id = q.project ? (await this.projects.get(q.project)).id : undefined;
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    const plans = await repo.listPlanIndex(this.ctx.db, { project_id, limit, offset });
    const total = await repo.countPlanIndex(this.ctx.db, { project_id });
    return { plans, page: { total, count: plans.length, has_more: offset + plans.length < total } };
  }

  /** Every version, oldest first. Raises not_found. */
  async history(id: string): Promise<PlanVersion[]> {
    return await repo.planHistory(this.ctx.db, await this.resolve(id));
  }

  /** Deletes a plan and its versions. Raises not_found. */
  async delete(id: string, actor: Actor): Promise<Plan> {
    return await this.ctx.db.tx(async () => {
      const plan = await this.get(id);
      await repo.deletePlan(this.ctx.db, plan.id);
      await this.#log(plan, "deleted", (ref) => `Deleted plan ${shortId(plan.id)} on ${ref}`, actor);
      return plan;
    });
  }

  /** Logs a plan change; a summary that names the task gets its TASK-N. */
  async #log(plan: Plan, action: string, summary: string | ((ref: string) => string), actor: Actor) {
    const t = await this.tasks.getTask(plan.task_id);
    const text = typeof summary === "string" ? summary : summary(t.ref);
    await record(
      this.ctx,
      { entity: "plan", entity_id: plan.id, action, summary: text, project_id: t.project_id },
      actor,
    );
  }
}
