import { type Dialect, ns, type Param, type Store } from "../store.ts";
import { greatest, inJson } from "../sql.ts";
import { pageSql } from "./task_page.ts";
import type { Project, ProjectRef, Task } from "../../domain/models.ts";
import { toProject } from "./projects.ts";
import { labelsJson, parseLabels } from "./task_labels.ts";
import type { TaskStatus, TaskType } from "../../domain/enums.ts";
import type { Actor } from "../../domain/actor.ts";
import { isOpen, openAncestors, openState, recount, shiftDependents } from "./rank.ts";
import { describeRuns } from "./runs.ts";
import { withLabels } from "./task_labels.ts";
export { labelsForTasks, withLabels } from "./task_labels.ts";
export { listOrder } from "./task_page.ts";
export { rowAfter, type TaskPatch, updateTask, updateTaskWithLabels } from "./task_write.ts";

export interface TaskRow {
  id: string;
  project_id: string;
  title: string;
  description: string;
  type: string;
  status: string;
  priority: number;
  assignee: string;
  due_at: number | null;
  actor_kind: string;
  actor_name: string;
  source: string;
  external_ref: string;
  completed_at: number | null;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  task_seq: number;
  project_path: string;
  version: number;
  claim_token: string;
  claimed_by: string;
  claimed_at: number | null;
  lease_expires_at: number | null;
  /** Open tasks waiting on this one, transitively (the queue ranking, rank.ts). */
  unblocks?: number;
  /** Open direct blockers (0 = not blocked, rank.ts). */
  blockers_open?: number;
  p_alias?: string;
  p_name?: string;
  /** The task's labels, when the row was read (or written) with them (task_labels.ts labelsJson). */
  labels_json?: string | null;
}

/** Maps a row to the wire shape, omitting empty optional fields as the original does. */
export function toTask(r: TaskRow): Task {
  const t: Task = {
    id: r.id,
    seq: r.task_seq,
    ref: `TASK-${r.task_seq}`,
    project_id: r.project_id,
    title: r.title,
    description: r.description,
    type: r.type as TaskType,
    status: r.status as TaskStatus,
    priority: r.priority,
    actor: { kind: r.actor_kind as Actor["kind"], name: r.actor_name },
    created_at: r.created_at,
    updated_at: r.updated_at,
    version: r.version,
  };
  if (r.p_alias !== undefined) {
    t.project = { id: r.project_id, alias: r.p_alias, name: r.p_name ?? "" } as ProjectRef;
  }
  if (r.assignee) t.assignee = r.assignee;
  if (r.due_at !== null) t.due_at = r.due_at;
  if (r.source) t.source = r.source;
  if (r.external_ref) t.external_ref = r.external_ref;
  if (r.completed_at !== null) t.completed_at = r.completed_at;
  if (r.archived_at !== null) t.archived_at = r.archived_at;
  if (r.project_path) t.project_path = r.project_path;
  if (r.lease_expires_at !== null && r.status === "doing") t.lease_expires_at = r.lease_expires_at;
  const labels = parseLabels(r.labels_json);
  if (labels) t.labels = labels;
  return t;
}

/**
 * The tasks of rows with their labels: rows read with them (`labels_json`, see taskSelect) keep them,
 * the others get theirs in one query.
 */
export async function tasksOf(db: Store, rows: TaskRow[]): Promise<Task[]> {
  const tasks = rows.map(toTask);
  return rows.some((r) => r.labels_json === undefined) ? await withLabels(db, tasks) : tasks;
}

export interface TaskInsert {
  id: string;
  project_id: string;
  title: string;
  description: string;
  type: string;
  status: string;
  priority: number;
  assignee: string;
  due_at: number | null;
  actor: Actor;
  source: string;
  external_ref: string;
  completed_at: number | null;
  archived_at?: number | null;
  created_at: number;
  updated_at: number;
  project_path: string;
}

/**
 * Takes the next TASK-N on PostgreSQL, as a statement returning it (`value`, text): the counter is the
 * `task_seq_high` row of schema_meta (the high-water mark SQLite keeps too), at least the highest
 * existing number (an import copies numbers without raising it). The upsert writes that row, so
 * concurrent creates on any number of servers conflict on it and the store reruns all but one; each
 * gets its own number, a rolled-back create gives its number back, and a deleted task's number is
 * never handed out again.
 */
