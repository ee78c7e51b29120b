import type { Hono } from "hono";
import {
  DocAppendSchema,
  DocInputSchema,
  DocQuerySchema,
  DocShowSchema,
  DocUpdateSchema,
} from "../../domain/schemas.ts";
import { HTTP_MAX_PAGE, pageLimit } from "../../domain/paging.ts";
import { actorOf, body, type Deps, type HttpEnv, qParse } from "../request.ts";

/** GET /api/docs/{id}: the domain's doc_show without `id` (it is in the path). */
const ShowQuery = DocShowSchema.omit({ id: true });

/** /api/docs: list, create, show (any version), new version, append, history, delete. */
export function docRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/docs", async (c) => {
    const q = qParse(c, DocQuerySchema);
    return c.json(await app.docs.list({ ...q, limit: pageLimit(q.limit, HTTP_MAX_PAGE) }));
  });
  r.post("/api/docs", async (c) => c.json(await app.docs.create(await body(c, DocInputSchema), actorOf(c))));
  r.get(
    "/api/docs/:id",
    async (c) => c.json(await app.docs.show(c.req.param("id"), qParse(c, ShowQuery).version ?? 0)),
  );
  r.patch("/api/docs/:id", async (c) => {
    return c.json(await app.docs.update(c.req.param("id"), await body(c, DocUpdateSchema), actorOf(c)));
  });
  r.patch("/api/docs/:id/append", async (c) => {
    const b = await body(c, DocAppendSchema);
    return c.json(await app.docs.append(c.req.param("id"), b.content ?? b.text!, b.change_note, actorOf(c)));
  });
  r.get(
    "/api/docs/:id/history",
    async (c) => c.json({ versions: await app.docs.history(c.req.param("id")) }),
  );
  r.delete("/api/docs/:id", async (c) => {
    await app.docs.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
