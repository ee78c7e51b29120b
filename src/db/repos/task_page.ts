import type { Dialect, Param } from "../store.ts";
import { limitClause, limitOrAll, nocase } from "../sql.ts";
import type { TaskFilter } from "./tasks.ts";

const ORDER: Record<string, [string, string]> = {
  priority: ["t.priority ASC, t.created_at DESC", "t.priority DESC, t.created_at ASC"],
  created: ["t.created_at ASC", "t.created_at DESC"],
  updated: ["t.updated_at ASC", "t.updated_at DESC"],
  seq: ["t.task_seq ASC", "t.task_seq DESC"],
  title: ["$NOCASE ASC", "$NOCASE DESC"],
};

/**
 * The ORDER BY terms of a list. The priority order is served by idx_tasks_list / idx_tasks_live
 * (SQLite breaks its ties in rowid order, which PostgreSQL reproduces with TASK-N); other keys break
 * ties by TASK-N.
 */
export function listOrder(d: Dialect, sort: string, order: "asc" | "desc"): string {
  const [asc, desc] = (ORDER[sort] ?? ORDER.priority).map((s) => s.replace("$NOCASE", nocase(d, "t.title")));
  const tie = (sort === "priority" || !ORDER[sort]) && d !== "postgres"
    ? ""
    : order === "desc"
    ? ", t.task_seq DESC"
    : ", t.task_seq ASC";
  return `${order === "desc" ? desc : asc}${tie}`;
}

/** A list's order and page (limit 0 = no limit). */
export interface PageSpec {
  sort: string;
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

/**
 * A page of `select` (a statement reading `FROM tasks t`, perhaps joined) under the filter's WHERE
 * clause `w`, in list order: `… ORDER BY … LIMIT … OFFSET ?`. `bind`: the limit is a parameter (else
 * written into the SQL); `tie`: more ORDER BY terms (SQLite's `, t.rowid ASC`).
 *
 * On PostgreSQL the default list (live tasks by priority, a bounded page) reads its first
 * offset + limit rows `WITH TIES` in the order idx_tasks_list / idx_tasks_live hold them, and orders
 * only those by TASK-N within equal times: the index gives the rows in order whatever the planner's
 * statistics say. The full ORDER BY (…, TASK-N) has no index, so the planner sorted every live task of
 * the project before the first row (a fresh database, no statistics yet: 23 ms for 10,000 tasks) or
 * walked idx_tasks_priority (6.5 ms); it does not take `archived_at IS NULL` as a constant of the
 * order either, so the (constant) column leads the inner ORDER BY. Same rows, same order.
 */
export function pageSql(
  d: Dialect,
  select: string,
  f: TaskFilter,
  w: { sql: string; params: Param[] },
  o: PageSpec,
  opts: { bind?: boolean; tie?: string } = {},
): { sql: string; params: Param[] } {
  const order = `${listOrder(d, o.sort, o.order)}${opts.tie ?? ""}`;
  const limit = opts.bind ? "LIMIT ?" : limitClause(d, o.limit);
  const limitParams = opts.bind ? [limitOrAll(o.limit)] : [];
  const live = !f.include_archived && !f.archived_only;
  const byPriority = o.sort === "priority" || !ORDER[o.sort];
  if (d !== "postgres" || !live || !byPriority || o.limit <= 0) {
    return {
      sql: `${select} ${w.sql} ORDER BY ${order} ${limit} OFFSET ?`,
      params: [...w.params, ...limitParams, o.offset],
    };
  }
  const dir = o.order === "desc" ? "DESC" : "ASC";
  const first = `t.archived_at ${dir}, ${
    listOrder(d, "priority", o.order).replace(/, t\.task_seq \w+$/, "")
  }`;
  const top =
    `(SELECT * FROM tasks t ${w.sql} ORDER BY ${first} FETCH FIRST (CAST(? AS BIGINT)) ROWS WITH TIES) t`;
  return {
    sql: `${select.replace(/\bFROM tasks t\b/, `FROM ${top}`)} ORDER BY ${order} ${limit} OFFSET ?`,
    params: [...w.params, o.offset + o.limit, ...limitParams, o.offset],
  };
}
