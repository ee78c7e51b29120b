import type { Param, Store } from "../store.ts";
import { groupConcat, inJson } from "../sql.ts";
import { pageSql } from "./task_page.ts";
import {
  countTasks,
  listOrder,
  listTaskRows,
  searchInScope,
  searchParam,
  storedCountAndAll,
  TASK_SELECT,
  type TaskFilter,
  type TaskRow,
  taskSelect,
  taskWhere,
} from "./tasks.ts";

/**
 * A search's page, fast when its matches are dense. The straightforward statement (listTaskRows)
 * makes the whole set of matches into a lookup table before it walks the list index, and the total
 * is a second pass over them: ~20 ms for a third of 100,000 tasks. Here the list index is walked for
 * candidates in list order (the filter without the search, a few hundred rows), and one pass over
 * the full-text matches says which candidates match and counts the matches (all, and those in or
 * out of the filter's project and archived state, for the total). The page is the first matching
 * candidates; a larger batch is read when the first had too few. Same rows, order and total as
 * listTaskRows and countTasks.
 */

/** How far searchPage goes before it hands a search to listTaskRows (tests make them small). */
export const SEARCH_PAGE_LIMITS = {
  /** At least this many matches make a search dense (the list index is walked, not the matches). */
  dense: 2000,
  /** Pages reaching deeper than this (offset + limit) take the straightforward statement. */
  depth: 1000,
  /** The first batch of candidates: 4 × (offset + limit), within these bounds. */
  batch: [256, 4096] as [number, number],
  /** The most candidates read in all, and in how many passes over the matches. */
  candidates: 16_384,
  rounds: 3,
};

export type SearchPage =
  /** The page, and its exact total when this pass had it (else count with countTasks). */
  | { rows: TaskRow[]; total?: number }
  /** Not served here: take listTaskRows, with `fts_dense` set to this. */
  | { dense: boolean };

/**
 * A page of a search (`f.fts`) in list order, or what listTaskRows needs to serve it. Only the
 * priority order (the default list order, which an index serves) with a bounded page is served
 * here; anything else gets the dense/sparse choice alone.
 */
export async function searchPage(
  db: Store,
  f: TaskFilter,
  o: { sort: string; order: "asc" | "desc"; limit: number; offset: number },
  lim = SEARCH_PAGE_LIMITS,
): Promise<SearchPage> {
  const want = o.offset + o.limit;
  if (!f.fts || o.sort !== "priority" || o.limit <= 0 || want > lim.depth) {
    const dense = !!f.fts && await ftsMatchesAtLeast(db, f.fts, lim.dense);
    return !dense && f.fts && db.dialect === "postgres" ? await byMatchIds(db, f, o) : { dense };
  }
  const pg = db.dialect === "postgres";
  const key = pg ? "t.id" : "t.rowid";
  const fk = pg ? "task_id" : "rowid"; // the task's key in tasks_fts
  const rest = taskWhere({ ...f, fts: undefined, fts_dense: undefined }, { dialect: db.dialect });
  const dir = o.order === "desc" ? "DESC" : "ASC";
  // Ties in rowid order, as idx_tasks_list/idx_tasks_live hold them (SQLite); PostgreSQL's by TASK-N
  // (pageSql walks the same indexes).
  const tie = pg ? "" : `, t.rowid ${dir}`;
  // The total's counts go out while PostgreSQL's tsquery translation loads (its first use).
  const [search, term] = await Promise.all([searchParam(db, f.fts), totalTerm(db, f, { key, fk })]);
  const match = pg ? "document @@ CAST(? AS TSQUERY)" : "tasks_fts MATCH ?";
  // One pass over the matches: how many, which of the candidates, and (the first time) the total's
  // term. SQLite binds the candidates read just before; PostgreSQL reads them in the same statement
  // (a round trip and 8 kB of parameters fewer) and returns them in order (`cands`).
  const pass = (counting: boolean, c: { sql: string; params: Param[] } | undefined) => ({
    sql: `${c ? `WITH c AS MATERIALIZED (${c.sql}) ` : ""}SELECT COUNT(*) AS n,
      ${
      c
        ? `(SELECT string_agg(c.k, ',' ORDER BY ${
          listOrder(db.dialect, o.sort, o.order).replaceAll("t.", "c.")
        }) FROM c)`
        : "NULL"
    } AS cands,
      ${groupConcat(db.dialect, fk, "','")} FILTER (WHERE ${
      c ? `${fk} IN (SELECT c.k FROM c)` : inJson(db.dialect, fk)
    }) AS hits,
      ${counting && term ? `COUNT(*) FILTER (WHERE ${term.sql})` : "0"} AS counted
    FROM tasks_fts WHERE ${match}`,
    params: [...c?.params ?? [], ...counting ? term?.params ?? [] : []],
  });
  const got: (string | number)[] = [];
  let taken = 0;
  let batch = Math.min(Math.max(4 * want, lim.batch[0]), lim.batch[1]);
  let first: { n: number; counted: number } | undefined;
  for (let round = 1;; round++) {
    const page = { ...o, limit: batch, offset: taken };
    // (PostgreSQL: with the columns of the priority order, the only one served here.)
    const select = `SELECT ${key} AS k${pg ? ", t.priority, t.created_at, t.task_seq" : ""} FROM tasks t`;
    const c = pageSql(db.dialect, select, f, rest, page, { bind: true, tie });
    let cands: (string | number)[] = [];
    if (!pg) cands = (await db.all<{ k: string | number }>(c.sql, ...c.params)).map((r) => r.k);
    const q = pass(!first, pg ? c : undefined);
    const r = (await db.get<{ n: number; cands: string | null; hits: string | null; counted: number }>(
      q.sql,
      ...pg ? [] : [JSON.stringify(cands)],
      ...q.params,
      search,
    ))!;
    if (pg) cands = r.cands ? r.cands.split(",") : [];
    first ??= r;
    const hits = new Set(r.hits ? r.hits.split(",") : []);
    for (const c of cands) if (hits.has(String(c))) got.push(c);
    taken += cands.length;
    const exhausted = cands.length < batch;
    if (got.length >= want || exhausted) {
      const total = exhausted
        ? got.length
        : !term
        ? undefined
        : term.less
        ? first.n - first.counted
        : first.counted;
      return { rows: await rowsInOrder(db, key, got.slice(o.offset, want)), total };
    }
    if (first.n < lim.dense) return pg ? await byMatchIds(db, f, o) : { dense: false }; // few: driven from them
    // Enough candidates for the rest at the density seen so far, with a margin; or give up.
    batch = Math.ceil((want - got.length) * taken / Math.max(got.length, 1) * 1.5);
    if (round === lim.rounds || taken + batch > lim.candidates) return { dense: true };
  }
}

