import { type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { activityLine, listText } from "../render.ts";
import * as s from "../schema.ts";
import { parseActor } from "../../domain/actor.ts";

/** activity_list. */
export function registerActivityTools(k: Kit): void {
  const { app } = k;

  k.tool("activity_list", {
    title: "List activity",
    description: "Who changed what, newest first.",
    input: {
      project: s.optText,
      task_id: s.optText,
      actor: s.optText,
      since: s.optText,
      ...s.paging,
    },
    hints: READ,
    run(a) {
      const who = a.actor ? parseActor(a.actor, "actor") : undefined;
      const { events, page } = app.activity.list({
        project: a.project,
        entity_id: a.task_id ? app.tasks.resolve(a.task_id) : undefined,
        actor_kind: who?.kind,
        actor_name: who?.name,
        since: a.since || undefined,
        ...s.bounds(a),
      });
      const rows = events.map(({ payload: _, ...e }) => e);
      return ok({ events: rows, page }, listText(rows.map(activityLine), page, "no activity"));
    },
  });
}
