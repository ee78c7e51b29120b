import type { TaskRow } from "./tasks.ts";
import { ns, type Param, type SqliteStore } from "../connection.ts";
import type { Store } from "../store.ts";
import { greatest } from "../sql.ts";
import { describeRuns } from "./runs.ts";

/**
 * SQL for `backlog import`: a migrated copy of the other database is attached as `src` and merged
 * into `main` with INSERT…SELECT, through mapping tables (source id → destination id) in `temp`.
 *
 * PostgreSQL has no ATTACH: there the copy's tables are loaded into temp tables `pg_temp.src_<table>`
 * inside the import's transaction (loadSource), and the same statements run with the names rewritten
 * (see `q`): `src.t` → `pg_temp.src_t`, `main.t` → `t`, `temp.t` → `pg_temp.t`. Temp tables made
 * there are dropped at the end of the transaction (ON COMMIT DROP), so a rerun after a serialization
 * failure, or a dry run, starts clean.
 */

const isPg = (db: Store) => db.dialect === "postgres";

/** The statement with its schema names as this engine spells them (see the module comment). */
function q(db: Store, sql: string): string {
  if (!isPg(db)) return sql;
  return sql.replace(/\bsrc\.(\w+)/g, "pg_temp.src_$1").replace(/\bmain\.(\w+)/g, "$1")
    .replace(/\btemp\.(\w+)/g, "pg_temp.$1");
}

/** `CREATE TEMP TABLE name` (PostgreSQL: dropped when the transaction ends). */
const tempTable = (db: Store, name: string, rest: string) =>
  !isPg(db)
    ? `CREATE TEMP TABLE ${name} ${rest}`
    : rest.startsWith("(")
    ? `CREATE TEMP TABLE ${name} ${rest} ON COMMIT DROP`
    : `CREATE TEMP TABLE ${name} ON COMMIT DROP ${rest}`;

/** `PRAGMA quick_check` result: undefined when the file is sound, else the first problem. */
export async function quickCheck(db: Store): Promise<string | undefined> {
  const r = await db.get<{ quick_check: string }>("PRAGMA quick_check");
  return r?.quick_check === "ok" ? undefined : r?.quick_check ?? "no result";
}

/** Whether the database has the tables of a backlog workspace. */
export async function hasBacklogTables(db: Store): Promise<boolean> {
  const n = (await db.get<{ n: number }>(
    isPg(db)
      ? "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('projects', 'tasks')"
      : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('projects', 'tasks')",
  ))!.n;
  return n === 2;
}

/**
 * The source tables the merge reads, parents first. On PostgreSQL loadSource copies them into temp
 * tables.
 */
const SOURCE_TABLES = [
  "projects",
  "labels",
  "tasks",
  "task_labels",
  "plans",
  "plan_versions",
  "comments",
  "task_runs",
  "task_deps",
  "project_memory",
  "project_docs",
  "project_doc_versions",
  "attachments",
] as const;

/** Bind parameters per INSERT and bytes of values per INSERT when loading the source (PostgreSQL). */
const LOAD_PARAMS = 20_000;
const LOAD_BYTES = 8 << 20;

/** A destination table's columns and their PostgreSQL types, in order (empty when there is no such table). */
async function pgColumns(db: Store, table: string): Promise<{ name: string; type: string }[]> {
  return await db.all<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     WHERE a.attrelid = to_regclass(CAST(? AS TEXT)) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    table,
  );
}

/**
 * PostgreSQL: copies the source workspace (the migrated SQLite copy, open read-only) into temp tables
 * `pg_temp.src_<table>` with the columns both sides have, typed as the destination's. Must run inside
 * the import's transaction (the tables go when it ends). Integers are read as bigint, so nanosecond
 * timestamps arrive exactly.
 */
