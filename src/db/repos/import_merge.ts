import type { TaskRow } from "./tasks.ts";
import { ns, type Store } from "../store.ts";
import { greatest } from "../sql.ts";
import { analyze, copyInto, isPg, q, tempTable } from "./import_source.ts";

/**
 * SQL for `backlog import`, the merge: projects, labels and tasks of the attached (or loaded) source
 * mapped onto the destination and copied (see import_source.ts for how the source is reached, and
 * import_content.ts for plans, comments, memory, docs and attachments).
 */
export {
  attachSource,
  createImportMaps,
  detachSource,
  dropImportMaps,
  hasBacklogTables,
  loadSource,
  quickCheck,
} from "./import_source.ts";
export * from "./import_content.ts";

export interface SourceProject {
  id: string;
  alias: string;
  name: string;
  description: string;
  repo_path: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The source's projects (all, or the one alias), ordered by name. */
export async function sourceProjects(db: Store, alias: string): Promise<SourceProject[]> {
  return await db.all<SourceProject>(
    q(db, "SELECT * FROM src.projects WHERE CAST(?1 AS TEXT) = '' OR alias = ?1 ORDER BY name, alias"),
    alias,
  );
}

/** Whether a row with this id exists in a destination table. */
export async function idTaken(db: Store, table: "projects" | "labels", id: string): Promise<boolean> {
  return !!await db.get(q(db, `SELECT 1 AS x FROM main.${table} WHERE id = ?`), id);
}

/** Records that a source project maps to a destination project. */
export async function mapProject(db: Store, srcId: string, dstId: string, created: boolean): Promise<void> {
  await db.run(
    q(db, "INSERT INTO temp.imp_project (src_id, dst_id, created) VALUES (?, ?, ?)"),
    srcId,
    dstId,
    created ? 1 : 0,
  );
}

/** Inserts a project keeping the source's timestamps and archived state. */
export async function insertImportedProject(db: Store, p: SourceProject): Promise<void> {
  await db.run(
    q(
      db,
      `INSERT INTO main.projects (id, alias, name, description, repo_path, archived_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    p.id,
    p.alias,
    p.name,
    p.description,
    p.repo_path,
    ns(p.archived_at),
    ns(p.created_at),
    ns(p.updated_at),
  );
}

/** The mapped projects: destination id and whether the import created it. */
export async function mappedProjects(db: Store): Promise<{ dst_id: string; created: number }[]> {
  return await db.all(q(db, "SELECT dst_id, created FROM temp.imp_project ORDER BY dst_id"));
}

export interface SourceLabel {
  id: string;
  name: string;
  color: string;
  dst_project: string;
  dst_id: string | null;
}

/** The source labels of the mapped projects, with the matching destination label (by name). */
export async function sourceLabels(db: Store): Promise<SourceLabel[]> {
  return await db.all<SourceLabel>(
    q(
      db,
      `SELECT s.id, s.name, s.color, m.dst_id AS dst_project, d.id AS dst_id
     FROM src.labels s JOIN temp.imp_project m ON m.src_id = s.project_id
     LEFT JOIN main.labels d ON d.project_id = m.dst_id AND d.name = s.name
     ORDER BY m.dst_id, s.name`,
    ),
  );
}

/** Inserts a label with a given id. */
export async function insertImportedLabel(
  db: Store,
  id: string,
  projectId: string,
  name: string,
  color: string,
): Promise<void> {
  await db.run(
    q(db, "INSERT INTO main.labels (id, project_id, name, color) VALUES (?, ?, ?, ?)"),
    id,
    projectId,
    name,
    color,
  );
}

/** Records that a source label maps to a destination label. */
export async function mapLabel(db: Store, srcId: string, dstId: string): Promise<void> {
  await db.run(
    q(
      db,
      "INSERT INTO temp.imp_label (src_id, dst_id) VALUES (?, ?) ON CONFLICT (src_id) DO UPDATE SET dst_id = excluded.dst_id",
    ),
    srcId,
    dstId,
  );
}

/**
 * Maps every source task of the mapped projects: the same ID in the destination, else the same
 * (project, source, external_ref) — or the original importer's `imported:<id>` marker — else new.
 * Returns the number of tasks that already existed.
 */
export async function mapTasks(db: Store): Promise<{ existing: number; fresh: number }> {
  await db.exec(
    tempTable(
      db,
      "imp_keys",
      `AS SELECT project_id, source, external_ref, id, created_at FROM ${
        q(db, "main.tasks")
      } WHERE external_ref <> ''`,
    ),
  );
  await db.exec(
    isPg(db)
      ? "CREATE INDEX imp_keys_ref ON pg_temp.imp_keys (project_id, external_ref)"
      : "CREATE INDEX temp.imp_keys_ref ON imp_keys(project_id, external_ref)",
  );
  for (const t of ["imp_keys", "imp_project", "imp_label"]) await analyze(db, t);
  let existing = await db.run(
    q(
      db,
      `INSERT INTO temp.imp_task (src_id, dst_id, created)
     SELECT s.id, d.id, 0 FROM src.tasks s JOIN temp.imp_project m ON m.src_id = s.project_id
     JOIN main.tasks d ON d.id = s.id`,
    ),
  );
  existing += await db.run(
    q(
      db,
      `INSERT INTO temp.imp_task (src_id, dst_id, created)
     SELECT src_id, dst_id, 0 FROM (
       SELECT s.id AS src_id, (
         SELECT k.id FROM temp.imp_keys k
         WHERE k.project_id = m.dst_id
           AND k.external_ref IN (CASE WHEN s.external_ref <> '' THEN s.external_ref END, 'imported:' || s.id)
           AND (k.external_ref = 'imported:' || s.id OR k.source = s.source)
         ORDER BY k.created_at, k.id LIMIT 1) AS dst_id
       FROM src.tasks s JOIN temp.imp_project m ON m.src_id = s.project_id
       WHERE s.id NOT IN (SELECT src_id FROM temp.imp_task)) x
     WHERE dst_id IS NOT NULL`,
    ),
  );
  const fresh = await db.run(
    q(
      db,
      `INSERT INTO temp.imp_task (src_id, dst_id, created)
     SELECT s.id, s.id, 1 FROM src.tasks s JOIN temp.imp_project m ON m.src_id = s.project_id
     WHERE s.id NOT IN (SELECT src_id FROM temp.imp_task)`,
    ),
  );
  await analyze(db, "imp_task");
  return { existing, fresh };
}

/**
 * Inserts the new tasks with their original IDs, actors, timestamps and paths; TASK-N numbers
 * continue the destination's, in the source's order. Claims are not carried over.
 */
export async function copyTasks(db: Store): Promise<number> {
  const base = (await db.get<{ n: number }>(
    q(
      db,
      `SELECT ${
        greatest(
          db.dialect,
          "COALESCE((SELECT MAX(task_seq) FROM main.tasks), 0)",
          "COALESCE((SELECT CAST(value AS BIGINT) FROM main.schema_meta WHERE key = 'task_seq_high'), 0)",
        )
      } AS n`,
    ),
  ))!.n;
  return await copyInto(
    db,
    "tasks",
    {
      project_id: "m.dst_id",
      task_seq: "CAST(?1 AS BIGINT) + ROW_NUMBER() OVER (ORDER BY s.task_seq, s.created_at, s.id)",
      claim_token: "''",
      claimed_by: "''",
      claimed_at: "NULL",
      lease_expires_at: "NULL",
    },
    `FROM src.tasks s JOIN temp.imp_task it ON it.src_id = s.id AND it.created = 1
      JOIN temp.imp_project m ON m.src_id = s.project_id
      ORDER BY s.task_seq, s.created_at, s.id`,
    base,
  );
}

/** New tasks per destination project (for the import's activity rows). */
export async function newTasksPerProject(db: Store): Promise<{ project_id: string; n: number }[]> {
  return await db.all(
    q(
      db,
      `SELECT m.dst_id AS project_id, COUNT(*) AS n FROM temp.imp_task it JOIN src.tasks s ON s.id = it.src_id
     JOIN temp.imp_project m ON m.src_id = s.project_id WHERE it.created = 1 GROUP BY m.dst_id ORDER BY m.dst_id`,
    ),
  );
}

/** Label attachments of imported tasks, through both mappings. Returns the number added. */
export async function copyTaskLabels(db: Store): Promise<number> {
  return await db.run(
    q(
      db,
      `INSERT INTO main.task_labels (task_id, label_id)
     SELECT it.dst_id, il.dst_id FROM src.task_labels s JOIN temp.imp_task it ON it.src_id = s.task_id
     JOIN temp.imp_label il ON il.src_id = s.label_id WHERE true ON CONFLICT DO NOTHING`,
    ),
  );
}

/** Source-side row counts of the selected projects (the dry-run and summary denominators). */
export async function sourceTaskCount(db: Store): Promise<number> {
  return (await db.get<{ n: number }>(
    q(db, "SELECT COUNT(*) AS n FROM src.tasks s JOIN temp.imp_project m ON m.src_id = s.project_id"),
  ))!.n;
}

/** A task row exactly as given (JSON export → temporary source database): the stored columns, no claim. */
export type RawTask = Omit<
  TaskRow,
  "rowid" | "claim_token" | "claimed_by" | "claimed_at" | "lease_expires_at" | "p_alias" | "p_name"
>;

/** Inserts a task with every column given (seq and version included). */
export async function insertRawTask(db: Store, t: RawTask): Promise<void> {
  await db.run(
    q(
      db,
      `INSERT INTO tasks (id, project_id, title, description, type, status, priority, assignee, due_at, actor_kind,
       actor_name, source, external_ref, completed_at, archived_at, created_at, updated_at, task_seq, project_path, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    t.id,
    t.project_id,
    t.title,
    t.description,
    t.type,
    t.status,
    t.priority,
    t.assignee,
    ns(t.due_at),
    t.actor_kind,
    t.actor_name,
    t.source,
    t.external_ref,
    ns(t.completed_at),
    ns(t.archived_at),
    ns(t.created_at),
    ns(t.updated_at),
    t.task_seq,
    t.project_path,
    t.version,
  );
}
