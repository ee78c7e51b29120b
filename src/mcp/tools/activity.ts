import { z } from "zod";
import { type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { activityLine, listText, reportText } from "../render.ts";
import * as s from "../schema.ts";
import { ActivityQuerySchema } from "../../domain/schemas.ts";

const Q = ActivityQuerySchema.shape;

/** activity_list. */
export function registerActivityTools(k: Kit): void {
  const { app } = k;

  k.tool("activity_list", {
    title: "List activity",
    description: "Changes, newest first; report: run stats.",
    input: {
      project: Q.project,
      task_id: Q.entity_id,
      actor: Q.actor,
      since: Q.since,
      report: z.boolean().optional(),
      limit: Q.limit,
      offset: Q.offset,
    },
    hints: READ,
    async run({ task_id, report, ...q }) {
      if (report) {
        const r = await app.runs.report({ since: q.since || undefined, project: q.project || undefined });
        return ok({ ...r }, reportText(r));
      }
      const { events, page } = await app.activity.list({ ...q, entity_id: task_id, ...s.bounds(q) });
      const rows = events.map(({ payload: _, ...e }) => e);
      return ok({ events: rows, page }, listText(rows.map(activityLine), page, "no activity"));
    },
  });
}
