import type { z } from "zod";
import type { ActivityQuerySchema } from "../domain/schemas.ts";
import type { ServiceContext } from "./context.ts";
import { TaskReader } from "./task_reader.ts";
import type { Activity, Page } from "../domain/models.ts";
import * as repo from "../db/repos/activity.ts";
import type { ProjectService } from "./projects.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { ACTIVITY_ENTITIES, ACTOR_KINDS, parseChoice } from "../domain/enums.ts";
import { parseActor } from "../domain/actor.ts";
import { parseSince } from "../domain/time.ts";

/**
 * The activity_query operation (domain/schemas.ts) as the service takes it: what every surface
 * parses (HTTP query string, `backlog activity` flags, MCP activity_list), and `since` may also be a
 * nanosecond time.
 */
export type ActivityQuery = Omit<z.input<typeof ActivityQuerySchema>, "since"> & {
  since?: number | string;
  /** Oldest first (as `order: "asc"`). */
  oldest_first?: boolean;
};

/** Reading the activity log (writes happen through `record` in each service). */
export class ActivityService {
  constructor(private ctx: ServiceContext, private projects: ProjectService) {}

  /**
   * A page of events, newest first unless `order` is asc, with a real total. Every surface's filters are checked and normalised here: the
   * kind, actor (`kind:name` or a bare name), a TASK-N entity, the `since` window.
   * Raises not_found (project, task), invalid (kind, actor, actor_kind, since, order).
   */
  async list(q: ActivityQuery = {}): Promise<{ events: Activity[]; page: Page }> {
    const who = actorFilter(q);
    const entityId = q.entity_id?.trim() || undefined;
    const order = parseChoice(q.order, "order", ["asc", "desc"]);
    const f: repo.ActivityFilter = {
      entity: parseChoice(q.entity, "kind", ACTIVITY_ENTITIES),
      entity_id: entityId && /^(TASK-)?\d+$/i.test(entityId)
        ? await new TaskReader(this.ctx).resolve(entityId)
        : entityId,
      actor_kind: who.kind,
      actor_name: who.name,
      since: typeof q.since === "string"
        ? (q.since.trim() ? parseSince(q.since, this.ctx.clock(), "since").at : undefined)
        : q.since,
      oldest_first: q.oldest_first ?? order === "asc",
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
