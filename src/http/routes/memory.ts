import type { Hono } from "hono";
import { MemoryInputSchema, MemoryUpdateSchema } from "../../domain/schemas.ts";
import { z } from "zod";
import { invalid } from "../../domain/errors.ts";
import { actorOf, body, type Deps, type HttpEnv, qPage, qStr } from "../request.ts";

const MemoryAdd = MemoryInputSchema;
const MemoryChange = MemoryUpdateSchema;
const MemoryAppend = z.strictObject({ value: z.string().optional(), text: z.string().optional() });

/** /api/memory: list (by project and tag, or across projects), add, show, update, append, delete. */
export function memoryRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/memory", async (c) => {
    return c.json(
      await app.memory.list({
        project: qStr(c, "project"),
        tag: qStr(c, "tag"),
        ...qPage(c),
      }),
    );
  });
  r.post("/api/memory", async (c) => {
    const b = await body(c, MemoryAdd);
    return c.json(await app.memory.add(b.project, b.body, b.tags, actorOf(c)));
  });
  r.get("/api/memory/:id", async (c) => c.json(await app.memory.get(c.req.param("id"))));
  r.patch("/api/memory/:id", async (c) => {
    const b = await body(c, MemoryChange);
    return c.json(await app.memory.update(c.req.param("id"), b, actorOf(c)));
  });
  r.patch("/api/memory/:id/append", async (c) => {
    const b = await body(c, MemoryAppend);
    const text = b.value ?? b.text;
    if (text === undefined) throw invalid("value is required");
    return c.json(await app.memory.append(c.req.param("id"), text, actorOf(c)));
  });
  r.delete("/api/memory/:id", async (c) => {
    await app.memory.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