export const NEXT_TASK_SEQ = `INSERT INTO schema_meta (key, value)
       SELECT 'task_seq_high', (COALESCE(MAX(task_seq), 0) + 1)::text FROM tasks
     ON CONFLICT (key) DO UPDATE
       SET value = (GREATEST(schema_meta.value::bigint, (SELECT COALESCE(MAX(task_seq), 0) FROM tasks)) + 1)::text
     RETURNING value`;

/**
 * Inserts a task; TASK-N is one more than both the highest existing number and the recorded
 * high-water mark, so a deleted task's number is never handed out again. SQLite computes it inside
 * the INSERT (its single writer makes that race-free); on PostgreSQL the INSERT takes it from the
 * high-water row, raised in the same statement (NEXT_TASK_SEQ). Returns the stored row (without its
 * project's columns); call `recordSeq` in the same transaction.
 */
export async function insertTask(db: Store, t: TaskInsert): Promise<TaskRow> {
  const pg = db.dialect === "postgres";
  const seq = pg ? "(SELECT CAST(value AS BIGINT) FROM s)" : `${
    greatest(
      db.dialect,
      "(SELECT COALESCE(MAX(task_seq), 0) FROM tasks)",
      "COALESCE((SELECT CAST(value AS INTEGER) FROM schema_meta WHERE key = 'task_seq_high'), 0)",
    )
  } + 1`;
  const r = await db.get<TaskRow>(
    `${pg ? `WITH s AS (${NEXT_TASK_SEQ}) ` : ""}INSERT INTO tasks (id, project_id, title, description,
       type, status, priority, assignee, due_at, actor_kind, actor_name, source, external_ref,
       completed_at, archived_at, created_at, updated_at, project_path, task_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${seq})
     RETURNING *`,
    t.id,
    t.project_id,
    t.title,
    t.description,
    t.type,
    t.status,
    t.priority,
    t.assignee,
    ns(t.due_at),
    t.actor.kind,
    t.actor.name,
    t.source,
    t.external_ref,
    ns(t.completed_at),
    ns(t.archived_at),
    ns(t.created_at),
    ns(t.updated_at),
    t.project_path,
  );
  return r!;
}

/**
 * Raises the TASK-N high-water mark (kept in schema_meta, which the original ignores). PostgreSQL's
 * insertTask raised it already.
 */
export async function recordSeq(db: Store, seq: number): Promise<void> {
  if (db.dialect === "postgres") return;
  await db.run(
    `INSERT INTO schema_meta (key, value) VALUES ('task_seq_high', ?1)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
       WHERE CAST(schema_meta.value AS BIGINT) < CAST(EXCLUDED.value AS BIGINT)`,
    String(seq),
  );
}

/** A task row with its project's alias and name (TaskRow). */
export const TASK_SELECT = `SELECT t.*, p.alias AS p_alias, p.name AS p_name
  FROM tasks t JOIN projects p ON p.id = t.project_id`;

/** What a task row is read with besides its project's alias and name (TaskRow). */
export interface RowParts {
  /** Its labels, as `labels_json` (toTask reads them). */
  labels?: boolean;
  /** The whole project, as `p_*` columns (projectOf reads them). */
  project?: boolean;
}

const PROJECT_COLUMNS = ["description", "repo_path", "archived_at", "created_at", "updated_at"]
  .map((c) => `p.${c} AS p_${c}`).join(", ");

/** TASK_SELECT, with the task's labels (`labels: true`, or RowParts) and its whole project when asked. */
export const taskSelect = (d: Dialect, parts: boolean | RowParts) => {
  const { labels, project } = typeof parts === "boolean" ? { labels: parts, project: false } : parts;
  const more = [labels ? `${labelsJson(d, "t.id")} AS labels_json` : "", project ? PROJECT_COLUMNS : ""]
    .filter(Boolean);
  return more.length ? TASK_SELECT.replace(" FROM ", `, ${more.join(", ")} FROM `) : TASK_SELECT;
};

