import { type Db, ns } from "../connection.ts";
import type { Actor } from "../../domain/actor.ts";
import type { TaskRow } from "./tasks.ts";
import { recountEdge } from "./rank.ts";

/** One dependency edge: `task_id` waits on `blocked_by`. */
export interface DepEdge {
  task_id: string;
  blocked_by: string;
}

/** Inserts an edge; returns 0 when it already exists. */
export function insertDep(db: Db, e: DepEdge & { actor: Actor; created_at: number }): number {
  const n = db.run(
    `INSERT OR IGNORE INTO task_deps (task_id, blocked_by, actor_kind, actor_name, created_at)
     VALUES (?, ?, ?, ?, ?)`,
    e.task_id,
    e.blocked_by,
    e.actor.kind,
    e.actor.name,
    ns(e.created_at),
  );
  if (n) recountEdge(db, e.task_id, e.blocked_by, 1); // the stored ranking (rank.ts)
  return n;
}

/** Deletes an edge; returns the number of rows removed (0 or 1). */
export function deleteDep(db: Db, e: DepEdge): number {
  const n = db.run("DELETE FROM task_deps WHERE task_id = ? AND blocked_by = ?", e.task_id, e.blocked_by);
  if (n) recountEdge(db, e.task_id, e.blocked_by, -1);
  return n;
}

/** The direct blockers of each of the given tasks (one query per graph layer). */
export function blockerEdges(db: Db, ids: string[]): DepEdge[] {
  if (!ids.length) return [];
  return db.all<DepEdge>(
    `SELECT task_id, blocked_by FROM task_deps WHERE task_id IN (SELECT value FROM json_each(?))
     ORDER BY task_id, blocked_by`,
    JSON.stringify(ids),
  );
}

const SELECT = `SELECT t.rowid, t.*, p.alias AS p_alias, p.name AS p_name FROM task_deps d`;

/** Tasks that block the given task (its direct blockers), by TASK-N. */
export function listBlockers(db: Db, id: string): TaskRow[] {
  return db.all<TaskRow>(
    `${SELECT} JOIN tasks t ON t.id = d.blocked_by JOIN projects p ON p.id = t.project_id
     WHERE d.task_id = ? ORDER BY t.task_seq`,
    id,
  );
}

/** Tasks the given task blocks (its direct dependents), by TASK-N. */
export function listDependents(db: Db, id: string): TaskRow[] {
  return db.all<TaskRow>(
    `${SELECT} JOIN tasks t ON t.id = d.task_id JOIN projects p ON p.id = t.project_id
     WHERE d.blocked_by = ? ORDER BY t.task_seq`,
    id,
  );
}

/** Every edge (stress and fuzz verification). */
export function allDeps(db: Db): DepEdge[] {
  return db.all<DepEdge>("SELECT task_id, blocked_by FROM task_deps ORDER BY task_id, blocked_by");
}

/** TASK-N numbers of the open (not done, not archived) blockers of a task. */
export function openBlockerSeqs(db: Db, id: string): number[] {
  return db.all<{ seq: number }>(
    `SELECT b.task_seq AS seq FROM task_deps d JOIN tasks b ON b.id = d.blocked_by
     WHERE d.task_id = ? AND b.status <> 'done' AND b.archived_at IS NULL ORDER BY b.task_seq`,
    id,
  ).map((r) => r.seq);
}
