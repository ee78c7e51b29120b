import type { Hono } from "hono";
import { LabelInputSchema } from "../../domain/schemas.ts";
import { invalid } from "../../domain/errors.ts";
import { actorOf, body, type Deps, type HttpEnv, qStr } from "../request.ts";

const LabelCreate = LabelInputSchema;

/** /api/labels?project=: list, create (idempotent by name; a colour updates it), delete. */
export function labelRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  const project = (v: string | undefined) => {
    if (!v) throw invalid("project is required (?project=<alias>)");
    return v;
  };
  r.get("/api/labels", async (c) => c.json({ labels: await app.labels.list(project(qStr(c, "project"))) }));
  r.post("/api/labels", async (c) => {
    const b = await body(c, LabelCreate);
    const color = b.color?.trim();
    return c.json(await app.labels.create(project(b.project.trim()), b.name, color || undefined, actorOf(c)));
  });
  r.delete("/api/labels/:name", async (c) => {
    await app.labels.delete(project(qStr(c, "project")), c.req.param("name"), actorOf(c));
    return c.body(null, 204);
  });
}