/** The project of a row read with `project` (RowParts). */
export function projectOf(r: TaskRow): Project {
  const p = r as unknown as Record<string, unknown>;
  return toProject({
    id: r.project_id,
    alias: r.p_alias!,
    name: r.p_name!,
    description: p.p_description as string,
    repo_path: p.p_repo_path as string,
    archived_at: p.p_archived_at as number | null,
    created_at: p.p_created_at as number,
    updated_at: p.p_updated_at as number,
  });
}

/** The row of a task id; `lock`: FOR UPDATE on PostgreSQL; `parts`: what else to read (RowParts). */
export async function getTaskRowById(
  db: Store,
  id: string,
  lock = false,
  parts: boolean | RowParts = false,
): Promise<TaskRow | undefined> {
  const forUpdate = lock && db.dialect === "postgres" ? " FOR UPDATE OF t" : "";
  return await db.get<TaskRow>(`${taskSelect(db.dialect, parts)} WHERE t.id = ?${forUpdate}`, id);
}

/** The rows of these task ids, in no particular order (a missing id is simply absent). */
export async function getTaskRowsByIds(db: Store, ids: string[]): Promise<TaskRow[]> {
  if (!ids.length) return [];
  return await db.all<TaskRow>(`${TASK_SELECT} WHERE ${inJson(db.dialect, "t.id")}`, JSON.stringify(ids));
}

/** The row of TASK-N; `lock` and `parts` as getTaskRowById. */
export async function getTaskRowBySeq(
  db: Store,
  seq: number,
  lock = false,
  parts: boolean | RowParts = false,
): Promise<TaskRow | undefined> {
  const forUpdate = lock && db.dialect === "postgres" ? " FOR UPDATE OF t" : "";
  return await db.get<TaskRow>(`${taskSelect(db.dialect, parts)} WHERE t.task_seq = ?${forUpdate}`, seq);
}

export async function getTaskIdBySeq(db: Store, seq: number): Promise<string | undefined> {
  return (await db.get<{ id: string }>("SELECT id FROM tasks WHERE task_seq = ?", seq))?.id;
}

export interface TaskFilter {
  project_id?: string;
  status?: string[];
  type?: string[];
  priority?: number[];
  assignee?: string;
  labels?: string[];
  labels_all?: boolean;
  actor_kind?: string;
  actor_name?: string;
  source?: string;
  seq?: number;
  fts?: string;
  /** The search matches many rows (see search.ts): walk the list index instead. */
  fts_dense?: boolean;
  include_archived?: boolean;
  archived_only?: boolean;
  /** Todo or lease-expired, with no open blocker (as `next` sees it); needs `now`. */
  ready?: boolean;
  /** The time `ready` judges leases against. */
  now?: number;
  blocked?: boolean;
  ids?: string[];
}

/** Doing, with a claim whose lease ran out by `now` (the SQL parameter given, e.g. `?1`). */
export const expiredLease = (now: string) =>
  `(t.status = 'doing' AND t.claim_token <> '' AND t.lease_expires_at IS NOT NULL AND t.lease_expires_at <= ${now})`;

/**
 * Waits on an open (not done, not archived) blocker: the count is stored per task and kept current
 * by every write (rank.ts), so the queue never probes the dependency graph row by row.
 */
export const OPEN_BLOCKER = "t.blockers_open > 0";
/** No open blocker (an index equality, unlike NOT OPEN_BLOCKER). */
export const NOT_BLOCKED = "t.blockers_open = 0";

function inList(c: string[], p: Param[], col: string, vals: (string | number)[] | undefined) {
  if (!vals?.length) return;
  c.push(`${col} IN (${vals.map(() => "?").join(", ")})`);
  p.push(...vals);
}

/**
 * What a search's MATCH binds: the FTS5 expression itself on SQLite; on PostgreSQL its tsquery text
 * (src/db/pg/search.ts, loaded on first use), null when it can match nothing. Raises invalid on
 * malformed search syntax (PostgreSQL; SQLite says so when the statement runs).
 */
export async function searchParam(db: Store, fts: string): Promise<string | null> {
  if (db.dialect !== "postgres") return fts;
  return (await import("../pg/search.ts")).ftsToTsquery(fts) ?? null;
}

