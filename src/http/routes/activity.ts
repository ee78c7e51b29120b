import type { Hono } from "hono";
import { ActivityQuerySchema } from "../../domain/schemas.ts";
import { HTTP_MAX_PAGE, pageLimit } from "../../domain/paging.ts";
import { type Deps, type HttpEnv, qParse } from "../request.ts";

/**
 * GET /api/activity: the domain's activity_query (`backlog schema activity_query`; `kind` is
 * `entity`'s other name): newest first, filtered by project, kind, actor (`kind:name` or a name),
 * actor_kind, actor_name, entity_id (a ULID or TASK-N; one entity's history reads oldest first unless
 * `order=desc`, as the original's task activity panel does); `limit` default 50, at most 10,000;
 * `total` counts every match.
 */
export function activityRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/activity", async (c) => {
    const q = qParse(c, ActivityQuerySchema, { kind: "entity" });
    const order = q.order ?? (q.entity_id ? "asc" : "desc");
    const { events, page } = await app.activity.list({
      ...q,
      order,
      limit: pageLimit(q.limit, HTTP_MAX_PAGE),
    });
    return c.json({ events, total: page.total, page });
  });
}
