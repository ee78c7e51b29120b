import { type Db, ns } from "../connection.ts";

/** SQL for the peer imports (Backlog.md, Task Master, beads, GitHub): the shared writer's few direct writes. */

/** Sets an imported task's dates to the source's (created, updated, completed), leaving others. */
export function setTaskDates(
  db: Db,
  id: string,
  d: { created_at?: number; updated_at?: number; completed_at?: number },
): void {
  db.run(
    `UPDATE tasks SET created_at = COALESCE(?, created_at), updated_at = COALESCE(?, updated_at),
       completed_at = CASE WHEN completed_at IS NULL THEN NULL ELSE COALESCE(?, completed_at) END WHERE id = ?`,
    ns(d.created_at ?? null),
    ns(d.updated_at ?? null),
    ns(d.completed_at ?? null),
    id,
  );
}

/** Sets an imported comment's date to the source's. */
export function setCommentDate(db: Db, id: string, at: number): void {
  db.run("UPDATE comments SET created_at = ? WHERE id = ?", ns(at), id);
}

/** The current body of every doc of a project, by title (oldest doc wins a shared title). */
export function docsByTitle(db: Db, projectId: string): Map<string, { id: string; body: string }> {
  const rows = db.all<{ id: string; title: string; body: string }>(
    `SELECT d.id, v.title, v.body FROM project_docs d
     JOIN project_doc_versions v ON v.doc_id = d.id AND v.version = d.current_version
     WHERE d.project_id = ? ORDER BY d.created_at DESC, d.id DESC`,
    projectId,
  );
  return new Map(rows.map((r) => [r.title, { id: r.id, body: r.body }]));
}

/** Whether the edge "task waits on blocker" exists. */
export function hasDep(db: Db, taskId: string, blockedBy: string): boolean {
  return !!db.get(
    "SELECT 1 AS x FROM task_deps WHERE task_id = ? AND blocked_by = ?",
    taskId,
    blockedBy,
  );
}

/**
 * What a peer import last wrote into a task, as field fingerprints (JSON), or undefined. Kept in
 * schema_meta under `import:<task id>`: a key-value table the original tool ignores, so no
 * migration is needed and the schema stays the original's.
 */
export function importMark(db: Db, taskId: string): string | undefined {
  return db.get<{ value: string }>("SELECT value FROM schema_meta WHERE key = ?", `import:${taskId}`)?.value;
}

/** Records what a peer import last wrote into a task (see importMark). */
export function setImportMark(db: Db, taskId: string, value: string): void {
  db.run(
    `INSERT INTO schema_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2`,
    `import:${taskId}`,
    value,
  );
}
