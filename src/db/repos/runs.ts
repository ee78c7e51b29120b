import { ns, type Param, type Store } from "../store.ts";
import { limitOrAll } from "../sql.ts";
import type { AlsoWrite } from "./task_write.ts";

/** Outcomes of a run; `open` until an event ends it. */
export type RunOutcome = "open" | "done" | "released" | "expired" | "taken_over";

/** One row of task_runs, with the task's ref, title, type and project alias joined in. */
export interface RunRow {
  id: string;
  task_id: string;
  holder: string;
  started_at: number;
  ended_at: number | null;
  lease_expires_at: number | null;
  renewals: number;
  outcome: RunOutcome;
  ended_by: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  model: string | null;
  /** Null once the task is deleted (task_ref then says which it was). */
  task_seq: number | null;
  task_ref: string;
  title: string;
  type: string;
  p_alias: string;
}

export type RunInsert = Pick<RunRow, "id" | "task_id" | "holder" | "started_at" | "lease_expires_at">;

export type RunPatch = Partial<
  Pick<
    RunRow,
    | "ended_at"
    | "lease_expires_at"
    | "renewals"
    | "outcome"
    | "ended_by"
    | "input_tokens"
    | "output_tokens"
    | "cost_usd"
    | "model"
  >
>;

/** Runs with their task's ref, title, type and project: a deleted task's from the copies on the run. */
const SELECT = `SELECT r.*, t.task_seq, COALESCE(t.title, r.task_title) AS title,
    COALESCE(t.type, r.task_type) AS type, COALESCE(p.alias, r.project_alias) AS p_alias
  FROM task_runs r LEFT JOIN tasks t ON t.id = r.task_id LEFT JOIN projects p ON p.id = t.project_id`;

/** An open run whose lease ran out counts as expired from its lease's end (`?` = now, twice). */
const LAPSED = "(r.outcome = 'open' AND r.lease_expires_at IS NOT NULL AND r.lease_expires_at <= ?)";

/**
 * Starts a run, copying what the report needs of the task (its runs outlive it). With `unlessOpen`
 * nothing is written when the task already has an open run. Returns the number of runs started.
 */
export async function insertRun(
  db: Store,
  r: RunInsert,
  opts: { unlessOpen?: boolean } = {},
): Promise<number> {
  const s = runInsert(db, r, opts);
  return await db.run(s.sql(), ...s.params);
}

/** insertRun's statement, for a task write to carry (task_write.ts AlsoWrite). */
export function runInsert(db: Store, r: RunInsert, opts: { unlessOpen?: boolean } = {}): AlsoWrite {
  // The unary + keeps SQLite on the task's runs (idx_task_runs_task), not on every open run.
  const outcome = db.dialect === "sqlite" ? "+o.outcome" : "o.outcome";
  const unlessOpen = opts.unlessOpen
    ? ` AND NOT EXISTS (SELECT 1 FROM task_runs o WHERE o.task_id = t.id AND ${outcome} = 'open')`
    : "";
  return {
    sql: (cond) =>
      `INSERT INTO task_runs (id, task_id, holder, started_at, lease_expires_at, task_ref, task_title,
         task_type, project_id, project_alias)
       SELECT ?, t.id, ?, ?, ?, 'TASK-' || t.task_seq, t.title, t.type, t.project_id, p.alias
       FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = ?${unlessOpen}${
        cond ? ` AND ${cond}` : ""
      }`,
    params: [r.id, r.holder, ns(r.started_at), ns(r.lease_expires_at), r.task_id],
  };
}

/** Copies the current ref, title, type and project of the tasks `taskIds` (SQL list) onto their runs. */
export async function describeRuns(db: Store, taskIds: string, ...params: Param[]): Promise<void> {
  await db.run(
    `UPDATE task_runs SET
       task_ref = (SELECT 'TASK-' || t.task_seq FROM tasks t WHERE t.id = task_runs.task_id),
       task_title = (SELECT t.title FROM tasks t WHERE t.id = task_runs.task_id),
       task_type = (SELECT t.type FROM tasks t WHERE t.id = task_runs.task_id),
       project_id = (SELECT t.project_id FROM tasks t WHERE t.id = task_runs.task_id),
       project_alias = (SELECT p.alias FROM tasks t JOIN projects p ON p.id = t.project_id
         WHERE t.id = task_runs.task_id)
     WHERE task_id IN (${taskIds})`,
    ...params,
  );
}

/** Changes the given columns of a run. */
export async function updateRun(db: Store, id: string, patch: RunPatch): Promise<void> {
  const keys = Object.keys(patch) as (keyof RunPatch)[];
  if (!keys.length) return;
  const values = keys.map((k) => {
    const v = patch[k];
    return typeof v === "number" && k !== "cost_usd" ? ns(v) : v ?? null;
  });
  await db.run(`UPDATE task_runs SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`, ...values, id);
}

/** The task's open run (at most one), if any. */
export async function openRunOf(db: Store, taskId: string): Promise<RunRow | undefined> {
  return await db.get<RunRow>(
    `${SELECT} WHERE r.task_id = ? AND r.outcome = 'open' ORDER BY r.started_at DESC LIMIT 1`,
    taskId,
  );
}

/**
 * Ends the task's open run (its newest, as openRunOf) without reading it first: `outcome` when `by` holds
 * it, else `expired` (ended when its lease did) when the lease ran out by `now`, else `other`. Usage is
 * left as it is. Returns the number of runs ended (0: the task has no open run).
 */