export async function loadSource(db: Store, src: SqliteStore): Promise<void> {
  for (const table of SOURCE_TABLES) {
    const have = new Set(
      src.allSync<{ name: string }>("SELECT name FROM pragma_table_info(?)", table).map((r) => r.name),
    );
    const cols = (await pgColumns(db, table)).filter((c) => have.has(c.name));
    if (!cols.length) continue;
    const names = cols.map((c) => c.name).join(", ");
    await db.exec(
      `CREATE TEMP TABLE src_${table} ON COMMIT DROP AS SELECT ${names} FROM ${table} WITH NO DATA`,
    );
    const kinds = cols.map((c) => KINDS[c.type] ?? "other");
    const perRow = Math.max(1, Math.floor(LOAD_PARAMS / cols.length));
    let rows: Param[][] = [];
    let bytes = 0;
    const flush = async () => {
      if (!rows.length) return;
      const one = `(${cols.map(() => "?").join(", ")})`;
      await db.run(
        `INSERT INTO pg_temp.src_${table} (${names}) VALUES ${rows.map(() => one).join(", ")}`,
        ...rows.flat(),
      );
      rows = [];
      bytes = 0;
    };
    const stmt = src.raw.prepare(`SELECT ${names} FROM ${table}`);
    for (const r of stmt.iterate() as Iterable<Record<string, unknown>>) {
      const row = cols.map((c, i) => loadValue(r[c.name], kinds[i]));
      for (const v of row) bytes += v instanceof Uint8Array || typeof v === "string" ? v.length : 8;
      rows.push(row);
      if (rows.length >= perRow || bytes >= LOAD_BYTES) await flush();
    }
    await flush();
    // Temp tables are never auto-analyzed: without statistics the merge's joins plan as if empty.
    await db.exec(`ANALYZE pg_temp.src_${table}`);
  }
}

/** PostgreSQL: refreshes the planner's statistics of a mapping table just filled (a no-op on SQLite). */
async function analyze(db: Store, table: string): Promise<void> {
  if (isPg(db)) await db.exec(`ANALYZE pg_temp.${table}`);
}

type Kind = "bytes" | "text" | "int" | "other";
const KINDS: Record<string, Kind> = { bytea: "bytes", text: "text", bigint: "int", integer: "int" };

/** A SQLite value as the destination column takes it (a SQLite column may hold any type). */
function loadValue(v: unknown, kind: Kind): Param {
  if (v === null || v === undefined) return null;
  if (kind === "bytes") return v instanceof Uint8Array ? v : new TextEncoder().encode(String(v));
  if (kind === "text") return v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
  if (kind === "int" && typeof v === "number") return Number.isFinite(v) ? BigInt(Math.round(v)) : null;
  return v as Param;
}

/** Attaches the prepared copy of the other database as schema `src` (outside any transaction). */
export async function attachSource(db: Store, path: string): Promise<void> {
  await db.run("ATTACH DATABASE ? AS src", path);
}

/** Detaches `src`; a no-op when it is not attached. */
export async function detachSource(db: Store): Promise<void> {
  try {
    await db.exec("DETACH DATABASE src");
  } catch { /* not attached */ }
}

const TEMP_TABLES = ["imp_project", "imp_task", "imp_label", "imp_plan", "imp_keys"];

/** Creates the mapping tables (source id → destination id) in the connection's temp schema. */
export async function createImportMaps(db: Store): Promise<void> {
  await dropImportMaps(db);
  await db.exec(
    [
      tempTable(
        db,
        "imp_project",
        "(src_id TEXT PRIMARY KEY, dst_id TEXT NOT NULL, created INTEGER NOT NULL)",
      ),
      tempTable(db, "imp_task", "(src_id TEXT PRIMARY KEY, dst_id TEXT NOT NULL, created INTEGER NOT NULL)"),
      tempTable(db, "imp_label", "(src_id TEXT PRIMARY KEY, dst_id TEXT NOT NULL)"),
      tempTable(db, "imp_plan", "(id TEXT PRIMARY KEY)"),
    ].join(";\n"),
  );
}

/**
 * Drops the mapping tables. On PostgreSQL only inside the transaction (they are its own temp tables;
 * outside it there is nothing to drop).
 */
