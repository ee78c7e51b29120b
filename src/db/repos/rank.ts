import type { Dialect, Store } from "../store.ts";
import { inJson, joinInOrder, jsonEach } from "../sql.ts";

/**
 * The stored queue ranking: `tasks.unblocks` holds, for every open task (not done, not archived),
 * how many open tasks wait on it directly or transitively through open tasks; `tasks.blockers_open`
 * holds, for every task, how many of its direct blockers are open (0 = not blocked). Every write
 * that can change them calls the functions below inside its own transaction, so each reader — this
 * process or another — sees numbers that match the graph it reads.
 */

const OPEN = (a: string) => `${a}.status <> 'done' AND ${a}.archived_at IS NULL`;

/**
 * The open tasks one hop from `src` as `x.id` — `up`: its open blockers; `down`: the open tasks waiting
 * on it — for PostgreSQL's graph walks: a LATERAL subquery kept apart from the join (OFFSET 0), so each
 * hop is an index lookup per row. Left to itself the planner hashes all of task_deps and tasks for a
 * recursive term, and under SERIALIZABLE a sequential scan predicate-locks the whole table, failing
 * every concurrent writer of tasks. (SQLite walks with CROSS JOIN in the written order.)
 */
const hop = (src: string, dir: "up" | "down") => {
  const [from, to] = dir === "up" ? ["task_id", "blocked_by"] : ["blocked_by", "task_id"];
  return `CROSS JOIN LATERAL (SELECT d.${to} AS id FROM task_deps d JOIN tasks o ON o.id = d.${to}
    AND ${OPEN("o")} WHERE d.${from} = ${src} OFFSET 0) x`;
};

/** Open tasks downstream of each root, through open tasks only (the ranking's definition). */
const REACH = (dialect: Dialect, j = joinInOrder(dialect)) =>
  dialect === "postgres"
    ? `reach(root, id) AS (
    SELECT r.id, x.id FROM roots r ${hop("r.id", "down")}
    UNION
    SELECT r.root, x.id FROM reach r ${hop("r.id", "down")}
  )`
    : `reach(root, id) AS (
    SELECT r.id, d.task_id FROM roots r ${j} task_deps d ON d.blocked_by = r.id
      ${j} tasks o ON o.id = d.task_id AND ${OPEN("o")}
    UNION
    SELECT r.root, d.task_id FROM reach r ${j} task_deps d ON d.blocked_by = r.id
      ${j} tasks o ON o.id = d.task_id AND ${OPEN("o")}
  )`;

/** What decides whether a task is open (undefined when it does not exist). */
export async function openState(db: Store, id: string): Promise<OpenState | undefined> {
  return await db.get<OpenState>("SELECT status, archived_at FROM tasks WHERE id = ?", id);
}

export type OpenState = { status: string; archived_at: number | null };

/** Open: not done and not archived (only open tasks wait, block and are counted). */
export const isOpen = (t: OpenState): boolean => t.status !== "done" && t.archived_at === null;

/**
 * The open tasks whose count depends on the given tasks: everything upstream of them through open
 * tasks (their open blockers, those blockers' open blockers, …).
 */
export async function openAncestors(db: Store, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const j = joinInOrder(db.dialect);
  const walk = db.dialect === "postgres"
    ? `SELECT x.id FROM ${jsonEach(db.dialect, "j")} ${hop("j.value", "up")}
       UNION
       SELECT x.id FROM up ${hop("up.id", "up")}`
    : `SELECT d.blocked_by FROM ${jsonEach(db.dialect, "j")} ${j} task_deps d ON d.task_id = j.value
         ${j} tasks b ON b.id = d.blocked_by AND ${OPEN("b")}
       UNION
       SELECT d.blocked_by FROM up ${j} task_deps d ON d.task_id = up.id
         ${j} tasks b ON b.id = d.blocked_by AND ${OPEN("b")}`;
  return (await db.all<{ id: string }>(
    `WITH RECURSIVE up(id) AS (${walk}) SELECT id FROM up`,
    JSON.stringify(ids),
  ))
    .map((r) => r.id);
}

