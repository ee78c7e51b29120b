import type { Hono } from "hono";
import { DocInputSchema, DocUpdateSchema } from "../../domain/schemas.ts";
import { z } from "zod";
import { invalid } from "../../domain/errors.ts";
import { actorOf, body, type Deps, type HttpEnv, qInt, qPage, qStr } from "../request.ts";

const note = z.string().optional();
const DocCreate = DocInputSchema;
const DocChange = DocUpdateSchema;
const DocAppend = z.strictObject({
  content: z.string().optional(),
  text: z.string().optional(),
  change_note: note,
});

/** /api/docs: list, create, show (any version), new version, append, history, delete. */
export function docRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/docs", async (c) => {
    return c.json(
      await app.docs.list({ project: qStr(c, "project"), ...qPage(c) }),
    );
  });
  r.post("/api/docs", async (c) => c.json(await app.docs.create(await body(c, DocCreate), actorOf(c))));
  r.get(
    "/api/docs/:id",
    async (c) => c.json(await app.docs.show(c.req.param("id"), qInt(c, "version") ?? 0)),
  );
  r.patch("/api/docs/:id", async (c) => {
    return c.json(await app.docs.update(c.req.param("id"), await body(c, DocChange), actorOf(c)));
  });
  r.patch("/api/docs/:id/append", async (c) => {
    const b = await body(c, DocAppend);
    const text = b.content ?? b.text;
    if (text === undefined) throw invalid("content is required");
    return c.json(await app.docs.append(c.req.param("id"), text, b.change_note, actorOf(c)));
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
