import type { Hono } from "hono";
import { PlanInputSchema, PlanUpdateSchema } from "../../domain/schemas.ts";
import { actorOf, body, type Deps, type HttpEnv, qInt, qPage, qStr } from "../request.ts";

const PlanCreate = PlanInputSchema;
const PlanChange = PlanUpdateSchema;

/** Plans: per task (list, add) and by id (show any version, new version, history, delete), plus the index. */
export function planRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/plans", async (c) => {
    return c.json(
      await app.plans.index({ project: qStr(c, "project"), ...qPage(c) }),
    );
  });
  r.get("/api/tasks/:id/plans", async (c) => c.json({ plans: await app.plans.list(c.req.param("id")) }));
  r.post("/api/tasks/:id/plans", async (c) => {
    const b = await body(c, PlanCreate);
    return c.json(await app.plans.create({ ...b, task_id: c.req.param("id") }, actorOf(c)));
  });
  r.get(
    "/api/plans/:id",
    async (c) => c.json(await app.plans.get(c.req.param("id"), qInt(c, "version") ?? 0)),
  );
  r.patch("/api/plans/:id", async (c) => {
    const b = await body(c, PlanChange);
    return c.json(await app.plans.update(c.req.param("id"), b, actorOf(c)));
  });
  r.get(
    "/api/plans/:id/history",
    async (c) => c.json({ versions: await app.plans.history(c.req.param("id")) }),
  );
  r.delete("/api/plans/:id", async (c) => {
    await app.plans.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
