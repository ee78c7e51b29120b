import { ns, type Store } from "../store.ts";

/** SQL for the peer imports (Backlog.md, Task Master, beads, GitHub): the shared writer's few direct writes. */

/** Sets an imported task's dates to the source's (created, updated, completed), leaving others. */
export async function setTaskDates(
  db: Store,
  id: string,
  d: { created_at?: number; updated_at?: number; completed_at?: number },
): Promise<void> {
  await db.run(
    `UPDATE tasks SET created_at = COALESCE(?, created_at), updated_at = COALESCE(?, updated_at),
       completed_at = CASE WHEN completed_at IS NULL THEN NULL ELSE COALESCE(?, completed_at) END WHERE id = ?`,
    ns(d.created_at ?? null),
    ns(d.updated_at ?? null),
    ns(d.completed_at ?? null),
    id,
  );
}

/** Sets an imported comment's date to the source's. */
export async function setCommentDate(db: Store, id: string, at: number): Promise<void> {
  await db.run("UPDATE comments SET created_at = ? WHERE id = ?", ns(at), id);
}

/** The current body of every doc of a project, by title (oldest doc wins a shared title). */
export async function docsByTitle(
  db: Store,
  projectId: string,
): Promise<Map<string, { id: string; body: string }>> {
  const rows = await db.all<{ id: string; title: string; body: string }>(
    `SELECT d.id, v.title, v.body FROM project_docs d
     JOIN project_doc_versions v ON v.doc_id = d.id AND v.version = d.current_version
     WHERE d.project_id = ? ORDER BY d.created_at DESC, d.id DESC`,
    projectId,
  );
  return new Map(rows.map((r) => [r.title, { id: r.id, body: r.body }]));
}

/** Whether the edge "task waits on blocker" exists. */
export async function hasDep(db: Store, taskId: string, blockedBy: string): Promise<boolean> {
  return !!await db.get(
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
export async function importMark(db: Store, taskId: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>("SELECT value FROM schema_meta WHERE key = ?", `import:${taskId}`))
    ?.value;
}

/** Records what a peer import last wrote into a task (see importMark). */
export async function setImportMark(db: Store, taskId: string, value: string): Promise<void> {
  await db.run(
    `INSERT INTO schema_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2`,
    `import:${taskId}`,
    value,
  );
}
