import type { ServiceContext } from "./context.ts";
import type { Activity, Page } from "../domain/models.ts";
import * as repo from "../db/repos/activity.ts";
import type { ProjectService } from "./projects.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { ACTIVITY_ENTITIES, ACTOR_KINDS, parseChoice } from "../domain/enums.ts";
import { parseActor } from "../domain/actor.ts";
import { parseSince } from "../domain/time.ts";

export interface ActivityQuery {
  project?: string;
  /** One of ACTIVITY_ENTITIES (any case). */
  entity?: string;
  entity_id?: string;
  /** `kind:name`, or a bare name (any kind): the same on every surface. */
  actor?: string;
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
  constructor(private ctx: ServiceContext, private projects: ProjectService) {}

  /**
   * A page of events, newest first, with a real total. Every surface's filters are checked here.
   * Raises not_found (project), invalid (kind, actor, actor_kind, since).
   */
  async list(q: ActivityQuery = {}): Promise<{ events: Activity[]; page: Page }> {
    const who = actorFilter(q);
    const f: repo.ActivityFilter = {
      entity: parseChoice(q.entity, "kind", ACTIVITY_ENTITIES),
      entity_id: q.entity_id || undefined,
      actor_kind: who.kind,
      actor_name: who.name,
      since: typeof q.since === "string" ? parseSince(q.since, this.ctx.clock(), "since").at : q.since,
      oldest_first: q.oldest_first,
    };
    if (q.project) f.project_id = (await this.projects.get(q.project)).id;
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    const events = await repo.listActivity(this.ctx.db, { ...f, limit, offset });
    const total = await repo.countActivity(this.ctx.db, f);
    return {
      events,
      page: { total, count: events.length, limit, offset, has_more: offset + events.length < total },
    };
  }

  /** Events written after a cursor (activity rowid), oldest first: the feed for live streams. */
  async since(cursor: number, limit = 500): Promise<(Activity & { seq: number })[]> {
    return await repo.listActivity(this.ctx.db, { after_rowid: cursor, oldest_first: true, limit });
  }

  /** The current end of the log. */
  async cursor(): Promise<number> {
    return await repo.maxActivityRowid(this.ctx.db);
  }
}

/** The actor filter: `actor` (`kind:name` or a bare name) or `actor_kind` / `actor_name`. Raises invalid. */
function actorFilter(q: ActivityQuery): { kind?: string; name?: string } {
  const actor = q.actor?.trim();
  if (actor?.includes(":")) return parseActor(actor, "actor");
  return {
    kind: parseChoice(q.actor_kind, "actor_kind", ACTOR_KINDS),
    name: actor || q.actor_name?.trim() || undefined,
  };
}
