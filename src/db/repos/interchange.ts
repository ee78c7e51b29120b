import type { Db, Param, Row } from "../connection.ts";
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
export function countExportTasks(db: Db, f: ExportFilter): number {
  const w = exportWhere(f);
  return db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks t ${w.sql}`, ...w.params)!.n;
}

/**
 * Streams the export's task rows (priority, then newest first, then TASK-N) from one statement,
 * so a large workspace is never held in memory.
 */
export function* iterateExportTasks(db: Db, f: ExportFilter): Generator<TaskRow> {
  const w = exportWhere(f);
  const stmt = db.raw.prepare(
    `SELECT t.rowid, t.*, p.alias AS p_alias, p.name AS p_name FROM tasks t JOIN projects p ON p.id = t.project_id
     ${w.sql} ORDER BY t.priority ASC, t.created_at DESC, t.task_seq ASC`,
  );
  for (const r of stmt.iterate(...w.params)) yield numbers(r as Row) as unknown as TaskRow;
}

function numbers(r: Row): Row {
  for (const k in r) if (typeof r[k] === "bigint") r[k] = Number(r[k]);
  return r;
}

/** Opens a read transaction (one snapshot for a multi-statement read); false when already in one. */
export function beginRead(db: Db): boolean {
  if (db.inTx) return false;
  db.exec("BEGIN");
  return true;
}

/** Ends the read transaction beginRead opened. */
export function endRead(db: Db, began: boolean): void {
  if (began) db.exec("COMMIT");
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
export function taskKeys(db: Db, projectId: string): TaskKey[] {
  return db.all<TaskKey>(
    "SELECT id, source, external_ref, title FROM tasks WHERE project_id = ? ORDER BY created_at, id",
    projectId,
  );
}

/** Runs fn inside a SAVEPOINT: on error only fn's writes are undone, then the error is rethrown. */
export function withSavepoint<T>(db: Db, fn: () => T): T {
  db.exec("SAVEPOINT finding");
  try {
    const out = fn();
    db.exec("RELEASE finding");
    return out;
  } catch (err) {
    db.exec("ROLLBACK TO finding");
    db.exec("RELEASE finding");
    throw err;
  }
}
