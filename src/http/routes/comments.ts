import type { Hono } from "hono";
import { CommentInputSchema, CommentQuerySchema } from "../../domain/schemas.ts";
import { HTTP_MAX_PAGE, pageLimit, pageOffset } from "../../domain/paging.ts";
import { actorOf, body, type Deps, type HttpEnv, qParse } from "../request.ts";

/** The shared comment_input without `task_id` (it is in the path). */
const CommentBody = CommentInputSchema.omit({ task_id: true });
/** The shared comment_query without `task_id` (it is in the path). */
const CommentPage = CommentQuerySchema.omit({ task_id: true });

/** Comments: list and add on a task, delete by id. */
export function commentRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/tasks/:id/comments", async (c) => {
    const q = qParse(c, CommentPage);
    const page = { limit: pageLimit(q.limit, HTTP_MAX_PAGE), offset: pageOffset(q.offset) };
    return c.json(await app.comments.page(c.req.param("id"), page));
  });
  r.post("/api/tasks/:id/comments", async (c) => {
    const b = await body(c, CommentBody);
    return c.json(await app.comments.add(c.req.param("id"), b.body, actorOf(c)));
  });
  r.delete("/api/comments/:id", async (c) => {
    await app.comments.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
