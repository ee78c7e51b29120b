import type { Hono } from "hono";
import { ProjectInputSchema, ProjectUpdateSchema } from "../../domain/schemas.ts";
import { actorOf, body, type Deps, type HttpEnv, qBool } from "../request.ts";

const ProjectCreate = ProjectInputSchema;
const ProjectPatch = ProjectUpdateSchema;

/** /api/projects: list, create, show, update, archive, unarchive, delete (archived only). */
export function projectRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/projects", async (c) => {
    return c.json({ projects: await app.projects.list({ includeArchived: qBool(c, "include_archived") }) });
  });
  r.post("/api/projects", async (c) => {
    const b = await body(c, ProjectCreate);
    return c.json(await app.projects.create(b, actorOf(c)));
  });
  r.get("/api/projects/:alias", async (c) => c.json(await app.projects.get(c.req.param("alias"))));
  r.patch("/api/projects/:alias", async (c) => {
    const b = await body(c, ProjectPatch);
    return c.json(await app.projects.update(c.req.param("alias"), b, actorOf(c)));
  });
  r.patch(
    "/api/projects/:alias/archive",
    async (c) => c.json(await app.projects.archive(c.req.param("alias"), actorOf(c))),
  );
  r.patch("/api/projects/:alias/unarchive", async (c) => {
    return c.json(await app.projects.unarchive(c.req.param("alias"), actorOf(c)));
  });
  r.delete("/api/projects/:alias", async (c) => {
    await app.projects.delete(c.req.param("alias"), actorOf(c));
    return c.body(null, 204);
  });
}
