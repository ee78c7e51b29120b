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
 * A JSON array parameter as a table with one text column `value`, named `alias` (SQLite's
 * `json_each(?)`; PostgreSQL's `jsonb_array_elements_text`). Bind `JSON.stringify(list)`. On
 * PostgreSQL the elements pass through an array so the planner estimates ~10 rows (unnest's default)
 * instead of the 100 it assumes for a JSON function: with 100 it hashes whole tables where a few
 * index lookups do.
 */
export const jsonEach = (d: Dialect, alias: string, param = "?"): string =>
  d === "postgres"
    ? `unnest(ARRAY(SELECT jsonb_array_elements_text(CAST(${param} AS JSONB)))) AS ${alias}(value)`
    : `json_each(${param}) AS ${alias}`;

/** `x IN (…)` over a JSON array parameter (see jsonEach). */
export const inJson = (d: Dialect, expr: string, param = "?"): string =>
  `${expr} IN (SELECT j.value FROM ${jsonEach(d, "j", param)})`;

/**
 * An inner join written so SQLite keeps the written join order (its `CROSS JOIN … ON`);
 * PostgreSQL has no CROSS JOIN with ON and plans the order itself.
 */
export const joinInOrder = (d: Dialect): string => d === "postgres" ? "JOIN" : "CROSS JOIN";

/**
 * Concatenates `expr` over a group with `sep`, in `orderBy` order when given (SQLite's group_concat,
 * which takes ORDER BY since 3.44; PostgreSQL's string_agg).
 */
export const groupConcat = (d: Dialect, expr: string, sep: string, orderBy?: string): string => {
  const order = orderBy ? ` ORDER BY ${orderBy}` : "";
  return d === "postgres"
    ? `string_agg(CAST(${expr} AS TEXT), ${sep}${order})`
    : `group_concat(${expr}, ${sep}${order})`;
};

/**
 * Text compared byte by byte, as SQLite's default BINARY collation does (PostgreSQL otherwise uses
 * the database's locale).
 */
export const binary = (d: Dialect, expr: string): string => d === "postgres" ? `${expr} COLLATE "C"` : expr;

/**
 * SQLite's `COLLATE NOCASE`: ASCII letters folded to lower case, everything else compared byte by
 * byte.
 */
export const nocase = (d: Dialect, expr: string): string =>
  d === "postgres"
    ? `translate(${expr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C"`
    : `${expr} COLLATE NOCASE`;

/** `LIMIT n` for n > 0, else no limit (SQLite needs `LIMIT -1` before an OFFSET). */
export const limitClause = (d: Dialect, n: number): string =>
  n > 0 ? `LIMIT ${Math.floor(n)}` : d === "postgres" ? "LIMIT ALL" : "LIMIT -1";

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
