import { ns } from "../connection.ts";
import type { Store } from "../store.ts";
import type { TaskBrief } from "./reports.ts";

/** Database health (integrity, foreign keys, backup) and the `doctor project` checks. */

const BRIEF = `t.id, t.task_seq AS seq, t.title, t.status, t.type, t.updated_at, t.actor_kind, t.actor_name`;
const LIVE = "t.project_id = ?1 AND t.archived_at IS NULL";

/** `PRAGMA integrity_check(n)`: ["ok"] on a sound file, otherwise up to n problem lines. */
export async function integrityCheck(db: Store, max = 100): Promise<string[]> {
  return (await db.all<Record<string, string>>(`PRAGMA integrity_check(${Math.max(1, Math.floor(max))})`))
    // One row may hold several problems on separate lines under a "*** in database main ***" header.
    .flatMap((r) => String(Object.values(r)[0]).split("\n"))
    .filter((l) => l.trim() && !/^\*\*\* in database \S+ \*\*\*$/.test(l));
}

/** `PRAGMA foreign_key_check`: rows whose parent is missing. */
export async function foreignKeyCheck(db: Store) {
  return await db.all<{ table: string; rowid: number | null; parent: string; fkid: number }>(
    "PRAGMA foreign_key_check",
  );
}

/** `VACUUM INTO`: a consistent copy of the database at one moment, safe while others write. */
export async function vacuumInto(db: Store, path: string): Promise<void> {
  await db.run("VACUUM INTO ?", path);
}

/** Todo tasks that never had a status change, oldest first. */
export async function neverStarted(db: Store, projectId: string, limit: number): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'todo'
       AND NOT EXISTS (SELECT 1 FROM activity_log a
                       WHERE a.entity = 'task' AND a.entity_id = t.id AND a.action = 'status_changed')
     ORDER BY t.created_at, t.task_seq LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Open (todo/doing) tasks without a live plan, oldest first. */
export async function withoutPlan(db: Store, projectId: string, limit: number): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status IN ('todo', 'doing')
       AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.task_id = t.id AND p.archived_at IS NULL)
     ORDER BY t.created_at, t.task_seq LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Done tasks without any comment, latest completion first. */
export async function doneWithoutComments(db: Store, projectId: string, limit: number): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id)
     ORDER BY t.completed_at DESC, t.task_seq DESC LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Done tasks whose comments name no evidence (verified, implemented, fixed, tested, receipts). */
export async function doneWithoutEvidenceWords(
  db: Store,
  projectId: string,
  limit: number,
): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id AND (
         instr(lower(c.body), 'verified') OR instr(lower(c.body), 'implemented') OR
         instr(lower(c.body), 'fixed') OR instr(lower(c.body), 'tested') OR
         instr(lower(c.body), '[worker receipt]') OR instr(lower(c.body), '[judge receipt]')))
     ORDER BY t.completed_at DESC, t.task_seq DESC LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Live tasks, most recently updated first. */
export async function liveTasks(
  db: Store,
  projectId: string,
  limit: number,
): Promise<(TaskBrief & { created_at: number })[]> {
  return await db.all<TaskBrief & { created_at: number }>(
    `SELECT ${BRIEF}, t.created_at FROM tasks t WHERE ${LIVE}
     ORDER BY t.updated_at DESC, t.task_seq DESC LIMIT ?2`,
    projectId,
    limit,
  );
}

/**
 * The latest activity about one task: its own rows, its plans' and comments' rows, and label
 * attach/detach rows naming it (ours end in `TASK-N`, the original's in `task <8-char id>`; only
 * rows written after the task was created count).
 */
export async function latestTaskActivity(
  db: Store,
  projectId: string,
  task: { id: string; seq: number; created_at: number },
): Promise<{ entity: string; summary: string } | undefined> {
  return await db.get<{ entity: string; summary: string }>(
    `SELECT entity, summary FROM activity_log a WHERE a.project_id = ?1 AND (
       (a.entity = 'task' AND a.entity_id = ?2) OR
       (a.entity = 'plan' AND a.entity_id IN (SELECT id FROM plans WHERE task_id = ?2)) OR
       (a.entity = 'comment' AND a.entity_id IN (SELECT id FROM comments WHERE task_id = ?2)) OR
       (a.entity = 'label' AND a.action IN ('attached', 'detached') AND a.created_at >= ?3
        AND (a.summary LIKE '% task ' || substr(?2, 1, 8) OR a.summary LIKE '% TASK-' || ?4)))
     ORDER BY a.created_at DESC, a.rowid DESC LIMIT 1`,
    projectId,
    task.id,
    ns(task.created_at),
    String(task.seq), // node:sqlite binds JS numbers as REAL ("6.0")
  );
}

/** Done tasks that are final audits (title mentions "final audit" or label final-audit), with their close time. */
export async function finalAudits(db: Store, projectId: string) {
  return await db.all<TaskBrief & { closed_at: number }>(
    `SELECT ${BRIEF}, COALESCE(t.completed_at, t.updated_at) AS closed_at FROM tasks t
     WHERE ${LIVE} AND t.status = 'done' AND (
       instr(lower(t.title), 'final audit') > 0 OR t.id IN (
         SELECT tl.task_id FROM task_labels tl JOIN labels l ON l.id = tl.label_id
         WHERE l.project_id = ?1 AND l.name = 'final-audit'))
     ORDER BY t.task_seq`,
    projectId,
  );
}

/** Open tasks other than `exceptId` created at or before `at`. */
export async function openBefore(
  db: Store,
  projectId: string,
  exceptId: string,
  at: number,
): Promise<number> {
  return (await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM tasks t WHERE ${LIVE} AND t.id <> ?2 AND t.status IN ('todo', 'doing')
       AND t.created_at <= ?3`,
    projectId,
    exceptId,
    ns(at),
  ))!.n;
}