/** Tasks matching the search parameter (searchParam), as a condition on `t`. */
const ftsMatch = (d: Dialect) =>
  d === "postgres"
    ? "t.id IN (SELECT task_id FROM tasks_fts WHERE document @@ CAST(? AS TSQUERY))"
    : "t.rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)";

/**
 * The WHERE clause of a filter over `tasks t`. With a search (`f.fts`), `o.search` is what
 * searchParam returned for it and `o.dialect` the store's.
 */
export function taskWhere(
  f: TaskFilter,
  o: { dialect?: Dialect; search?: string | null } = {},
): { sql: string; params: Param[] } {
  const d = o.dialect ?? "sqlite";
  const c: string[] = [];
  const p: Param[] = [];
  if (f.project_id) (c.push("t.project_id = ?"), p.push(f.project_id));
  inList(c, p, "t.status", f.status);
  inList(c, p, "t.type", f.type);
  inList(c, p, "t.priority", f.priority);
  inList(c, p, "t.id", f.ids);
  if (f.assignee !== undefined) (c.push("t.assignee = ?"), p.push(f.assignee));
  if (f.actor_kind) (c.push("t.actor_kind = ?"), p.push(f.actor_kind));
  if (f.actor_name) (c.push("t.actor_name = ?"), p.push(f.actor_name));
  if (f.source !== undefined) (c.push("t.source = ?"), p.push(f.source));
  if (f.seq !== undefined) (c.push("t.task_seq = ?"), p.push(f.seq));
  if (f.labels?.length) {
    const names = f.labels.map(() => "?").join(", ");
    const sub = `SELECT COUNT(DISTINCT l.name) FROM task_labels tl JOIN labels l ON l.id = tl.label_id
      WHERE tl.task_id = t.id AND l.project_id = t.project_id AND l.name IN (${names})`;
    c.push(f.labels_all ? `(${sub}) = ${new Set(f.labels).size}` : `(${sub}) > 0`);
    p.push(...f.labels);
  }
  if (f.fts) (c.push(ftsMatch(d)), p.push(o.search !== undefined ? o.search : f.fts));
  // A search with few matches is driven from the FTS matches (the unary + keeps SQLite from walking
  // the archived_at index and probing every row: 17 ms → 2 ms for a rare phrase in 100k tasks); a
  // search matching many rows is cheaper walked in list order.
  const archived = f.fts && !f.fts_dense && d === "sqlite" ? "+t.archived_at" : "t.archived_at";
  if (f.archived_only) c.push(`${archived} IS NOT NULL`);
  else if (!f.include_archived) c.push(`${archived} IS NULL`);
  if (f.ready) {
    c.push(`(t.status = 'todo' OR ${expiredLease("?")}) AND ${NOT_BLOCKED}`);
    p.push(ns(f.now ?? 0));
  }
  if (f.blocked) c.push(`t.status <> 'done' AND ${OPEN_BLOCKER}`);
  return { sql: c.length ? `WHERE ${c.join(" AND ")}` : "", params: p };
}

/** A page of tasks matching the filter. limit 0 = no limit. */
export async function listTaskRows(
  db: Store,
  f: TaskFilter,
  o: { sort: string; order: "asc" | "desc"; limit: number; offset: number },
): Promise<TaskRow[]> {
  const w = taskWhere(f, { dialect: db.dialect, search: f.fts && await searchParam(db, f.fts) });
  // PostgreSQL reads the page's labels in the same statement (a round trip fewer; see tasksOf).
  const q = pageSql(db.dialect, taskSelect(db.dialect, db.dialect === "postgres"), f, w, o);
  return await db.all<TaskRow>(q.sql, ...q.params);
}

/** Filter keys that narrow a list beyond project, status and archived (a TaskFilter may carry others). */
const NARROWING: (keyof TaskFilter)[] = [
  "type",
  "priority",
  "assignee",
  "labels",
  "actor_kind",
  "actor_name",
  "source",
  "seq",
  "fts",
  "ready",
  "blocked",
  "ids",
];
const narrowedBy = (f: TaskFilter, allowed: keyof TaskFilter | "") =>
  NARROWING.some((k) => {
    const v = f[k];
    return k !== allowed && v !== undefined && v !== false && !(Array.isArray(v) && !v.length);
  });