/** Recomputes the stored count of the given open tasks, writing only the ones that changed. */
export async function recount(db: Store, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const j = joinInOrder(db.dialect);
  const changed = await db.all<{ id: string; n: number }>(
    `WITH RECURSIVE roots(id) AS (SELECT t.id FROM ${jsonEach(db.dialect, "j")} ${j} tasks t ON t.id = j.value
         WHERE ${OPEN("t")}),
       ${REACH(db.dialect)},
       counts(root, n) AS (SELECT root, COUNT(*) FROM reach GROUP BY root)
     SELECT t.id, COALESCE(c.n, 0) AS n FROM roots r ${j} tasks t ON t.id = r.id
       LEFT JOIN counts c ON c.root = r.id
     WHERE t.unblocks <> COALESCE(c.n, 0)`,
    JSON.stringify(ids),
  );
  for (const c of changed) await db.run("UPDATE tasks SET unblocks = ? WHERE id = ?", c.n, c.id);
}

/**
 * After `id` opened (`+1`) or closed (`-1`) and its dependents' open-blocker counts were shifted
 * (shiftSql; task_write.ts does both): its open ancestors' counts and its own. `blockersOpen`: its
 * stored open-blocker count as read in this transaction, if known.
 */
export async function recountUpstreamOf(
  db: Store,
  id: string,
  delta: 1 | -1,
  blockersOpen?: number,
): Promise<void> {
  // Closed while no open task blocked it: it has no open ancestors and is no longer open itself, so
  // there is nothing to recount (recountUpstream would find no open task to write).
  if (delta < 0 && blockersOpen === 0) return;
  await recountUpstream(db, id);
}

/**
 * `recount([id, ...openAncestors([id])])` in one statement: the walk up from `id`, the count of every
 * open task on it, and the writes of the counts that changed. On PostgreSQL every step is an index
 * lookup per row (LATERAL, OFFSET 0; the rows to write as `= ANY(ARRAY(…))`): joined to the
 * recursive walk, whose size the planner cannot guess, tasks would be hashed whole.
 */
export async function recountUpstream(db: Store, id: string): Promise<void> {
  const pg = db.dialect === "postgres";
  const j = joinInOrder(db.dialect);
  const walk = pg
    ? `SELECT CAST(? AS TEXT) UNION SELECT x.id FROM up ${hop("up.id", "up")}`
    : `SELECT ? UNION SELECT d.blocked_by FROM up ${j} task_deps d ON d.task_id = up.id
         ${j} tasks b ON b.id = d.blocked_by AND ${OPEN("b")}`;
  const roots = pg
    ? `SELECT x.id, x.unblocks FROM up CROSS JOIN LATERAL (SELECT t.id, t.unblocks FROM tasks t
         WHERE t.id = up.id AND ${OPEN("t")} OFFSET 0) x`
    : `SELECT t.id, t.unblocks FROM up ${j} tasks t ON t.id = up.id WHERE ${OPEN("t")}`;
  const write = pg
    ? `UPDATE tasks SET unblocks = (SELECT c.n FROM changed c WHERE c.id = tasks.id)
       WHERE tasks.id = ANY(ARRAY(SELECT id FROM changed))`
    : "UPDATE tasks SET unblocks = changed.n FROM changed WHERE tasks.id = changed.id";
  await db.run(
    `WITH RECURSIVE up(id) AS (${walk}),
       roots(id, unblocks) AS (${roots}),
       ${REACH(db.dialect)},
       counts(root, n) AS (SELECT root, COUNT(*) FROM reach GROUP BY root),
       changed(id, n) AS (SELECT r.id, COALESCE(c.n, 0) FROM roots r LEFT JOIN counts c ON c.root = r.id
         WHERE r.unblocks <> COALESCE(c.n, 0))
     ${write}`,
    id,
  );
}

/** Adds `delta` to the open-blocker count of every task waiting on `id`. */
export async function shiftDependents(db: Store, id: string, delta: number): Promise<void> {
  await db.run(shiftSql(), delta, id);
}

/** shiftDependents' statement (parameters: delta, id), with an extra condition when given. */
export const shiftSql = (cond?: string): string =>
  `UPDATE tasks SET blockers_open = blockers_open + ?
   WHERE id IN (SELECT task_id FROM task_deps WHERE blocked_by = ?)${cond ? ` AND ${cond}` : ""}`;

/** After the edge "task waits on blocker" was added (`+1`) or removed (`-1`). */
export async function recountEdge(
  db: Store,
  taskId: string,
  blockedBy: string,
  delta: 1 | -1,
): Promise<void> {
  const b = await openState(db, blockedBy);
  if (!b || !isOpen(b)) return;
  await db.run("UPDATE tasks SET blockers_open = blockers_open + ? WHERE id = ?", delta, taskId);
  await recountUpstream(db, blockedBy);
}

