import type { Hono } from "hono";
import { ProjectInputSchema, ProjectUpdateSchema } from "../../domain/schemas.ts";
import { actorOf, body, type Deps, type HttpEnv, qBool } from "../request.ts";

const ProjectCreate = ProjectInputSchema;
const ProjectPatch = ProjectUpdateSchema;

/** /api/projects: list, create, show, update, archive, unarchive, delete (archived only). */
export function projectRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/projects", (c) => {
    return c.json({ projects: app.projects.list({ includeArchived: qBool(c, "include_archived") }) });
  });
  r.post("/api/projects", async (c) => {
    const b = await body(c, ProjectCreate);
    return c.json(app.projects.create(b, actorOf(c)));
  });
  r.get("/api/projects/:alias", (c) => c.json(app.projects.get(c.req.param("alias"))));
  r.patch("/api/projects/:alias", async (c) => {
    const b = await body(c, ProjectPatch);
    return c.json(app.projects.update(c.req.param("alias"), b, actorOf(c)));
  });
  r.patch(
    "/api/projects/:alias/archive",
    (c) => c.json(app.projects.archive(c.req.param("alias"), actorOf(c))),
  );
  r.patch("/api/projects/:alias/unarchive", (c) => {
    return c.json(app.projects.unarchive(c.req.param("alias"), actorOf(c)));
  });
  r.delete("/api/projects/:alias", (c) => {
    app.projects.delete(c.req.param("alias"), actorOf(c));
    return c.body(null, 204);
  });
}