/** A search filtered by project and archived alone (what task_counts can size without the search). */
export const searchInScope = (f: TaskFilter): boolean =>
  !!f.fts && !f.status?.length && !narrowedBy(f, "fts");

/** The task_counts rows of a project/status/archived filter, as conditions and parameters. */
function countScope(f: TaskFilter): { c: string[]; p: Param[] } {
  const c: string[] = [];
  const p: Param[] = [];
  if (f.project_id) (c.push("project_id = ?"), p.push(f.project_id));
  inList(c, p, "status", f.status);
  if (f.archived_only) c.push("archived = 1");
  else if (!f.include_archived) c.push("archived = 0");
  return { c, p };
}

/** A total read from task_counts when the filter is only project/status/archived, else undefined. */
export async function storedCount(db: Store, f: TaskFilter): Promise<number | undefined> {
  if (narrowedBy(f, "")) return undefined;
  const { c, p } = countScope(f);
  const where = c.length ? `WHERE ${c.join(" AND ")}` : "";
  return (await db.get<{ n: number }>(`SELECT COALESCE(SUM(n), 0) AS n FROM task_counts ${where}`, ...p))!.n;
}

/** storedCount of a project/status/archived filter, and the number of all tasks, in one statement. */
export async function storedCountAndAll(db: Store, f: TaskFilter): Promise<{ n: number; all: number }> {
  const { c, p } = countScope(f);
  const r = await db.get<{ n: number; all_n: number }>(
    `SELECT COALESCE(SUM(n) FILTER (WHERE ${c.length ? c.join(" AND ") : "1 = 1"}), 0) AS n,
       COALESCE(SUM(n), 0) AS all_n FROM task_counts`,
    ...p,
  );
  return { n: r!.n, all: r!.all_n };
}

/**
 * The total of a search with no other filter, exactly, without joining every match to its task
 * (36 ms for a third of 100,000 tasks): the full-text index's own count, less the archived tasks
 * that match (driven from the archived rows, which are few). Undefined when other filters apply.
 */
async function searchCount(db: Store, f: TaskFilter): Promise<number | undefined> {
  if (!f.fts || f.project_id || !searchInScope(f)) return undefined;
  const pg = db.dialect === "postgres";
  const search = await searchParam(db, f.fts);
  const all = async () =>
    (await db.get<{ n: number }>(
      pg
        ? "SELECT COUNT(*) AS n FROM tasks_fts WHERE document @@ CAST(? AS TSQUERY)"
        : "SELECT COUNT(*) AS n FROM tasks_fts WHERE tasks_fts MATCH ?",
      search,
    ))!.n;
  if (f.include_archived) return await all();
  // The unary + keeps SQLite from driving this from the (many) matches.
  const archived = (await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM tasks t WHERE t.archived_at IS NOT NULL
       AND ${pg ? ftsMatch(db.dialect) : `+${ftsMatch(db.dialect)}`}`,
    search,
  ))!.n;
  return f.archived_only ? archived : await all() - archived;
}

/** Number of tasks matching the filter (search included). */
export async function countTasks(db: Store, f: TaskFilter): Promise<number> {
  const stored = await storedCount(db, f) ?? await searchCount(db, f);
  if (stored !== undefined) return stored;
  const w = taskWhere(f, { dialect: db.dialect, search: f.fts && await searchParam(db, f.fts) });
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks t ${w.sql}`, ...w.params))!.n;
}

/** Hard-deletes a task; FKs cascade to plans, comments, labels and dependencies. */
export async function deleteTask(db: Store, id: string): Promise<number> {
  const state = await openState(db, id);
  if (state && isOpen(state)) await shiftDependents(db, id, -1);
  const upstream = await openAncestors(db, [id]);
  await describeRuns(db, "?", id); // its runs outlive it, as it is now
  const n = await db.run("DELETE FROM tasks WHERE id = ?", id);
  await recount(db, upstream);
  return n;
}
