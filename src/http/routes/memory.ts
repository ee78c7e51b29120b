import type { Hono } from "hono";
import {
  MemoryAppendSchema,
  MemoryInputSchema,
  MemoryQuerySchema,
  MemoryUpdateSchema,
} from "../../domain/schemas.ts";
import { HTTP_MAX_PAGE, pageLimit } from "../../domain/paging.ts";
import { actorOf, body, type Deps, type HttpEnv, qParse } from "../request.ts";

/** /api/memory: list (by project and tag, or across projects), add, show, update, append, delete. */
export function memoryRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/memory", async (c) => {
    const q = qParse(c, MemoryQuerySchema);
    return c.json(await app.memory.list({ ...q, limit: pageLimit(q.limit, HTTP_MAX_PAGE) }));
  });
  r.post("/api/memory", async (c) => {
    const b = await body(c, MemoryInputSchema);
    return c.json(await app.memory.add(b.project, b.body, b.tags, actorOf(c)));
  });
  r.get("/api/memory/:id", async (c) => c.json(await app.memory.get(c.req.param("id"))));
  r.patch("/api/memory/:id", async (c) => {
    const b = await body(c, MemoryUpdateSchema);
    return c.json(await app.memory.update(c.req.param("id"), b, actorOf(c)));
  });
  r.patch("/api/memory/:id/append", async (c) => {
    const b = await body(c, MemoryAppendSchema);
    return c.json(await app.memory.append(c.req.param("id"), b.value ?? b.text!, actorOf(c)));
  });
  r.delete("/api/memory/:id", async (c) => {
    await app.memory.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
