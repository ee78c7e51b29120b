import { type Dialect, ns, type Param, type Store, type TxOptions } from "../store.ts";
import { groupConcat } from "../sql.ts";
import {
  expiredLease,
  NOT_BLOCKED,
  OPEN_BLOCKER,
  TASK_SELECT,
  type TaskFilter,
  type TaskRow,
  taskWhere,
} from "./tasks.ts";

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
function where(d: Dialect, f: QueueFilter, extra: string): { sql: string; params: Param[] } {
  const w = taskWhere(f, { dialect: d });
  let i = 1;
  const sql = w.sql.replace(/\?/g, () => `?${++i}`);
  return { sql: sql ? `${sql} AND ${extra}` : `WHERE ${extra}`, params: w.params };
}

export type RankedRow = TaskRow & { unblocks: number };

/** The queue order; `unblocks` is stored per task and kept current by every write (rank.ts). */
const ORDER = "priority ASC, unblocks DESC, created_at ASC, task_seq ASC";
const T_ORDER = "t.priority ASC, t.unblocks DESC, t.created_at ASC, t.task_seq ASC";

/**
 * Ready tasks in queue order: priority, then how many open tasks each unblocks (transitively),
 * then age (oldest first), then TASK-N. Blocked and archived tasks never appear. Todo tasks are
 * read in order straight from idx_tasks_queue; lease-expired ones are few and merged in.
 */
export async function rankReady(
  db: Store,
  f: QueueFilter,
  now: number,
  limit: number,
  offset = 0,
): Promise<RankedRow[]> {
  const n = Math.max(1, Math.floor(limit)) + Math.max(0, Math.floor(offset));
  const pick = (cond: string, alias: string) => {
    const w = where(db.dialect, f, `${cond} AND ${NOT_BLOCKED}`);
    return {
      sql: `SELECT * FROM (${TASK_SELECT} ${w.sql} ORDER BY ${T_ORDER} LIMIT ${n}) ${alias}`,
      params: w.params,
    };
  };
  const todo = pick("t.status = 'todo'", "todo");
  const expired = pick(EXPIRED, "expired");
  const skip = Math.max(0, Math.floor(offset));
  const union = `${todo.sql} UNION ALL ${expired.sql}`;
  const sorted = () =>
    db.all<RankedRow>(
      `${union} ORDER BY ${ORDER} LIMIT ${n - skip} OFFSET ${skip}`,
      ns(now),
      ...todo.params, // numbered parameters: both halves share ?2…
    );
  if (db.dialect !== "sqlite") return await sorted();
  // SQLite runs the halves one after the other, each in queue order, so they are merged here: sorting
  // the union took a quarter of the query's time (a claim's pick). A near-tie on created_at (the
  // doubles keep nanoseconds only to ~256) is left to SQL.
  const merged = mergeHalves(await db.all<RankedRow>(union, ns(now), ...todo.params));
  return merged ? merged.slice(skip, n) : await sorted();
}

/**
 * The todo half and the lease-expired half (each in queue order) merged in queue order (ORDER), or
 * undefined when two rows of different halves tie but for a created_at their doubles cannot order.
 */
function mergeHalves(rows: RankedRow[]): RankedRow[] | undefined {
  const a = rows.filter((r) => r.status === "todo");
  if (a.length === rows.length || a.length === 0) return rows;
  const b = rows.filter((r) => r.status !== "todo");
  const out: RankedRow[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i], y = b[j];
    if (
      x.priority === y.priority && x.unblocks === y.unblocks &&
      Math.abs(x.created_at - y.created_at) < 4096
    ) return undefined;
    out.push(queueOrder(x, y) < 0 ? (i++, x) : (j++, y));
  }
  return out.concat(a.slice(i), b.slice(j));
}

/**
 * The transaction claim, `next --claim`, renew and release run in. On PostgreSQL: READ COMMITTED,
 * the task row locked before it is judged (lockReadyHead, or getTaskRowById with `lock`), so
 * concurrent claimers on any number of servers each take a different task, or learn who holds it,
 * without a serialization conflict (SERIALIZABLE would fail all but one of them on the task rows and
 * the per-status totals they all write, and a crowd could exhaust the store's reruns). These writes
 * touch only the locked row, its runs and activity, and the totals (each connection adds to its own
 * slot of them: pg/0016_task_counts_slots.sql); todo ⇄ doing never opens or closes a task, so the
 * stored ranking is not touched. SQLite
 * ignores the option (one writer at a time).
 */
