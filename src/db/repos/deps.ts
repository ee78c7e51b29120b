import { ns, type Store } from "../store.ts";
import type { Actor } from "../../domain/actor.ts";
import { TASK_SELECT, type TaskRow } from "./tasks.ts";
import { binary, inJson } from "../sql.ts";
import { recountEdge } from "./rank.ts";

/** One dependency edge: `task_id` waits on `blocked_by`. */
export interface DepEdge {
  task_id: string;
  blocked_by: string;
}

/** Inserts an edge; returns 0 when it already exists. */
export async function insertDep(
  db: Store,
  e: DepEdge & { actor: Actor; created_at: number },
): Promise<number> {
  const n = await db.run(
    `INSERT INTO task_deps (task_id, blocked_by, actor_kind, actor_name, created_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (task_id, blocked_by) DO NOTHING`,
    e.task_id,
    e.blocked_by,
    e.actor.kind,
    e.actor.name,
    ns(e.created_at),
  );
  if (n) await recountEdge(db, e.task_id, e.blocked_by, 1); // the stored ranking (rank.ts)
  return n;
}

/** Deletes an edge; returns the number of rows removed (0 or 1). */
export async function deleteDep(db: Store, e: DepEdge): Promise<number> {
  const n = await db.run(
    "DELETE FROM task_deps WHERE task_id = ? AND blocked_by = ?",
    e.task_id,
    e.blocked_by,
  );
  if (n) await recountEdge(db, e.task_id, e.blocked_by, -1);
  return n;
}

/** The direct blockers of each of the given tasks (one query per graph layer). */
export async function blockerEdges(db: Store, ids: string[]): Promise<DepEdge[]> {
  if (!ids.length) return [];
  return await db.all<DepEdge>(
    `SELECT task_id, blocked_by FROM task_deps WHERE ${inJson(db.dialect, "task_id")}
     ORDER BY ${binary(db.dialect, "task_id")}, ${binary(db.dialect, "blocked_by")}`,
    JSON.stringify(ids),
  );
}

/** Tasks that block the given task (its direct blockers), by TASK-N. */
export async function listBlockers(db: Store, id: string): Promise<TaskRow[]> {
  return await db.all<TaskRow>(
    `${TASK_SELECT} JOIN task_deps d ON d.blocked_by = t.id WHERE d.task_id = ? ORDER BY t.task_seq`,
    id,
  );
}

/** Tasks the given task blocks (its direct dependents), by TASK-N. */
export async function listDependents(db: Store, id: string): Promise<TaskRow[]> {
  return await db.all<TaskRow>(
    `${TASK_SELECT} JOIN task_deps d ON d.task_id = t.id WHERE d.blocked_by = ? ORDER BY t.task_seq`,
    id,
  );
}

/** Every edge (stress and fuzz verification). */
export async function allDeps(db: Store): Promise<DepEdge[]> {
  return await db.all<DepEdge>(
    `SELECT task_id, blocked_by FROM task_deps
     ORDER BY ${binary(db.dialect, "task_id")}, ${binary(db.dialect, "blocked_by")}`,
  );
}

/** TASK-N numbers of the open (not done, not archived) blockers of a task. */
export async function openBlockerSeqs(db: Store, id: string): Promise<number[]> {
  return (await db.all<{ seq: number }>(
    `SELECT b.task_seq AS seq FROM task_deps d JOIN tasks b ON b.id = d.blocked_by
     WHERE d.task_id = ? AND b.status <> 'done' AND b.archived_at IS NULL ORDER BY b.task_seq`,
    id,
  )).map((r) => r.seq);
}