export async function endOpenRun(
  db: Store,
  taskId: string,
  e: { by: string; outcome: RunOutcome; other: RunOutcome; now: number },
): Promise<number> {
  const mine = "holder = CAST(? AS TEXT)";
  const lapsed = "lease_expires_at IS NOT NULL AND lease_expires_at <= CAST(? AS BIGINT)";
  return await db.run(
    `UPDATE task_runs SET
       outcome = CASE WHEN ${mine} THEN CAST(? AS TEXT) WHEN ${lapsed} THEN 'expired'
         ELSE CAST(? AS TEXT) END,
       ended_at = CASE WHEN NOT ${mine} AND ${lapsed} THEN lease_expires_at ELSE CAST(? AS BIGINT) END,
       ended_by = CAST(? AS TEXT)
     WHERE id = (SELECT id FROM task_runs WHERE task_id = ? AND outcome = 'open'
       ORDER BY started_at DESC LIMIT 1)`,
    e.by,
    e.outcome,
    ns(e.now),
    e.other,
    e.by,
    ns(e.now),
    ns(e.now),
    e.by,
    taskId,
  );
}

/** A page of one task's runs, newest first. */
export async function listTaskRuns(
  db: Store,
  taskId: string,
  limit: number,
  offset: number,
): Promise<RunRow[]> {
  return await db.all<RunRow>(
    `${SELECT} WHERE r.task_id = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?`,
    taskId,
    limitOrAll(limit),
    offset,
  );
}

/** How many runs a task has had. */
export async function countTaskRuns(db: Store, taskId: string): Promise<number> {
  return (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM task_runs WHERE task_id = ?", taskId))!.n;
}

/** What a report needs of one run (few columns: a report reads tens of thousands). */
export type RunFact =
  & Pick<
    RunRow,
    | "holder"
    | "task_id"
    | "started_at"
    | "ended_at"
    | "lease_expires_at"
    | "outcome"
    | "input_tokens"
    | "output_tokens"
    | "cost_usd"
    | "type"
  >
  & { project: string };

/**
 * Runs started in [since, until], optionally of one project, at most `cap` (newest first). A deleted
 * task's runs count with the type and project copied when they started; one left open counts released.
 */
export async function runsStartedIn(
  db: Store,
  w: { since: number; until: number; project_id?: string; cap: number },
): Promise<RunFact[]> {
  const project = w.project_id === undefined ? "" : " AND COALESCE(t.project_id, r.project_id) = ?";
  const params = w.project_id === undefined ? [] : [w.project_id];
  return await db.all<RunFact>(
    `SELECT r.holder, COALESCE(r.task_id, r.project_id || ':' || r.task_ref) AS task_id, r.started_at, r.ended_at, r.lease_expires_at,
       CASE WHEN r.task_id IS NULL AND r.outcome = 'open' THEN 'released' ELSE r.outcome END AS outcome,
       r.input_tokens, r.output_tokens, r.cost_usd, COALESCE(t.type, r.task_type) AS type,
       COALESCE(p.alias, r.project_alias) AS project
     FROM task_runs r LEFT JOIN tasks t ON t.id = r.task_id LEFT JOIN projects p ON p.id = t.project_id
     WHERE r.started_at >= ? AND r.started_at <= ?${project}
     ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    ns(w.since),
    ns(w.until),
    ...params,
    w.cap,
  );
}

/** Open runs whose lease has not run out (or that have none), newest first. */
export async function liveRuns(db: Store, now: number, limit: number): Promise<RunRow[]> {
  return await db.all<RunRow>(
    `${SELECT} WHERE r.outcome = 'open' AND NOT ${LAPSED} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    ns(now),
    limit,
  );
}

/** Runs that ended (or whose lease ran out) in [since, now], most recent end first. */
export async function recentlyEnded(db: Store, since: number, now: number, limit: number): Promise<RunRow[]> {
  return await db.all<RunRow>(
    `${SELECT} WHERE (r.outcome <> 'open' AND r.ended_at >= ?)
       OR (${LAPSED} AND r.lease_expires_at >= ?)
     ORDER BY COALESCE(r.ended_at, r.lease_expires_at) DESC, r.id DESC LIMIT ?`,
    ns(since),
    ns(now),
    ns(since),
    limit,
  );
}

/** Who started a run since `since`, and the done runs that ended since then (holder, start, end). */
export async function agentActivity(
  db: Store,
  since: number,
): Promise<{ holders: string[]; done: { holder: string; started_at: number; ended_at: number }[] }> {
  const holders = (await db.all<{ holder: string }>(
    "SELECT DISTINCT holder FROM task_runs WHERE started_at >= ?",
    ns(since),
  )).map((r) => r.holder);
  const done = await db.all<{ holder: string; started_at: number; ended_at: number }>(
    "SELECT holder, started_at, ended_at FROM task_runs WHERE outcome = 'done' AND ended_at >= ?",
    ns(since),
  );
  return { holders, done };
}

/** The newest activity time of each task (for "last activity" beside a live claim). */
export async function lastActivityOf(db: Store, taskIds: string[]): Promise<Map<string, number>> {
  if (!taskIds.length) return new Map();
  const rows = await db.all<{ id: string; at: number }>(
    `SELECT entity_id AS id, MAX(created_at) AS at FROM activity_log
     WHERE entity = 'task' AND entity_id IN (${taskIds.map(() => "?").join(", ")}) GROUP BY entity_id`,
    ...taskIds,
  );
  return new Map(rows.map((r) => [r.id, r.at]));
}
