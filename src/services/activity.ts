import type { Ctx } from "./context.ts";
import type { Activity, Page } from "../domain/models.ts";
import * as repo from "../db/repos/activity.ts";
import type { ProjectService } from "./projects.ts";
import { parseSince } from "../domain/time.ts";

export interface ActivityQuery {
  project?: string;
  entity?: string;
  entity_id?: string;
  actor_kind?: string;
  actor_name?: string;
  /** A nanosecond time, or a window as typed: 7d, 24h, all, YYYY-MM-DD, RFC3339. */
  since?: number | string;
  limit?: number;
  offset?: number;
  oldest_first?: boolean;
}

/** Reading the activity log (writes happen through `record` in each service). */
export class ActivityService {
  constructor(private ctx: Ctx, private projects: ProjectService) {}

  /** A page of events, newest first, with a real total. Raises not_found (project), invalid (since). */
  list(q: ActivityQuery = {}): { events: Activity[]; page: Page } {
    const f: repo.ActivityFilter = {
      entity: q.entity,
      entity_id: q.entity_id,
      actor_kind: q.actor_kind,
      actor_name: q.actor_name,
      since: typeof q.since === "string" ? parseSince(q.since, this.ctx.clock(), "since").at : q.since,
      oldest_first: q.oldest_first,
    };
    if (q.project) f.project_id = this.projects.get(q.project).id;
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const events = repo.listActivity(this.ctx.db, { ...f, limit, offset });
    const total = repo.countActivity(this.ctx.db, f);
    return {
      events,
      page: { total, count: events.length, limit, offset, has_more: offset + events.length < total },
    };
  }

  /** Events written after a cursor (activity rowid), oldest first: the feed for live streams. */
  since(cursor: number, limit = 500): (Activity & { seq: number })[] {
    return repo.listActivity(this.ctx.db, { after_rowid: cursor, oldest_first: true, limit });
  }

  /** The current end of the log. */
  cursor(): number {
    return repo.maxActivityRowid(this.ctx.db);
  }
}
