import { z } from "zod";
import type { Page } from "../domain/models.ts";
import { parseDueDate } from "../domain/time.ts";
import { MCP_DEFAULT_PAGE, MCP_MAX_PAGE, pageLimit, pageOffset } from "../domain/paging.ts";

/** Argument schemas shared by several tools. Descriptions are short: every byte is paid per session. */
export const taskRef = z.string();
export const optText = z.string().optional();
export const priority = z.union([z.number(), z.string()]).optional();
export const status = z.enum(["todo", "doing", "done"]);
export const labels = z.array(z.string());
export const version = z.number();

/** Usage the claim's holder reports with a write (checked by the service). */
export const usage = {
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cost_usd: z.number().optional(),
  model: optText,
};

/** limit/offset of every list tool (bounds checked in `bounds`: zod's int bounds cost bytes). */
export const paging = { limit: z.number().optional(), offset: z.number().optional() };

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

/** "" clears the due date; anything else must parse. */
export const dueAt = (v: string | undefined) => parseDueDate(v, "due_date");

/** Splits "a,b" or ["a","b"] into trimmed non-empty values. */
export function csv(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const out = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}
