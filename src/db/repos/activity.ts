import { type Dialect, ns, type Param, type Store } from "../store.ts";
import { activitySeq, activityTie, limitOrAll } from "../sql.ts";
import type { Activity } from "../../domain/models.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AlsoWrite } from "./task_write.ts";

export interface ActivityInsert {
  id: string;
  entity: string;
  entity_id: string;
  action: string;
  summary: string;
  project_id: string;
  actor: Actor;
  created_at: number;
  payload?: string;
}

export interface ActivityFilter {
  project_id?: string;
  entity?: string;
  entity_id?: string;
  action?: string;
  actor_kind?: string;
  actor_name?: string;
  since?: number;
  after_rowid?: number;
  oldest_first?: boolean;
  limit?: number;
  offset?: number;
}

/** A row of activity_log with its log position: `rowid` (SQLite, or selected AS rowid) or `seq` (PostgreSQL). */
type ActivityRow = Omit<Activity, "actor"> & {
  actor_kind: string;
  actor_name: string;
  rowid?: number | null;
  seq?: number | null;
};

export function toActivity(r: ActivityRow): Activity & { seq: number } {
  const a: Activity & { seq: number } = {
    id: r.id,
    entity: r.entity,
    entity_id: r.entity_id,
    action: r.action,
    summary: r.summary,
    actor: { kind: r.actor_kind as Actor["kind"], name: r.actor_name },
    payload: r.payload,
    created_at: r.created_at,
    seq: r.rowid ?? r.seq ?? 0,
  };
  if (r.project_id) a.project_id = r.project_id;
  return a;
}

/** Inserts one activity row. */
export async function insertActivity(db: Store, a: ActivityInsert): Promise<void> {
  await insertActivities(db, [a]);
}

/**
 * Inserts activity rows in one statement, in the order given: SQLite assigns their rowids in VALUES
 * order, and PostgreSQL's deferred trigger (pg/0015_activity_seq.sql, one event per row, fired in
 * insertion order at commit) gives each its `seq` in that order.
 */
export async function insertActivities(db: Store, rows: ActivityInsert[]): Promise<void> {
  if (!rows.length) return;
  const s = activityInsert(rows);
  await db.run(s.sql(), ...s.params);
}

const COLS =
  "id, entity, entity_id, action, actor_kind, actor_name, payload, created_at, project_id, summary";

/**
 * insertActivities' statement, for a task write to carry (task_write.ts AlsoWrite). With a condition
 * the rows are selected from their VALUES (typed: a VALUES list in a subquery has no column to take
 * its parameters' types from).
 */
export function activityInsert(rows: ActivityInsert[]): AlsoWrite {
  const row = (typed: boolean) =>
    typed
      ? "(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), " +
        "CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT))"
      : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const values = (typed: boolean) => rows.map(() => row(typed)).join(", ");
  return {
    sql: (cond) =>
      cond
        ? `INSERT INTO activity_log (${COLS}) SELECT * FROM (VALUES ${
          values(true)
        }) AS v(${COLS}) WHERE ${cond}`
        : `INSERT INTO activity_log (${COLS}) VALUES ${values(false)}`,
    params: rows.flatMap((a) => [
      a.id,
      a.entity,
      a.entity_id,
      a.action,
      a.actor.kind,
      a.actor.name,
      a.payload ?? "{}",
      ns(a.created_at),
      a.project_id,
      a.summary,
    ]),
  };
}

function where(d: Dialect, f: ActivityFilter): { sql: string; params: Param[] } {
  const c: string[] = [];
  const p: Param[] = [];
  if (f.project_id !== undefined) (c.push("project_id = ?"), p.push(f.project_id));
  if (f.entity) (c.push("entity = ?"), p.push(f.entity));
  if (f.entity_id) (c.push("entity_id = ?"), p.push(f.entity_id));
  if (f.action) (c.push("action = ?"), p.push(f.action));
  if (f.actor_kind) (c.push("actor_kind = ?"), p.push(f.actor_kind));
  if (f.actor_name) (c.push("actor_name = ?"), p.push(f.actor_name));
  if (f.since !== undefined) (c.push("created_at >= ?"), p.push(ns(f.since)));
  if (f.after_rowid !== undefined) (c.push(`${activitySeq(d)} > CAST(? AS BIGINT)`), p.push(f.after_rowid));
  return { sql: c.length ? `WHERE ${c.join(" AND ")}` : "", params: p };
}

/** Activity rows matching the filter, newest first (or oldest first). */
export async function listActivity(db: Store, f: ActivityFilter): Promise<(Activity & { seq: number })[]> {
  const w = where(db.dialect, f);
  const dir = f.oldest_first ? "ASC" : "DESC";
  const tie = activityTie(db.dialect);
  return (await db.all<ActivityRow>(
    `SELECT ${db.dialect === "postgres" ? "" : "rowid, "}* FROM activity_log ${w.sql}
     ORDER BY created_at ${dir}, ${tie} ${dir} LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)`,
    ...w.params,
    limitOrAll(f.limit ?? 0),
    f.offset ?? 0,
  )).map(toActivity);
}

/** Count of activity rows matching the filter. */
export async function countActivity(db: Store, f: ActivityFilter): Promise<number> {
  const w = where(db.dialect, f);
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM activity_log ${w.sql}`, ...w.params))!.n;
}

/** The highest activity log position (0 when empty): the cursor for live streams. */
export async function maxActivityRowid(db: Store): Promise<number> {
  return (await db.get<{ n: number | null }>(
    `SELECT MAX(${activitySeq(db.dialect)}) AS n FROM activity_log`,
  ))!.n ??
    0;
}

/** Deletes every activity row of a project (project hard delete). */
export async function deleteProjectActivity(db: Store, projectId: string): Promise<number> {
  return await db.run("DELETE FROM activity_log WHERE project_id = ?", projectId);
}
