import { z } from "zod";
import { type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { activityLine, listText, reportText } from "../render.ts";
import * as s from "../schema.ts";

/** activity_list. */
export function registerActivityTools(k: Kit): void {
  const { app } = k;

  k.tool("activity_list", {
    title: "List activity",
    description: "Changes, newest first; report: run stats.",
    input: {
      project: s.optText,
      task_id: s.optText,
      actor: s.optText,
      since: s.optText,
      report: z.boolean().optional(),
      ...s.paging,
    },
    hints: READ,
    async run(a) {
      if (a.report) {
        const r = await app.runs.report({ since: a.since || undefined, project: a.project || undefined });
        return ok({ ...r }, reportText(r));
      }
      const { events, page } = await app.activity.list({
        project: a.project,
        entity_id: a.task_id ? await app.tasks.resolve(a.task_id) : undefined,
        actor: a.actor,
        since: a.since || undefined,
        ...s.bounds(a),
      });
      const rows = events.map(({ payload: _, ...e }) => e);
      return ok({ events: rows, page }, listText(rows.map(activityLine), page, "no activity"));
    },
  });
}
