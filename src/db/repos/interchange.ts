import type { Param, Store } from "../store.ts";
import type { TaskRow } from "./tasks.ts";

/** SQL for export and findings import. */

// ---------------------------------------------------------------------------------------------
// Export

export interface ExportFilter {
  project_id?: string;
  include_archived?: boolean;
}

function exportWhere(f: ExportFilter): { sql: string; params: Param[] } {
  const c: string[] = [];
  const p: Param[] = [];
  if (f.project_id) (c.push("t.project_id = ?"), p.push(f.project_id));
  if (!f.include_archived) c.push("t.archived_at IS NULL");
  return { sql: c.length ? `WHERE ${c.join(" AND ")}` : "", params: p };
}

/** Number of tasks an export will write. */
export async function countExportTasks(db: Store, f: ExportFilter): Promise<number> {
  const w = exportWhere(f);
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks t ${w.sql}`, ...w.params))!.n;
}

/** A task row with its exact creation time as text, the export's keyset cursor. */
export type ExportRow = TaskRow & { k_created: string };

/**
 * The next batch of the export's task rows after `after` (priority, then newest first, then TASK-N,
 * then id), read by keyset so each batch is one short query.
 */
export async function exportBatch(
  db: Store,
  f: ExportFilter,
  after: ExportRow | undefined,
  limit: number,
): Promise<ExportRow[]> {
  const w = exportWhere(f);
  const c = w.sql ? [w.sql.slice("WHERE ".length)] : [];
  const p = [...w.params];
  if (after) {
    c.push(
      `(t.priority > ? OR (t.priority = ? AND (t.created_at < ? OR (t.created_at = ? AND
        (t.task_seq > ? OR (t.task_seq = ? AND t.id > ?))))))`,
    );
    const at = BigInt(after.k_created); // exact: created_at as a number has lost its last digits
    p.push(after.priority, after.priority, at, at, after.task_seq, after.task_seq, after.id);
  }
  return await db.all<ExportRow>(
    `SELECT t.*, CAST(t.created_at AS TEXT) AS k_created, p.alias AS p_alias, p.name AS p_name FROM tasks t JOIN projects p ON p.id = t.project_id
     ${c.length ? `WHERE ${c.join(" AND ")}` : ""}
     ORDER BY t.priority ASC, t.created_at DESC, t.task_seq ASC, t.id ASC LIMIT ?`,
    ...p,
    limit,
  );
}

// ---------------------------------------------------------------------------------------------
// Findings

export interface TaskKey {
  id: string;
  source: string;
  external_ref: string;
  title: string;
}

/** The dedupe keys of every task of a project (archived ones too), oldest first. */
export async function taskKeys(db: Store, projectId: string): Promise<TaskKey[]> {
  return await db.all<TaskKey>(
    "SELECT id, source, external_ref, title FROM tasks WHERE project_id = ? ORDER BY created_at, id",
    projectId,
  );
}

/** Runs fn in a savepoint: on error only fn's writes are undone, then the error is rethrown. */
export async function withSavepoint<T>(db: Store, fn: () => Promise<T>): Promise<T> {
  return await db.tx(fn, { savepoint: true });
}

/**
 * After a bulk import: PostgreSQL's planner statistics describe the tables as they now are, so the
 * next queries plan for them at once rather than after autovacuum's next pass (a `token*` search over
 * 10,000 freshly loaded tasks ran 35–40 ms before, 3–9 ms after). SQLite plans without them.
 */
export async function refreshStatistics(db: Store): Promise<void> {
  if (db.dialect === "postgres") await db.exec("ANALYZE");
}
