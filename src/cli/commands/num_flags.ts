import type { FlagSpec, RunCtx } from "../spec.ts";
import { parseCount } from "../../domain/fields.ts";
import { DEFAULT_PAGE } from "../../domain/paging.ts";

export { DEFAULT_PAGE };

/** A non-negative integer flag (`--limit`, `--offset`); raises usage naming the flag. */
export function intFlag(ctx: RunCtx, name: string, def: number): number {
  const v = ctx.flags[name];
  if (v === undefined) return def;
  return parseCount(String(v), `--${name}`);
}

/** `--limit` / `--offset` flags for bounded lists. */
export const pageFlags = (def = DEFAULT_PAGE): Record<string, FlagSpec> => ({
  limit: { type: "string", desc: `page size, 0 = all (default ${def})`, value: "<n>" },
  offset: { type: "string", desc: "skip this many", value: "<n>" },
});

/** The CommandResult envelope of archive/delete-style commands; --quiet prints `written` (default: the id). */
export function commandResult(
  action: string,
  entity: string,
  id: string,
  ref: string,
  message: string,
  written = id,
) {
  return { data: { ok: true, action, entity, id, ref, message }, ok: message, written };
}
