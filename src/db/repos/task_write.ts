import { ns, type Param, type Store } from "../store.ts";
import { isOpen, openState, recountUpstreamOf, shiftDependents, shiftSql } from "./rank.ts";
import { labelsJson } from "./task_labels.ts";
import type { TaskRow } from "./tasks.ts";

/** Writing a task row: the compare-and-set every write goes through, and the ranking it keeps. */

export type TaskPatch = Partial<{
  title: string;
  description: string;
  type: string;
  status: string;
  priority: number;
  assignee: string;
  due_at: number | null;
  source: string;
  external_ref: string;
  project_path: string;
  completed_at: number | null;
  archived_at: number | null;
  claim_token: string;
  claimed_by: string;
  claimed_at: number | null;
  lease_expires_at: number | null;
}>;

const NS_COLS = new Set(["due_at", "completed_at", "archived_at", "claimed_at", "lease_expires_at"]);

export interface UpdateOptions {
  expectVersion?: number;
  expectToken?: string;
  /** The row as read in this transaction (spares a read; its blocker count may spare the recount). */
  before?: Pick<TaskRow, "status" | "archived_at" | "blockers_open">;
  /**
   * Other writes that go with this one, made when (and only when) the row changed, in this order;
   * on PostgreSQL in the write's own statement. See Written.also.
   */
  also?: AlsoWrite[];
}

/**
 * Another write that goes with a task write and only with it (UpdateOptions.also): `sql(cond)` is the
 * statement, with the SQL condition `cond` (undefined: none) added to its WHERE.
 */
export interface AlsoWrite {
  sql: (cond?: string) => string;
  params: Param[];
}

/**
 * Writes only the given fields, bumps version and updated_at. With `expectVersion` the write is a
 * compare-and-set: 0 rows change when the stored version differs. Returns the number of rows changed.
 */
export async function updateTask(
  db: Store,
  id: string,
  patch: TaskPatch,
  now: number,
  opts: UpdateOptions = {},
): Promise<number> {
  return (await writeTask(db, id, patch, now, opts, false)).length;
}

/**
 * updateTask that also returns the task's labels, read by the same statement (RETURNING), as
 * `labels_json` for toTask; undefined when the row did not change.
 */
export async function updateTaskWithLabels(
  db: Store,
  id: string,
  patch: TaskPatch,
  now: number,
  opts: UpdateOptions = {},
): Promise<Written | undefined> {
  return (await writeTask(db, id, patch, now, opts, true))[0];
}

/** What a write returns: the labels when asked, and how many rows each of `also` wrote. */
export type Written = Pick<TaskRow, "labels_json"> & { also: number[] };

/**
 * The write itself. Opening or closing the task also shifts its dependents' open-blocker counts and
 * recounts upstream (rank.ts); on PostgreSQL the shift and `also` ride in the write's statement
 * (data-modifying CTEs, guarded by the write's own RETURNING), sparing a round trip each; on SQLite
 * they follow it.
 */
async function writeTask(
  db: Store,
  id: string,
  patch: TaskPatch,
  now: number,
  opts: UpdateOptions,
  labels: boolean,
): Promise<Written[]> {
  const also = opts.also ?? [];
  const sets: string[] = [];
  const params: Param[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    sets.push(`${k} = ?`);
    params.push(NS_COLS.has(k) ? ns(v as number | null) : v as Param);
  }
  sets.push("updated_at = ?", "version = version + 1");
  params.push(ns(now));
  let where = "id = ?";
  params.push(id);
  if (opts.expectVersion !== undefined) (where += " AND version = ?", params.push(opts.expectVersion));
  if (opts.expectToken !== undefined) (where += " AND claim_token = ?", params.push(opts.expectToken));
  // Opening or closing a task changes the stored ranking around it (see rank.ts).
  const touches = patch.status !== undefined || patch.archived_at !== undefined;
  const before: typeof opts.before = touches ? opts.before ?? await openState(db, id) : undefined;
  const delta = before ? openDelta(before, patch) : 0;
  const update = `UPDATE tasks SET ${sets.join(", ")} WHERE ${where}`;
  const labelsCol = labels ? `${labelsJson(db.dialect, "tasks.id")} AS labels_json` : "";
  let rows: Written[];
  if (db.dialect === "postgres" && (delta || also.length)) {
    const ctes = [`w AS (${update} RETURNING id${labels ? `, ${labelsCol}` : ""})`];
    const more: Param[] = [];
    // The dependents are other rows (a task never waits on itself: CHECK(task_id <> blocked_by)).
    if (delta) (ctes.push(`shifted AS (${shiftSql("EXISTS (SELECT 1 FROM w)")})`), more.push(delta, id));
    also.forEach((a, i) => {
      ctes.push(`also${i} AS (${a.sql("EXISTS (SELECT 1 FROM w)")} RETURNING 1)`);
      more.push(...a.params);
    });
    const counts = also.map((_, i) => `(SELECT COUNT(*) FROM also${i}) AS also${i}`);
    const rs = await db.all<Record<string, unknown>>(
      `WITH ${ctes.join(", ")} SELECT ${
        ["w.id", ...(labels ? ["w.labels_json"] : []), ...counts].join(", ")
      } FROM w`,
      ...params,
      ...more,
    );
    rows = rs.map((r) => ({
      labels_json: r.labels_json as string | null | undefined,
      also: also.map((_, i) => Number(r[`also${i}`])),
    }));
  } else {
    rows = (labels
      ? await db.all<Written>(`${update} RETURNING ${labelsCol}`, ...params)
      : Array.from({ length: await db.run(update, ...params) }, () => ({} as Written)))
      .map((r) => ({ ...r, also: [] }));
    if (rows.length && delta) {
      await shiftDependents(db, id, delta);
    }
    for (const a of rows.length ? also : []) {
      rows[0].also.push(await db.run(a.sql(), ...a.params));
    }
  }
  if (rows.length && delta) await recountUpstreamOf(db, id, delta, before?.blockers_open);
  return rows;
}

/**
 * The row as a write of `patch` at `now` leaves it: version bumped, updated_at set. Exact when the row
 * was read in the writing transaction and the write changed it (nothing else can have in between).
 */
export function rowAfter(row: TaskRow, patch: TaskPatch, now: number): TaskRow {
  // Copied key by key, not spread: a row from node:sqlite is a dictionary object, and spreading one
  // (~5 µs for a task row) cost a claim more than the copy and everything read from it after.
  const out: Record<string, unknown> = {};
  const keys = Object.keys(row) as (keyof TaskRow)[];
  for (let i = 0; i < keys.length; i++) out[keys[i]] = row[keys[i]];
  return Object.assign(out, patch, { version: row.version + 1, updated_at: now }) as unknown as TaskRow;
}

/** +1 when the patch opens the task, -1 when it closes it, else 0. */
function openDelta(before: Pick<TaskRow, "status" | "archived_at">, patch: TaskPatch): 0 | 1 | -1 {
  const after = {
    status: patch.status ?? before.status,
    archived_at: patch.archived_at !== undefined ? patch.archived_at : before.archived_at,
  };
  return isOpen(after) === isOpen(before) ? 0 : isOpen(after) ? 1 : -1;
}