export const CLAIM_TX = { isolation: "read committed" } as TxOptions;

/**
 * PostgreSQL, inside CLAIM_TX: the first ready task in queue order that no concurrent transaction
 * holds, locked for this one (`FOR UPDATE SKIP LOCKED`), or null when there is none. A row is
 * re-checked as it is locked, so a task another server claimed, finished or blocked a moment ago is
 * passed over. One statement locks both heads — the lease-expired one (there are few) and the todo
 * one — each in its own CTE (a UNION of locking SELECTs is not allowed); when both exist the
 * lower-ranked one stays locked until this transaction ends. Undefined on SQLite, where rankReady's
 * head is the pick (one writer at a time).
 */
export async function lockReadyHead(
  db: Store,
  f: QueueFilter,
  now: number,
): Promise<RankedRow | null | undefined> {
  if (db.dialect !== "postgres") return undefined;
  const lock = "ORDER BY " + T_ORDER + " LIMIT 1 FOR UPDATE OF t SKIP LOCKED";
  const e = where(db.dialect, f, `${EXPIRED} AND ${NOT_BLOCKED}`);
  const todo = where(db.dialect, f, `t.status = 'todo' AND ${NOT_BLOCKED}`);
  const heads = await db.all<RankedRow>(
    `WITH expired AS (${TASK_SELECT} ${e.sql} ${lock}), todo AS (${TASK_SELECT} ${todo.sql} ${lock})
     SELECT * FROM expired UNION ALL SELECT * FROM todo`,
    ns(now),
    ...e.params, // numbered parameters: both CTEs share ?2…
  );
  if (heads.length < 2) return heads[0] ?? null;
  return queueOrder(heads[0], heads[1]) <= 0 ? heads[0] : heads[1];
}

/** Compares two rows in queue order (ORDER): negative when `a` comes first. */
export const queueOrder = (a: RankedRow, b: RankedRow): number =>
  a.priority - b.priority || b.unblocks - a.unblocks || a.created_at - b.created_at ||
  a.task_seq - b.task_seq;

async function count(db: Store, f: QueueFilter, now: number, extra: string): Promise<number> {
  const w = where(db.dialect, f, extra);
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks t ${w.sql}`, ns(now), ...w.params))!.n;
}

/** How many tasks `next` could hand out now. */
export async function countReady(db: Store, f: QueueFilter, now: number): Promise<number> {
  return await count(db, f, now, `${CLAIMABLE} AND ${NOT_BLOCKED}`);
}

/** How the queue looks for `next --explain`: ready, blocked and held (live claim) counts. */
export async function queueCounts(
  db: Store,
  f: QueueFilter,
  now: number,
): Promise<{ ready: number; blocked: number; held: number }> {
  return {
    ready: await countReady(db, f, now),
    blocked: await count(db, f, now, `${CLAIMABLE} AND ${OPEN_BLOCKER}`),
    held: await count(db, f, now, HELD),
  };
}

/** A few blocked-but-otherwise-claimable tasks with the refs of their open blockers. */
export async function blockedExamples(
  db: Store,
  f: QueueFilter,
  now: number,
  limit: number,
): Promise<{ seq: number; blockers: string }[]> {
  const w = where(db.dialect, f, `${CLAIMABLE} AND ${OPEN_BLOCKER}`);
  const refs = groupConcat(db.dialect, "'TASK-' || b.task_seq", "', '", "b.task_seq");
  return await db.all<{ seq: number; blockers: string }>(
    `SELECT t.task_seq AS seq, (SELECT ${refs} FROM task_deps d
       JOIN tasks b ON b.id = d.blocked_by WHERE d.task_id = t.id AND b.status <> 'done'
       AND b.archived_at IS NULL) AS blockers
     FROM tasks t ${w.sql} ORDER BY t.priority, t.created_at, t.task_seq LIMIT ${
      Math.max(1, Math.floor(limit))
    }`,
    ns(now),
    ...w.params,
  );
}
