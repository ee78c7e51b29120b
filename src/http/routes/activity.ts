import type { Hono } from "hono";
import { parseOrder } from "../../domain/enums.ts";
import type { ActivityQuery } from "../../services/activity.ts";
import { type Deps, type HttpContext, type HttpEnv, qPage, qStr } from "../request.ts";
import type { App } from "../../app.ts";

async function activityQuery(c: HttpContext, app: App): Promise<ActivityQuery> {
  const q: ActivityQuery = {
    project: qStr(c, "project"),
    entity: qStr(c, "kind") ?? qStr(c, "entity"),
    actor: qStr(c, "actor"),
    actor_kind: qStr(c, "actor_kind"),
    actor_name: qStr(c, "actor_name"),
    since: qStr(c, "since"),
    ...qPage(c),
  };
  const entityId = qStr(c, "entity_id");
  if (entityId) q.entity_id = /^(TASK-)?\d+$/i.test(entityId) ? await app.tasks.resolve(entityId) : entityId;
  const order = qStr(c, "order");
  // One entity's history reads oldest first (as the original's task activity panel does).
  q.oldest_first = order ? parseOrder(order) === "asc" : !!q.entity_id;
  return q;
}

/**
 * GET /api/activity: newest first (oldest first for `entity_id`, or with `order=asc`), filtered by
 * project, kind, actor (`kind:name` or a name), actor_kind, actor_name, entity_id (a ULID or
 * TASK-N); `limit` default 50, at most 10,000; `total` counts every match.
 */
export function activityRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/activity", async (c) => {
    const { events, page } = await app.activity.list(await activityQuery(c, app));
    return c.json({ events, total: page.total, page });
  });
}
