import { z } from "zod";
import { ADD, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { docHead, docLine, listText, versionLine } from "../render.ts";
import * as s from "../schema.ts";
import {
  DocAppendSchema,
  DocInputSchema,
  DocQuerySchema,
  DocShowSchema,
  DocUpdateSchema,
} from "../../domain/schemas.ts";
import { Id } from "../../domain/schema_fields.ts";

/** Newest versions shown by doc_show history=true. */
const HISTORY = 50;

/** doc_add, doc_list, doc_show (also history), doc_update (also append). */
export function registerDocTools(k: Kit): void {
  const { app } = k;

  k.tool("doc_add", {
    title: "Add doc",
    description: "Add a markdown doc to a project.",
    input: DocInputSchema.required({ body: true }).shape,
    hints: ADD,
    async run(a, actor) {
      const d = await app.docs.create(a, actor);
      return ok({ ...d }, `added ${docHead(d)}`);
    },
  });

  k.tool("doc_list", {
    title: "List docs",
    description: "Docs, last updated first, no bodies.",
    input: DocQuerySchema.shape,
    hints: READ,
    async run(a) {
      const { docs, page } = await app.docs.list({ project: a.project || undefined, ...s.bounds(a) });
      page.offset ??= a.offset ?? 0;
      return ok({ docs, page }, listText(docs.map(docLine), page, "no docs"));
    },
  });

  k.tool("doc_show", {
    title: "Show doc",
    description: "A doc or one version; history: versions.",
    input: { ...DocShowSchema.shape, history: z.boolean().optional() },
    hints: READ,
    async run(a) {
      if (a.history) {
        const all = (await app.docs.history(a.id)).reverse();
        const versions = all.slice(0, HISTORY).map(({ body: _, ...v }) => v);
        const page = s.pageMark(all.length, versions.length, HISTORY, 0);
        return ok({ versions, page }, listText(versions.map(versionLine), page, "no versions"));
      }
      const d = await app.docs.show(a.id, a.version ?? 0);
      return ok({ ...d }, `${docHead(d)}\n${d.version!.body}`);
    },
  });

  k.tool("doc_update", {
    title: "Update doc",
    description: "New doc version: body/title, or append.",
    input: { id: Id, ...DocUpdateSchema.shape, append: DocAppendSchema.shape.content },
    hints: ADD,
    async run({ id, ...edit }, actor) {
      const d = await app.docs.edit(id, edit, actor);
      return ok({ ...d }, `updated ${docHead(d)}`);
    },
  });
}
