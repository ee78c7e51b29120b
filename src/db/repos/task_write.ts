import { ns, type Param } from "../connection.ts";
import type { Store } from "../store.ts";
import { isOpen, openState, recountAround } from "./rank.ts";
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
 * `labels_json` for toTask; undefined when no row changed.
 */
export async function updateTaskWithLabels(
  db: Store,
  id: string,
  patch: TaskPatch,
  now: number,
  opts: UpdateOptions = {},
): Promise<Pick<TaskRow, "labels_json"> | undefined> {
  return (await writeTask(db, id, patch, now, opts, true))[0];
}

async function writeTask(
  db: Store,
  id: string,
  patch: TaskPatch,
  now: number,
  opts: UpdateOptions,
  labels: boolean,
): Promise<Pick<TaskRow, "labels_json">[]> {
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
  // Opening or closing a task changes the stored ranking upstream of it (see rank.ts).
  const touches = patch.status !== undefined || patch.archived_at !== undefined;
  const before: typeof opts.before = touches ? opts.before ?? await openState(db, id) : undefined;
  const sql = `UPDATE tasks SET ${sets.join(", ")} WHERE ${where}`;
  const rows = labels
    ? await db.all<Pick<TaskRow, "labels_json">>(
      `${sql} RETURNING ${labelsJson(db.dialect, "tasks.id")} AS labels_json`,
      ...params,
    )
    : Array.from({ length: await db.run(sql, ...params) }, () => ({}));
  if (rows.length && before) {
    const after = {
      status: patch.status ?? before.status,
      archived_at: patch.archived_at !== undefined ? patch.archived_at : before.archived_at,
    };
    if (isOpen(after) !== isOpen(before)) {
      await recountAround(db, id, isOpen(after) ? 1 : -1, before.blockers_open);
    }
  }
  return rows;
}
