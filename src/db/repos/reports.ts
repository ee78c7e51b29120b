import { ns, type Store } from "../store.ts";
import { activityTie, binary, lowerAscii } from "../sql.ts";

/** Read-only queries behind `activity analyze` and `doctor project`. Tasks are the project's non-archived ones. */

/** The task columns every report example carries. */
export interface TaskBrief {
  id: string;
  seq: number;
  title: string;
  status: string;
  type: string;
  updated_at: number;
  actor_kind: string;
  actor_name: string;
}

const BRIEF = `t.id, t.task_seq AS seq, t.title, t.status, t.type, t.updated_at, t.actor_kind, t.actor_name`;
const LIVE = "t.project_id = ?1 AND t.archived_at IS NULL";

/** Created and completed counts in the window, and current status counts. */
export async function taskCounts(db: Store, projectId: string, since: number) {
  return (await db.get<{ created: number; completed: number; todo: number; doing: number; done: number }>(
    `SELECT COALESCE(SUM(CASE WHEN t.created_at >= ?2 THEN 1 ELSE 0 END), 0) AS created,
            COALESCE(SUM(CASE WHEN t.completed_at IS NOT NULL AND t.completed_at >= ?2 THEN 1 ELSE 0 END), 0)
              AS completed,
            COALESCE(SUM(CASE WHEN t.status = 'todo' THEN 1 ELSE 0 END), 0) AS todo,
            COALESCE(SUM(CASE WHEN t.status = 'doing' THEN 1 ELSE 0 END), 0) AS doing,
            COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0) AS done
     FROM tasks t WHERE ${LIVE}`,
    projectId,
    ns(since),
  ))!;
}

/**
 * Count, average, minimum and maximum of completed_at - created_at per type, for tasks completed in the
 * window. The average is the exact sum over the count, divided here: SQLite's AVG is a double and
 * PostgreSQL's a numeric, which could read back a unit apart.
 */
export async function cycleTimes(db: Store, projectId: string, since: number) {
  const rows = await db.all<{ type: string; count: number; total: number; min: number; max: number }>(
    `SELECT t.type, COUNT(*) AS count, SUM(t.completed_at - t.created_at) AS total,
            MIN(t.completed_at - t.created_at) AS min, MAX(t.completed_at - t.created_at) AS max
     FROM tasks t WHERE ${LIVE} AND t.completed_at IS NOT NULL AND t.completed_at >= ?2
     GROUP BY t.type ORDER BY t.type`,
    projectId,
    ns(since),
  );
  return rows.map(({ total, ...r }) => ({ ...r, avg: total / r.count }));
}

export interface StatusEvent extends TaskBrief {
  task_created_at: number;
  summary: string;
  at: number;
  mover_kind: string;
}

/** Status changes of the project's live tasks in the window, per task in time order. */
export async function statusEvents(db: Store, projectId: string, since: number): Promise<StatusEvent[]> {
  return await db.all<StatusEvent>(
    `SELECT ${BRIEF}, t.created_at AS task_created_at, a.summary, a.created_at AS at, a.actor_kind AS mover_kind
     FROM activity_log a JOIN tasks t ON t.id = a.entity_id
     WHERE ${LIVE} AND a.project_id = ?1 AND a.entity = 'task' AND a.action = 'status_changed'
       AND a.created_at >= ?2
     ORDER BY t.id, a.created_at, ${activityTie(db.dialect, "a")}`,
    projectId,
    ns(since),
  );
}

/** Every status change in the window (tasks deleted since included), oldest first: for close counts. */
export async function statusChanges(db: Store, projectId: string, since: number) {
  return await db.all<{ summary: string; actor_kind: string }>(
    `SELECT summary, actor_kind FROM activity_log
     WHERE project_id = ? AND entity = 'task' AND action = 'status_changed' AND created_at >= ?
     ORDER BY created_at, ${activityTie(db.dialect)}`,
    projectId,
    ns(since),
  );
}