/** Open blockers of a task, counted from the graph. */
const BLOCKERS = `(SELECT COUNT(*) FROM task_deps d JOIN tasks b ON b.id = d.blocked_by
  WHERE d.task_id = tasks.id AND ${OPEN("b")})`;

/** Recomputes the open-blocker count of the given tasks (all tasks without ids). */
export async function recountBlockers(db: Store, ids?: string[]): Promise<void> {
  if (ids && !ids.length) return;
  const which = ids ? `${inJson(db.dialect, "id")} AND` : "";
  const params = ids ? [JSON.stringify(ids)] : [];
  await db.run(
    `UPDATE tasks SET blockers_open = ${BLOCKERS} WHERE ${which} blockers_open <> ${BLOCKERS}`,
    ...params,
  );
}

/** Recomputes every stored count (imports, repairs). */
export async function recountAll(db: Store): Promise<void> {
  await recountBlockers(db);
  const ids = (await db.all<{ id: string }>(
    `SELECT t.id FROM tasks t WHERE ${OPEN("t")} AND (t.unblocks <> 0
       OR EXISTS (SELECT 1 FROM task_deps d WHERE d.blocked_by = t.id))`,
  )).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) await recount(db, ids.slice(i, i + 500));
}

/** A stored count that differs from what the graph says. */
export type Stale = { id: string; seq: number; stored: number; actual: number };

/** Tasks whose stored open-blocker count differs from the graph (doctor, tests). */
export async function staleBlockers(db: Store): Promise<Stale[]> {
  return await db.all<Stale>(
    `SELECT id, task_seq AS seq, blockers_open AS stored, ${BLOCKERS} AS actual FROM tasks
     WHERE blockers_open <> ${BLOCKERS} ORDER BY task_seq`,
  );
}

/** Open tasks whose stored count differs from the graph (doctor, tests). */
export async function staleCounts(db: Store): Promise<Stale[]> {
  return await db.all<Stale>(
    `WITH RECURSIVE roots(id) AS (SELECT t.id FROM tasks t WHERE ${OPEN("t")}),
       ${REACH(db.dialect)},
       counts(root, n) AS (SELECT root, COUNT(*) FROM reach GROUP BY root)
     SELECT t.id, t.task_seq AS seq, t.unblocks AS stored, COALESCE(c.n, 0) AS actual FROM roots r
       JOIN tasks t ON t.id = r.id LEFT JOIN counts c ON c.root = r.id
     WHERE t.unblocks <> COALESCE(c.n, 0) ORDER BY t.task_seq`,
  );
}

/** A task_counts row (tasks per project, status and archived) that differs from the tasks table. */
export type StaleTotal = {
  project: string;
  status: string;
  archived: number;
  stored: number;
  actual: number;
};

const ACTUAL_TOTALS = `SELECT project_id, status, CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END AS archived,
  COUNT(*) AS n FROM tasks GROUP BY project_id, status, archived_at IS NULL`;

/** The stored totals per key (PostgreSQL spreads a key over slots: pg/0016_task_counts_slots.sql). */
const STORED_TOTALS = `SELECT project_id, status, archived, SUM(n) AS n FROM task_counts
  GROUP BY project_id, status, archived`;

/** task_counts rows that drifted from the tasks table (a missing row counts as 0; doctor). */
export async function staleTotals(db: Store): Promise<StaleTotal[]> {
  return await db.all<StaleTotal>(
    `WITH actual AS (${ACTUAL_TOTALS}), stored AS (${STORED_TOTALS}),
       k AS (SELECT project_id, status, archived FROM actual
             UNION SELECT project_id, status, archived FROM task_counts)
     SELECT COALESCE((SELECT alias FROM projects p WHERE p.id = k.project_id), k.project_id) AS project,
       k.status, k.archived, COALESCE(c.n, 0) AS stored, COALESCE(a.n, 0) AS actual
     FROM k LEFT JOIN stored c ON c.project_id = k.project_id AND c.status = k.status
         AND c.archived = k.archived
       LEFT JOIN actual a ON a.project_id = k.project_id AND a.status = k.status AND a.archived = k.archived
     WHERE COALESCE(c.n, 0) <> COALESCE(a.n, 0) ORDER BY k.project_id, k.status, k.archived`,
  );
}

/** Rebuilds task_counts from the tasks table (repairs). */
export async function rebuildTotals(db: Store): Promise<void> {
  await db.run("DELETE FROM task_counts");
  await db.run(`INSERT INTO task_counts (project_id, status, archived, n) ${ACTUAL_TOTALS}`);
}
