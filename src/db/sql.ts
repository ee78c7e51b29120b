import type { Dialect } from "./store.ts";

/**
 * SQL fragments that differ between the engines, for repos that otherwise share one statement.
 * Everything else engine-specific lives in `src/db/pg/` (PostgreSQL) or stays SQLite's own.
 */

/** The larger of two values: SQLite's two-argument MAX() is PostgreSQL's GREATEST(). */
export const greatest = (d: Dialect, a: string, b: string): string =>
  d === "postgres" ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`;

/** The smaller of two values: SQLite's two-argument MIN() is PostgreSQL's LEAST(). */
export const least = (d: Dialect, a: string, b: string): string =>
  d === "postgres" ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`;
