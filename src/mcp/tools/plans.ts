import { ADD, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { listText, planHead, planText, versionLine } from "../render.ts";
import * as s from "../schema.ts";
import { PlanAddSchema, PlanInputSchema, PlanUpdateSchema } from "../../domain/schemas.ts";
import { Id, Paging, VersionNo } from "../../domain/schema_fields.ts";

/** plan_add, plan_update, plan_history (which also shows one version). */
export function registerPlanTools(k: Kit): void {
  const { app } = k;

  k.tool("plan_add", {
    title: "Add plan",
    description: "Add a markdown plan to a task.",
    input: { task_id: PlanAddSchema.shape.task_id, ...PlanInputSchema.shape },
    hints: ADD,
    async run(a, actor) {
      const p = await app.plans.create(a, actor);
      return ok({ ...p }, `added ${planHead(p, p.version!)}`);
    },
  });

  k.tool("plan_update", {
    title: "Update plan",
    description: "New plan version; omitted fields kept.",
    input: { plan_id: Id, ...PlanUpdateSchema.shape },
    hints: ADD,
    async run({ plan_id, ...change }, actor) {
      const p = await app.plans.update(plan_id, change, actor);
      return ok({ ...p }, `updated ${planHead(p, p.version!)}`);
    },
  });

  k.tool("plan_history", {
    title: "Plan history",
    description: "Plan versions, or one in full.",
    input: { plan_id: Id, version: VersionNo.optional(), ...Paging },
    hints: READ,
    async run(a) {
      if (a.version !== undefined) {
        const p = await app.plans.get(a.plan_id, a.version);
        return ok({ ...p }, planText(p));
      }
      const { rows, page } = s.pageOf((await app.plans.history(a.plan_id)).reverse(), a);
      const versions = rows.map(({ body: _, ...v }) => v);
      return ok({ versions, page }, listText(versions.map(versionLine), page, "no versions"));
    },
  });
}
