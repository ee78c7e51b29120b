import { z } from "zod";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Page } from "../domain/models.ts";
import { MCP_DEFAULT_PAGE, MCP_MAX_PAGE, pageLimit, pageOffset } from "../domain/paging.ts";
import { LIST_ITEMS } from "../domain/schema_fields.ts";

/** MCP's page (the domain's paging rule with MCP's default and largest page). Raises invalid. */
export function bounds(a: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: pageLimit(a.limit, MCP_MAX_PAGE, MCP_DEFAULT_PAGE), offset: pageOffset(a.offset) };
}

/** Slices an in-memory list into one bounded page (for services without paging). */
export function pageOf<T>(all: T[], a: { limit?: number; offset?: number }): { rows: T[]; page: Page } {
  const { limit, offset } = bounds(a);
  const rows = all.slice(offset, offset + limit);
  return { rows, page: pageMark(all.length, rows.length, limit, offset) };
}

export function pageMark(total: number, count: number, limit: number, offset: number): Page {
  return { total, count, limit, offset, has_more: offset + count < total };
}

type Json = Record<string, unknown>;

/** Enums up to this many values are advertised (status: todo, doing, done); longer ones cost too much. */
const ENUM_MAX = 3;

/**
 * The input JSON Schema a tool advertises in tools/list: the domain shape it parses with, at the
 * fewest bytes (every byte is paid in every session). Each argument keeps its JSON type, array items,
 * short enums and whether it is required; descriptions, bounds and patterns are left to the domain
 * rules, which answer a wrong value by name (`backlog schema` prints the full schemas). A union of
 * plain types is one type list (priority: integer or string); a list that also takes a
 * comma-separated string is advertised as its item (status: "todo,doing").
 */
export function toolInputSchema(shape: z.ZodRawShape): Tool["inputSchema"] {
  const full = z.toJSONSchema(z.object(shape), {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as Json;
  const props = full.properties as Record<string, Json>;
  for (const [k, field] of Object.entries(shape)) {
    const item = LIST_ITEMS.get(unwrap(field as z.ZodType));
    if (!item) continue;
    const { enum: _, ...one } = compact(
      z.toJSONSchema(item, { io: "input", unrepresentable: "any" }) as Json,
    );
    props[k] = one;
  }
  return compact(full) as Tool["inputSchema"];
}

/** The schema under optional/default wrappers. */
function unwrap(s: z.ZodType): z.ZodType {
  let d = s._zod.def as { innerType?: z.ZodType };
  while (d.innerType) {
    s = d.innerType;
    d = s._zod.def as { innerType?: z.ZodType };
  }
  return s;
}

function compact(n: Json): Json {
  if (Array.isArray(n.anyOf)) {
    const members = (n.anyOf as Json[]).map(compact);
    const plain = members.every((m) => Object.keys(m).length === 1 && typeof m.type === "string");
    if (!plain) return members[0];
    const types = [...new Set(members.map((m) => m.type as string))];
    return { type: types.length === 1 ? types[0] : types };
  }
  const out: Json = {};
  if (n.type !== undefined) out.type = n.type;
  if (Array.isArray(n.enum) && n.enum.length <= ENUM_MAX) out.enum = n.enum;
  if (n.items) out.items = compact(n.items as Json);
  if (n.properties) {
    out.properties = Object.fromEntries(
      Object.entries(n.properties as Record<string, Json>).map(([k, v]) => [k, compact(v)]),
    );
  }
  if (Array.isArray(n.required) && n.required.length) out.required = n.required;
  return out;
}
