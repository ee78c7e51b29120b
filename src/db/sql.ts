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

/**
 * The LIMIT to bind for "every row" (a page limit of 0 or less): SQLite's `LIMIT -1` is an error on
 * PostgreSQL and `LIMIT NULL` one on SQLite, so both get a count no table reaches.
 */
export const limitOrAll = (limit: number): number => limit > 0 ? limit : Number.MAX_SAFE_INTEGER;

/** The 1-based position of `needle` in `haystack` (0 when absent): SQLite's instr(), PostgreSQL's strpos(). */
export const instr = (d: Dialect, haystack: string, needle: string): string =>
  d === "postgres" ? `strpos(${haystack}, ${needle})` : `instr(${haystack}, ${needle})`;

/**
 * The column that orders activity rows written in the same nanosecond, in writing order: SQLite's
 * rowid; PostgreSQL has none, and activity IDs are monotonic ULIDs (creation order within a process).
 * `alias` qualifies it (`a` → `a.rowid`).
 */
export const activityTie = (d: Dialect, alias = ""): string =>
  `${alias ? `${alias}.` : ""}${d === "postgres" ? "id" : "rowid"}`;

/**
 * The activity log position the live feed and `activity.cursor()` count in: SQLite's rowid,
 * PostgreSQL's `seq` (assigned at commit by migrations/pg/0015_activity_seq.sql).
 */
export const activitySeq = (d: Dialect): string => d === "postgres" ? "seq" : "rowid";

/**
 * Lower case for comparisons, ASCII letters only: SQLite's lower() (without ICU) leaves other letters
 * alone, PostgreSQL's follows the database's locale (`É` → `é`), so PostgreSQL maps A-Z itself.
 */
export const lowerAscii = (d: Dialect, expr: string): string =>
  d === "postgres"
    ? `translate(${expr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`
    : `lower(${expr})`;

/**
 * An expression that compares and sorts byte by byte, as SQLite's BINARY collation does: on
 * PostgreSQL, text follows the database's collation (en_US and the like ignore case and punctuation
 * at first), so sorts whose order is part of the output say COLLATE "C".
 */
export const bytewise = (d: Dialect, expr: string): string => d === "postgres" ? `${expr} COLLATE "C"` : expr;