export async function dropImportMaps(db: Store): Promise<void> {
  if (isPg(db) && !db.inTx) return;
  for (const t of TEMP_TABLES) await db.exec(q(db, `DROP TABLE IF EXISTS temp.${t}`));
}

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

/** The columns two copies of a table share (source first-class, destination defaults for the rest). */
async function shared(db: Store, table: string): Promise<string[]> {
  if (isPg(db)) {
    const src = new Set((await pgColumns(db, `pg_temp.src_${table}`)).map((c) => c.name));
    return (await pgColumns(db, table)).map((c) => c.name).filter((c) => src.has(c));
  }
  const cols = async (schema: string) =>
    new Set(
      (await db.all<{ name: string }>("SELECT name FROM pragma_table_info(?1, ?2)", table, schema)).map((r) =>
        r.name
      ),
    );
  const dst = await cols("main");
  const src = await cols("src");
  return [...dst].filter((c) => src.has(c));
}

/** `INSERT INTO main.<table> (cols) SELECT <exprs>` with per-column overrides of `s.<col>`. */
async function copyInto(
  db: Store,
  table: string,
  over: Record<string, string>,
  from: string,
  ...params: Param[]
): Promise<number> {
  const cols = await shared(db, table);
  const exprs = cols.map((c) => over[c] ?? `s.${c}`);
  return await db.run(
    q(db, `INSERT INTO main.${table} (${cols.join(", ")}) SELECT ${exprs.join(", ")} ${from}`),
    ...params,
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

/**
 * Plans (by ID; for a task matched by reference, also by its current title) with every version;
 * versions missing from a plan that already exists are added and its current version moved on.
 */
export async function copyPlans(db: Store): Promise<{ plans: number; versions: number }> {
  await db.run(
    q(
      db,
      `INSERT INTO temp.imp_plan (id)
     SELECT s.id FROM src.plans s JOIN temp.imp_task it ON it.src_id = s.task_id
     WHERE NOT EXISTS (SELECT 1 FROM main.plans d WHERE d.id = s.id)
       AND (it.created = 1 OR NOT EXISTS (
         SELECT 1 FROM main.plans d JOIN main.plan_versions dv ON dv.plan_id = d.id AND dv.version = d.current_version
         WHERE d.task_id = it.dst_id AND dv.title =
           (SELECT sv.title FROM src.plan_versions sv WHERE sv.plan_id = s.id AND sv.version = s.current_version)))`,
    ),
  );
  const plans = await copyInto(
    db,
    "plans",
    { task_id: "it.dst_id" },
    `FROM src.plans s
    JOIN temp.imp_plan ip ON ip.id = s.id JOIN temp.imp_task it ON it.src_id = s.task_id`,
  );
  const versions = await copyInto(
    db,
    "plan_versions",
    {},
    `FROM src.plan_versions s
    JOIN src.plans sp ON sp.id = s.plan_id JOIN temp.imp_task it ON it.src_id = sp.task_id
    WHERE EXISTS (SELECT 1 FROM main.plans d WHERE d.id = s.plan_id)
      AND NOT EXISTS (SELECT 1 FROM main.plan_versions d WHERE d.id = s.id)
      AND NOT EXISTS (SELECT 1 FROM main.plan_versions d WHERE d.plan_id = s.plan_id AND d.version = s.version)`,
  );
  await db.run(
    q(
      db,
      `UPDATE main.plans SET current_version = (SELECT MAX(v.version) FROM main.plan_versions v WHERE v.plan_id = plans.id)
     WHERE id IN (SELECT sp.id FROM src.plans sp JOIN temp.imp_task it ON it.src_id = sp.task_id)
       AND current_version < (SELECT MAX(v.version) FROM main.plan_versions v WHERE v.plan_id = plans.id)`,
    ),
  );
  return { plans, versions };
}

/** Comments by ID (and, on a task matched by reference, by body). */
export async function copyComments(db: Store): Promise<number> {
  return await copyInto(
    db,
    "comments",
    { task_id: "it.dst_id" },
    `FROM src.comments s
    JOIN temp.imp_task it ON it.src_id = s.task_id
    WHERE NOT EXISTS (SELECT 1 FROM main.comments d WHERE d.id = s.id)
      AND (it.created = 1 OR NOT EXISTS (SELECT 1 FROM main.comments d WHERE d.task_id = it.dst_id AND d.body = s.body))`,
  );
}

/**
 * Runs of the imported tasks, by ID. Claims are not carried over, so a run still open in the source
 * arrives expired (ended when its lease did).
 */
export async function copyRuns(db: Store): Promise<number> {
  if (!(await shared(db, "task_runs")).length) return 0;
  const open = "s.outcome = 'open'";
  const n = await copyInto(
    db,
    "task_runs",
    {
      task_id: "it.dst_id",
      outcome: `CASE WHEN ${open} THEN 'expired' ELSE s.outcome END`,
      ended_at: `CASE WHEN ${open} THEN COALESCE(s.lease_expires_at, s.started_at) ELSE s.ended_at END`,
    },
    `FROM src.task_runs s JOIN temp.imp_task it ON it.src_id = s.task_id
    WHERE NOT EXISTS (SELECT 1 FROM main.task_runs d WHERE d.id = s.id)`,
  );
  if (n) await describeRuns(db, q(db, "SELECT dst_id FROM temp.imp_task"));
  return n;
}

/**
 * Dependencies between imported tasks; of source edges that land on one pair, the earliest.
 * Returns the inserted (task_id, blocked_by) pairs.
 */
export async function copyDeps(db: Store): Promise<{ task_id: string; blocked_by: string }[]> {
  if (!(await shared(db, "task_deps")).length) return [];
  const before = new Set(
    (await db.all<{ k: string }>(q(db, "SELECT task_id || ' ' || blocked_by AS k FROM main.task_deps"))).map((
      r,
    ) => r.k),
  );
  await copyInto(
    db,
    "task_deps",
    { task_id: "a.dst_id", blocked_by: "b.dst_id" },
    `FROM src.task_deps s
    JOIN temp.imp_task a ON a.src_id = s.task_id JOIN temp.imp_task b ON b.src_id = s.blocked_by
    WHERE a.dst_id <> b.dst_id
      AND NOT EXISTS (SELECT 1 FROM main.task_deps d WHERE d.task_id = a.dst_id AND d.blocked_by = b.dst_id)
      AND NOT EXISTS (
        SELECT 1 FROM src.task_deps s2
        JOIN temp.imp_task a2 ON a2.src_id = s2.task_id JOIN temp.imp_task b2 ON b2.src_id = s2.blocked_by
        WHERE a2.dst_id = a.dst_id AND b2.dst_id = b.dst_id AND (s2.created_at < s.created_at
          OR (s2.created_at = s.created_at AND (s2.task_id < s.task_id
            OR (s2.task_id = s.task_id AND s2.blocked_by < s.blocked_by)))))`,
  );
  return (await db.all<{ task_id: string; blocked_by: string }>(
    q(db, "SELECT task_id, blocked_by FROM main.task_deps"),
  ))
    .filter((r) => !before.has(`${r.task_id} ${r.blocked_by}`));
}

/** Whether `from` can reach `to` through blocked_by edges. */
export async function depReaches(db: Store, from: string, to: string): Promise<boolean> {
  return !!await db.get(
    q(
      db,
      `WITH RECURSIVE reach(id) AS (SELECT CAST(?1 AS TEXT) UNION SELECT d.blocked_by FROM main.task_deps d JOIN reach r ON d.task_id = r.id)
     SELECT 1 AS x FROM reach WHERE id = ?2 LIMIT 1`,
    ),
    from,
    to,
  );
}

/** Removes one dependency edge. */
export async function deleteDep(db: Store, taskId: string, blockedBy: string): Promise<number> {
  return await db.run(
    q(db, "DELETE FROM main.task_deps WHERE task_id = ? AND blocked_by = ?"),
    taskId,
    blockedBy,
  );
}

/** Memory entries of the mapped projects, by ID. */
export async function copyMemory(db: Store): Promise<number> {
  return await copyInto(
    db,
    "project_memory",
    { project_id: "m.dst_id" },
    `FROM src.project_memory s
    JOIN temp.imp_project m ON m.src_id = s.project_id
    WHERE NOT EXISTS (SELECT 1 FROM main.project_memory d WHERE d.id = s.id)`,
  );
}

/** Docs of the mapped projects by ID, with every version (missing versions added to existing docs). */
export async function copyDocs(db: Store): Promise<{ docs: number; versions: number }> {
  const docs = await copyInto(
    db,
    "project_docs",
    { project_id: "m.dst_id" },
    `FROM src.project_docs s
    JOIN temp.imp_project m ON m.src_id = s.project_id
    WHERE NOT EXISTS (SELECT 1 FROM main.project_docs d WHERE d.id = s.id)`,
  );
  const versions = await copyInto(
    db,
    "project_doc_versions",
    {},
    `FROM src.project_doc_versions s
    JOIN src.project_docs sd ON sd.id = s.doc_id JOIN temp.imp_project m ON m.src_id = sd.project_id
    WHERE EXISTS (SELECT 1 FROM main.project_docs d WHERE d.id = s.doc_id)
      AND NOT EXISTS (SELECT 1 FROM main.project_doc_versions d WHERE d.id = s.id)
      AND NOT EXISTS (SELECT 1 FROM main.project_doc_versions d WHERE d.doc_id = s.doc_id AND d.version = s.version)`,
  );
  await db.run(
    q(
      db,
      `UPDATE main.project_docs SET current_version =
       (SELECT MAX(v.version) FROM main.project_doc_versions v WHERE v.doc_id = project_docs.id)
     WHERE id IN (SELECT sd.id FROM src.project_docs sd JOIN temp.imp_project m ON m.src_id = sd.project_id)
       AND current_version < (SELECT MAX(v.version) FROM main.project_doc_versions v WHERE v.doc_id = project_docs.id)`,
    ),
  );
  return { docs, versions };
}

/**
 * Attachments by ID: those linked to an imported task or to a doc of an imported project, plus
 * unlinked ones when the whole workspace is imported. Orphans of deleted tasks are left behind.
 */
export async function copyAttachments(db: Store, wholeWorkspace: boolean): Promise<number> {
  return await copyInto(
    db,
    "attachments",
    {
      linked_id:
        "CASE WHEN s.linked_type = 'task' THEN (SELECT it.dst_id FROM temp.imp_task it WHERE it.src_id = s.linked_id) ELSE s.linked_id END",
    },
    `FROM src.attachments s
    WHERE NOT EXISTS (SELECT 1 FROM main.attachments d WHERE d.id = s.id)
      AND ((s.linked_type = 'task' AND s.linked_id IN (SELECT src_id FROM temp.imp_task))
        OR (s.linked_type = 'doc' AND s.linked_id IN
          (SELECT sd.id FROM src.project_docs sd JOIN temp.imp_project m ON m.src_id = sd.project_id))
        OR (s.linked_type = '' AND ?1 = 1))`,
    wholeWorkspace ? 1 : 0,
  );
}

/** Name and MIME type of every source attachment now in the destination (to apply the upload rules). */
export async function importedAttachmentNames(
  db: Store,
): Promise<{ id: string; name: string; mime_type: string }[]> {
  return await db.all(
    q(
      db,
      "SELECT d.id, d.name, d.mime_type FROM main.attachments d WHERE d.id IN (SELECT id FROM src.attachments)",
    ),
  );
}

/** Rewrites an attachment's name and MIME type. */
export async function setAttachmentName(db: Store, id: string, name: string, mime: string): Promise<void> {
  await db.run(q(db, "UPDATE main.attachments SET name = ?, mime_type = ? WHERE id = ?"), name, mime, id);
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
