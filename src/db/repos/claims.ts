import { type Db, ns, type Param } from "../connection.ts";
import { expiredLease, OPEN_BLOCKER, type TaskFilter, type TaskRow, taskWhere } from "./tasks.ts";

/** Which tasks `next` may consider: project, types and labels (any of them). */
export type QueueFilter = Pick<TaskFilter, "project_id" | "type" | "labels">;

/** Doing, with a lease that ran out. Uses `?1` (now). */
const EXPIRED = expiredLease("?1");

/** A claimable task: todo, or doing with a lease that ran out. */
const CLAIMABLE = `(t.status = 'todo' OR ${EXPIRED})`;

/** A live claim: doing with a lease that has not run out (or no lease at all). */
const HELD = `(t.status = 'doing' AND NOT (t.claim_token <> '' AND t.lease_expires_at IS NOT NULL
  AND t.lease_expires_at <= ?1))`;

/** The filter's WHERE with `?1` reserved for now (numbered parameters keep the two apart). */
function where(f: QueueFilter, extra: string): { sql: string; params: Param[] } {
  const w = taskWhere(f);
  let i = 1;
  const sql = w.sql.replace(/\?/g, () => `?${++i}`);
  return { sql: sql ? `${sql} AND ${extra}` : `WHERE ${extra}`, params: w.params };
}

export type RankedRow = TaskRow & { unblocks: number };

/**
 * Ready tasks in queue order: priority, then how many open tasks each unblocks (transitively),
 * then age (oldest first), then TASK-N. Blocked and archived tasks never appear.
 */
export function rankReady(db: Db, f: QueueFilter, now: number, limit: number): RankedRow[] {
  // For the single best task only the top priority level matters: find it by walking the
  // (status, priority) index and stopping at the first ready row, then rank just that level.
  const first = (cond: string) =>
    `SELECT * FROM (SELECT t.priority AS p FROM tasks t ${
      where(f, `${cond} AND NOT ${OPEN_BLOCKER}`).sql
    } ORDER BY t.priority LIMIT 1)`;
  const top = limit === 1
    ? ` AND t.priority = (SELECT MIN(p) FROM (${first("t.status = 'todo'")} UNION ALL ${first(EXPIRED)}))`
    : "";
  const w = where(f, `${CLAIMABLE} AND NOT ${OPEN_BLOCKER}${top}`);
  const open = "o.status <> 'done' AND o.archived_at IS NULL";
  return db.all<RankedRow>(
    `WITH RECURSIVE cand AS MATERIALIZED (SELECT t.id FROM tasks t ${w.sql}),
     reach(root, id) AS (
       SELECT c.id, d.task_id FROM cand c JOIN task_deps d ON d.blocked_by = c.id
         JOIN tasks o ON o.id = d.task_id AND ${open}
       UNION
       SELECT r.root, d.task_id FROM reach r JOIN task_deps d ON d.blocked_by = r.id
         JOIN tasks o ON o.id = d.task_id AND ${open}
     ),
     counts AS (SELECT root, COUNT(*) AS n FROM reach GROUP BY root)
     SELECT t.rowid, t.*, p.alias AS p_alias, p.name AS p_name, COALESCE(u.n, 0) AS unblocks
     FROM cand c JOIN tasks t ON t.id = c.id JOIN projects p ON p.id = t.project_id
     LEFT JOIN counts u ON u.root = t.id
     ORDER BY t.priority ASC, unblocks DESC, t.created_at ASC, t.task_seq ASC
     LIMIT ${Math.max(1, Math.floor(limit))}`,
    ns(now),
    ...w.params,
  );
}

/** How the queue looks for `next --explain`: ready, blocked and held (live claim) counts. */
export function queueCounts(
  db: Db,
  f: QueueFilter,
  now: number,
): { ready: number; blocked: number; held: number } {
  const count = (extra: string) => {
    const w = where(f, extra);
    return db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks t ${w.sql}`, ns(now), ...w.params)!.n;
  };
  return {
    ready: count(`${CLAIMABLE} AND NOT ${OPEN_BLOCKER}`),
    blocked: count(`${CLAIMABLE} AND ${OPEN_BLOCKER}`),
    held: count(HELD),
  };
}

/** A few blocked-but-otherwise-claimable tasks with the refs of their open blockers. */
export function blockedExamples(
  db: Db,
  f: QueueFilter,
  now: number,
  limit: number,
): { seq: number; blockers: string }[] {
  const w = where(f, `${CLAIMABLE} AND ${OPEN_BLOCKER}`);
  return db.all<{ seq: number; blockers: string }>(
    `SELECT t.task_seq AS seq, (SELECT group_concat('TASK-' || b.task_seq, ', ') FROM task_deps d
       JOIN tasks b ON b.id = d.blocked_by WHERE d.task_id = t.id AND b.status <> 'done'
       AND b.archived_at IS NULL) AS blockers
     FROM tasks t ${w.sql} ORDER BY t.priority, t.created_at LIMIT ${Math.max(1, Math.floor(limit))}`,
    ns(now),
    ...w.params,
  );
}