/** Tasks in `doing` grouped by their creator, most first. */
export async function wipByCreator(db: Store, projectId: string) {
  return await db.all<{ actor_kind: string; actor_name: string; count: number }>(
    `SELECT t.actor_kind, t.actor_name, COUNT(*) AS count FROM tasks t
     WHERE ${LIVE} AND t.status = 'doing'
     GROUP BY t.actor_kind, t.actor_name
     ORDER BY count DESC, ${binary(db.dialect, "t.actor_kind")}, ${binary(db.dialect, "t.actor_name")}`,
    projectId,
  );
}

/** Done tasks completed in the window with no comment and no live plan, latest completion first. */
export async function doneWithoutEvidence(
  db: Store,
  projectId: string,
  since: number,
  limit: number,
): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t
     WHERE ${LIVE} AND t.status = 'done' AND t.completed_at IS NOT NULL AND t.completed_at >= ?2
       AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id)
       AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.task_id = t.id AND p.archived_at IS NULL)
     ORDER BY t.completed_at DESC, t.task_seq DESC LIMIT ?3`,
    projectId,
    ns(since),
    limit,
  );
}

/** Bugs created in the window, most recently updated first. */
export async function bugsCreated(
  db: Store,
  projectId: string,
  since: number,
  limit: number,
): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.type = 'bug' AND t.created_at >= ?2
     ORDER BY t.updated_at DESC, t.task_seq DESC LIMIT ?3`,
    projectId,
    ns(since),
    limit,
  );
}

/** Tasks in `doing` not updated since the cutoff; `oldestFirst` for the doctor, newest first for analyze. */
export async function staleDoing(
  db: Store,
  projectId: string,
  opts: { cutoff: number; limit: number; oldestFirst?: boolean },
): Promise<TaskBrief[]> {
  const dir = opts.oldestFirst ? "ASC" : "DESC";
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'doing' AND t.updated_at < ?2
     ORDER BY t.updated_at ${dir}, t.task_seq ${dir} LIMIT ?3`,
    projectId,
    ns(opts.cutoff),
    opts.limit,
  );
}

/** Label names of the project that differ only by case. */
export async function duplicateLabels(db: Store, projectId: string, limit: number) {
  const names = `string_agg(name, ', ' ORDER BY ${binary(db.dialect, "name")})`;
  return await db.all<{ names: string; count: number }>(
    `SELECT ${names} AS names, COUNT(*) AS count
     FROM labels WHERE project_id = ?
     GROUP BY ${lowerAscii(db.dialect, "name")} HAVING COUNT(*) > 1
     ORDER BY count DESC, ${binary(db.dialect, names)} LIMIT ?`,
    projectId,
    limit,
  );
}

/** Live plans of one task whose current titles are equal ignoring case. */
export async function duplicatePlans(db: Store, projectId: string, limit: number) {
  const title = lowerAscii(db.dialect, "v.title");
  return await db.all<{ seq: number; value: string; count: number }>(
    `SELECT t.task_seq AS seq, MIN(${binary(db.dialect, "v.title")}) AS value, COUNT(*) AS count
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version
     JOIN tasks t ON t.id = p.task_id
     WHERE ${LIVE} AND p.archived_at IS NULL
     GROUP BY t.id, ${title} HAVING COUNT(*) > 1 ORDER BY count DESC, seq LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Identical comment bodies on one task (value: the first 80 characters). */
export async function duplicateComments(db: Store, projectId: string, limit: number) {
  return await db.all<{ seq: number; value: string; count: number }>(
    `SELECT t.task_seq AS seq, substr(c.body, 1, 80) AS value, COUNT(*) AS count
     FROM comments c JOIN tasks t ON t.id = c.task_id
     WHERE ${LIVE} GROUP BY t.id, c.body HAVING COUNT(*) > 1 ORDER BY count DESC, seq LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Label activity in the window with the label's current name when it still exists. */
export async function labelEvents(db: Store, projectId: string, since: number) {
  return await db.all<{ name: string | null; summary: string }>(
    `SELECT l.name, a.summary FROM activity_log a LEFT JOIN labels l ON l.id = a.entity_id
     WHERE a.project_id = ? AND a.entity = 'label' AND a.created_at >= ?`,
    projectId,
    ns(since),
  );
}
