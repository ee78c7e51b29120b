import { z } from "zod";
import { ADD, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { listText, planHead, planText, versionLine } from "../render.ts";
import * as s from "../schema.ts";
import { PlanAddSchema, PlanUpdateSchema } from "../../domain/schemas.ts";

const C = PlanAddSchema.shape;
const U = PlanUpdateSchema.shape;

/** plan_add, plan_update, plan_history (which also shows one version). */
export function registerPlanTools(k: Kit): void {
  const { app } = k;

  k.tool("plan_add", {
    title: "Add plan",
    description: "Add a markdown plan to a task.",
    input: {
      task_id: s.taskRef,
      title: C.title,
      body: C.body,
      source: C.source,
      change_note: C.change_note,
    },
    hints: ADD,
    async run(a, actor) {
      const p = await app.plans.create(a, actor);
      return ok({ ...p }, `added ${planHead(p, p.version!)}`);
    },
  });

  k.tool("plan_update", {
    title: "Update plan",
    description: "New plan version; omitted fields kept.",
    input: { plan_id: z.string(), title: U.title, body: U.body, change_note: U.change_note },
    hints: ADD,
    async run(a, actor) {
      const p = await app.plans.update(a.plan_id, a, actor);
      return ok({ ...p }, `updated ${planHead(p, p.version!)}`);
    },
  });

  k.tool("plan_history", {
    title: "Plan history",
    description: "Plan versions, or one in full.",
    input: { plan_id: z.string(), version: s.version.optional(), ...s.paging },
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
