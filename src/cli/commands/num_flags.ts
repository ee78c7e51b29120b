import type { FlagSpec, FlagTable } from "../spec.ts";
import { DEFAULT_PAGE } from "../../domain/paging.ts";

export { DEFAULT_PAGE };

/** `--limit` / `--offset` flags for bounded lists. */
export const pageFlags = (def = DEFAULT_PAGE) => ({
  limit: { type: "string", desc: `page size, 0 = all (default ${def})`, value: "<n>" },
  offset: { type: "string", desc: "skip this many", value: "<n>" },
} satisfies FlagTable);

/** A string flag; `extra` keeps its literal type so `multiple: true` reads as a list. */
export function str(desc: string): { type: "string"; desc: string; multiple?: false };
export function str<const E extends Omit<Partial<FlagSpec>, "type">>(
  desc: string,
  extra: E,
): { type: "string"; desc: string } & E;
export function str(desc: string, extra?: Omit<Partial<FlagSpec>, "type">) {
  return { type: "string", desc, ...extra };
}

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