/**
 * How the pass totals a search filtered by project and archived alone: it counts the matches among
 * the filter's rows or, when those are most of all tasks (task_counts says), all matches less those
 * outside them (the archived ones, say, or other projects' tasks). Undefined for other filters.
 */
async function totalTerm(
  db: Store,
  f: TaskFilter,
  k: { key: string; fk: string },
): Promise<{ sql: string; params: Param[]; less: boolean } | undefined> {
  if (!searchInScope(f)) return undefined;
  const scope: TaskFilter = {
    project_id: f.project_id,
    include_archived: f.include_archived,
    archived_only: f.archived_only,
  };
  const { n: inside, all } = await storedCountAndAll(db, scope);
  if (inside <= all - inside) {
    const w = taskWhere(scope, { dialect: db.dialect });
    return { sql: `${k.fk} IN (SELECT ${k.key} FROM tasks t ${w.sql})`, params: w.params, less: false };
  }
  // Each part of the outside is read through an index: archived_at, or project_id per other project.
  const parts: string[] = [];
  const params: Param[] = [];
  if (f.archived_only) parts.push("t.archived_at IS NULL");
  else if (!f.include_archived) parts.push("t.archived_at IS NOT NULL");
  if (f.project_id) {
    parts.push("t.project_id IN (SELECT id FROM projects WHERE id <> ?)");
    params.push(f.project_id);
  }
  const sql = parts.map((p) => `${k.fk} IN (SELECT ${k.key} FROM tasks t WHERE ${p})`).join(" OR ");
  return { sql: sql || "FALSE", params, less: true };
}

/**
 * A search with few matches on PostgreSQL: their ids are read first and the list filtered by them.
 * Given the tsquery inside the statement, the planner expects thousands of matches even for none and
 * walks every task in list order probing each (a rare phrase in 100,000 tasks: 350 ms → 5 ms).
 */
async function byMatchIds(
  db: Store,
  f: TaskFilter,
  o: { sort: string; order: "asc" | "desc"; limit: number; offset: number },
): Promise<SearchPage> {
  const matched = await db.all<{ task_id: string }>(
    "SELECT task_id FROM tasks_fts WHERE document @@ CAST(? AS TSQUERY)",
    await searchParam(db, f.fts!),
  );
  const only = f.ids && new Set(f.ids);
  const ids = matched.map((r) => r.task_id).filter((id) => !only || only.has(id));
  if (!ids.length) return { rows: [], total: 0 }; // (an empty `ids` filters nothing)
  const g: TaskFilter = { ...f, fts: undefined, fts_dense: undefined, ids };
  const rows = await listTaskRows(db, g, o);
  const full = o.limit > 0 && rows.length === o.limit;
  return {
    rows,
    total: full || (o.offset > 0 && !rows.length) ? await countTasks(db, g) : o.offset + rows.length,
  };
}

/** The task rows of these keys (rowids, or ids on PostgreSQL), in the keys' order. */
async function rowsInOrder(db: Store, key: string, keys: (string | number)[]): Promise<TaskRow[]> {
  if (!keys.length) return [];
  // PostgreSQL reads their labels too (a round trip fewer; see tasksOf).
  const select = db.dialect === "postgres" ? taskSelect(db.dialect, true) : TASK_SELECT;
  const rows = await db.all<TaskRow & { k?: string | number }>(
    `${select.replace(/^SELECT /, `SELECT ${key} AS k, `)} WHERE ${inJson(db.dialect, key)}`,
    JSON.stringify(keys),
  );
  const byKey = new Map(rows.map((r) => [r.k, r]));
  return keys.flatMap((k) => {
    const r = byKey.get(k);
    if (!r) return []; // deleted since the candidates were read
    delete r.k;
    return [r];
  });
}

/**
 * Whether an FTS5 expression matches at least `n` rows (bounded work). Running it also surfaces a
 * syntax error even when no task row would reach the MATCH.
 */
export async function ftsMatchesAtLeast(db: Store, fts: string, n: number): Promise<boolean> {
  const sql = db.dialect === "postgres"
    ? "SELECT COUNT(*) AS c FROM (SELECT 1 FROM tasks_fts WHERE document @@ CAST(? AS TSQUERY) LIMIT ?) m"
    : "SELECT COUNT(*) AS c FROM (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ? LIMIT ?)";
  return (await db.get<{ c: number }>(sql, await searchParam(db, fts), n))!.c >= n;
}
