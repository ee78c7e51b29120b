import { z } from "zod";
import { ADD, DESTROY, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { listText, memoryLine } from "../render.ts";
import * as s from "../schema.ts";
import {
  MemoryAppendSchema,
  MemoryInputSchema,
  MemoryQuerySchema,
  MemoryUpdateSchema,
} from "../../domain/schemas.ts";
import { Id } from "../../domain/schema_fields.ts";
import { invalid } from "../../domain/errors.ts";
import type { Memory } from "../../domain/knowledge.ts";

/** Longest body in a memory list row unless full=true. */
const ROW_BODY = 200;

/** memory_add, memory_list, memory_update (which also appends and deletes). */
export function registerMemoryTools(k: Kit): void {
  const { app } = k;

  k.tool("memory_add", {
    title: "Add memory",
    description: "Add a project memory note.",
    input: MemoryInputSchema.shape,
    hints: ADD,
    async run(a, actor) {
      const m = await app.memory.add(a.project, a.body, a.tags, actor);
      return ok({ ...m }, `added ${memoryLine(m)}`);
    },
  });

  k.tool("memory_list", {
    title: "List memory",
    description: "Memory, newest first; bodies cut unless full.",
    input: { ...MemoryQuerySchema.shape, full: z.boolean().optional() },
    hints: READ,
    async run(a) {
      const { entries, page } = await app.memory.list({
        project: a.project || undefined,
        tag: a.tag,
        ...s.bounds(a),
      });
      page.offset ??= a.offset ?? 0;
      const rows = entries.map((m) => a.full ? m : cut(m));
      return ok({ entries: rows, page }, listText(rows.map(memoryLine), page, "no memory"));
    },
  });

  k.tool("memory_update", {
    title: "Update memory",
    description: "Replace body/tags, append, or delete.",
    input: {
      id: Id,
      ...MemoryUpdateSchema.shape,
      append: MemoryAppendSchema.shape.value,
      delete: z.boolean().optional(),
    },
    hints: DESTROY,
    async run({ id, delete: del, ...edit }, actor) {
      if (del) {
        if (Object.values(edit).some((v) => v !== undefined)) {
          throw invalid("delete cannot be combined with body, tags or append");
        }
        const m = await app.memory.delete(id, actor);
        return ok({ ...m, deleted: true }, `deleted memory ${m.id}`);
      }
      const m = await app.memory.edit(id, edit, actor);
      return ok({ ...m }, `updated ${memoryLine(m)}`);
    },
  });
}

function cut(m: Memory): Memory {
  return m.body.length > ROW_BODY ? { ...m, body: `${m.body.slice(0, ROW_BODY)}…` } : m;
}
