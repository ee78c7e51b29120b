import type { Hono } from "hono";
import { z } from "zod";
import { actorOf, body, type Deps, type HttpEnv, qPage } from "../request.ts";

const CommentBody = z.strictObject({ body: z.string() });

/** Comments: list and add on a task, delete by id. */
export function commentRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/tasks/:id/comments", (c) => {
    return c.json(app.comments.page(c.req.param("id"), qPage(c)));
  });
  r.post("/api/tasks/:id/comments", async (c) => {
    const b = await body(c, CommentBody);
    return c.json(app.comments.add(c.req.param("id"), b.body, actorOf(c)));
  });
  r.delete("/api/comments/:id", (c) => {
    app.comments.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
