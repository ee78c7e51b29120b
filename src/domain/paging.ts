import { invalid } from "./errors.ts";

/**
 * The one paging rule of every list on every surface (DECISIONS.md §3): a list without a limit
 * returns `DEFAULT_PAGE` rows (MCP: `MCP_DEFAULT_PAGE`); `limit=0`, or a limit above what the surface
 * allows, returns the largest page it allows; a negative or fractional limit is invalid.
 */
export const DEFAULT_PAGE = 50;
/** MCP's default page: smaller, because every row costs the agent context. */
export const MCP_DEFAULT_PAGE = 20;
/** The largest page over MCP. */
export const MCP_MAX_PAGE = 200;
/** The largest page over HTTP. */
export const HTTP_MAX_PAGE = 10_000;
/** The largest page of a service or the CLI: 0, no bound (the caller asked for every row). */
export const UNBOUNDED = 0;

/** The page size to read: default when absent, `max` for 0 or above `max` (0 = unbounded). Raises invalid. */
export function pageLimit(limit: number | undefined, max: number, def = DEFAULT_PAGE): number {
  const n = limit ?? def;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw invalid(`limit: must be a whole number ≥ 0 (0 = the largest page)`);
  }
  if (max === UNBOUNDED) return n;
  return n === 0 || n > max ? max : n;
}

/** The offset to read from: 0 when absent. Raises invalid. */
export function pageOffset(offset: number | undefined): number {
  const n = offset ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid("offset must be a non-negative integer");
  return n;
}
