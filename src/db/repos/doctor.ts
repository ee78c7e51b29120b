import { ns, type Param, type SqliteStore } from "../connection.ts";
import type { Store } from "../store.ts";
import type { TaskBrief } from "./reports.ts";

/**
 * Database health (integrity, foreign keys, backup) and the `doctor project` checks. SQLite has
 * PRAGMA integrity_check / foreign_key_check and VACUUM INTO; PostgreSQL gets catalog and data
 * queries with the same report shape (pgIntegrityCheck, pgForeignKeyCheck) and a backup that copies
 * every table into a new SQLite workspace file (copyIntoSqlite).
 */

/** Whether `needle` occurs in `hay` (SQLite instr, PostgreSQL strpos). */
const contains = (db: Store, hay: string, needle: string) =>
  `${db.dialect === "postgres" ? "strpos" : "instr"}(${hay}, ${needle}) > 0`;

const BRIEF = `t.id, t.task_seq AS seq, t.title, t.status, t.type, t.updated_at, t.actor_kind, t.actor_name`;
const LIVE = "t.project_id = ?1 AND t.archived_at IS NULL";

/**
 * `PRAGMA integrity_check(n)`: ["ok"] on a sound file, otherwise up to n problem lines (PostgreSQL:
 * pgIntegrityCheck).
 */
export async function integrityCheck(db: Store, max = 100): Promise<string[]> {
  if (db.dialect === "postgres") return await pgIntegrityCheck(db, max);
  return (await db.all<Record<string, string>>(`PRAGMA integrity_check(${Math.max(1, Math.floor(max))})`))
    // One row may hold several problems on separate lines under a "*** in database main ***" header.
    .flatMap((r) => String(Object.values(r)[0]).split("\n"))
    .filter((l) => l.trim() && !/^\*\*\* in database \S+ \*\*\*$/.test(l));
}

/** `PRAGMA foreign_key_check`: rows whose parent is missing. */
export async function foreignKeyCheck(db: Store) {
  if (db.dialect === "postgres") return await pgForeignKeyCheck(db);
  return await db.all<{ table: string; rowid: number | null; parent: string; fkid: number }>(
    "PRAGMA foreign_key_check",
  );
}

/** The tables of the store's schema (PostgreSQL: the current schema), by name. */
async function pgTables(db: Store): Promise<Set<string>> {
  return new Set(
    (await db.all<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    )).map((r) => r.name),
  );
}

/**
 * PostgreSQL's integrity_check: what the server's own checks cannot catch once something went around
 * them. Invalid indexes (a failed CREATE INDEX CONCURRENTLY), constraints added NOT VALID, disabled
 * triggers (the search index and list totals are kept by triggers), tasks missing from the search
 * index, and — when the amcheck extension is installed — the structure of every B-tree index.
 * ["ok"] when all pass, else up to `max` problem lines.
 */
export async function pgIntegrityCheck(db: Store, max = 100): Promise<string[]> {
  const out: string[] = [];
  for (
    const r of await db.all<{ name: string; tbl: string }>(
      `SELECT ic.relname AS name, tc.relname AS tbl FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
       WHERE tc.relnamespace = to_regnamespace(current_schema()) AND NOT (i.indisvalid AND i.indisready)
       ORDER BY ic.relname`,
    )
  ) out.push(`index ${r.name} on ${r.tbl} is invalid (rebuild it with REINDEX INDEX ${r.name})`);
  for (
    const r of await db.all<{ name: string; tbl: string }>(
      `SELECT c.conname AS name, t.relname AS tbl FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
       WHERE t.relnamespace = to_regnamespace(current_schema()) AND NOT c.convalidated ORDER BY t.relname, c.conname`,
    )
  ) out.push(`constraint ${r.name} on ${r.tbl} is not validated`);
  for (
    const r of await db.all<{ name: string; tbl: string }>(
      `SELECT g.tgname AS name, t.relname AS tbl FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
       WHERE t.relnamespace = to_regnamespace(current_schema()) AND g.tgenabled = 'D'
       ORDER BY t.relname, g.tgname`,
    )
  ) out.push(`trigger ${r.name} on ${r.tbl} is disabled`);
  const tables = await pgTables(db);
  if (tables.has("tasks") && tables.has("tasks_fts")) {
    const n = (await db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM tasks_fts f WHERE f.task_id = t.id)",
    ))!.n;
    if (n) out.push(`${n} task(s) missing from the search index tasks_fts`);
  }
  if (await db.get("SELECT 1 AS x FROM pg_extension WHERE extname = 'amcheck'")) {
    for (
      const r of await db.all<{ name: string }>(
        `SELECT ic.relname AS name FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_am a ON a.oid = ic.relam
         WHERE ic.relnamespace = to_regnamespace(current_schema()) AND a.amname = 'btree' AND i.indisvalid
         ORDER BY ic.relname`,
      )
    ) {
      try {
        await db.get("SELECT bt_index_check(to_regclass(CAST(? AS TEXT))) AS x", r.name);
      } catch (err) {
        out.push(`index ${r.name}: ${String((err as Error).message).split("\n")[0]}`);
      }
    }
  }
  return out.length ? out.slice(0, Math.max(1, Math.floor(max))) : ["ok"];
}

/** Rows per foreign key that pgForeignKeyCheck reports at most. */
const FK_ROWS = 100;

/**
 * PostgreSQL's foreign_key_check: rows whose parent is missing (possible only if something went
 * around the constraints: triggers disabled, session_replication_role = replica). PostgreSQL rows
 * have no rowid, so it is null.
 */
async function pgForeignKeyCheck(db: Store) {
  const fks = await db.all<{ child: string; parent: string; cols: string; pcols: string }>(
    `SELECT cl.relname AS child, pl.relname AS parent,
       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS pcols
     FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class pl ON pl.oid = c.confrelid
     WHERE c.contype = 'f' AND cl.relnamespace = to_regnamespace(current_schema())
     ORDER BY cl.relname, c.conname`,
  );
  const out: { table: string; rowid: number | null; parent: string; fkid: number }[] = [];
  for (const [fkid, fk] of fks.entries()) {
    const cols = fk.cols.split(",");
    const pcols = fk.pcols.split(",");
    const n = (await db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM "${fk.child}" c
       WHERE ${cols.map((col) => `c."${col}" IS NOT NULL`).join(" AND ")}
         AND NOT EXISTS (SELECT 1 FROM "${fk.parent}" p
           WHERE ${cols.map((col, i) => `p."${pcols[i]}" = c."${col}"`).join(" AND ")})
       LIMIT ${FK_ROWS}) x`,
    ))!.n;
    for (let i = 0; i < n; i++) out.push({ table: fk.child, rowid: null, parent: fk.parent, fkid });
  }
  return out;
}

/** `VACUUM INTO`: a consistent copy of the database at one moment, safe while others write. */
export async function vacuumInto(db: Store, path: string): Promise<void> {
  await db.run("VACUUM INTO ?", path);
}

/**
 * Tables a backup into SQLite leaves to the new file's triggers: the search index and the list
 * totals are rebuilt as the tasks arrive.
 */
const DERIVED = new Set(["task_counts", "tasks_fts"]);
/** Rows per FETCH when copying a table out of PostgreSQL. */
const COPY_BATCH = 500;

/**
 * Copies every table both stores have (the columns both have) from a PostgreSQL store into `out`, a
 * freshly migrated SQLite workspace, inside the caller's transaction on each (a read-only snapshot on
 * `db`, a write transaction on `out`). schema_meta keeps out's schema_version. 64-bit integers are read
 * as text so nanosecond timestamps arrive exactly; rows go in creation order where there is one, so
 * SQLite's rowid order (activity ties) follows it. Returns the number of rows copied.
 */
export async function copyIntoSqlite(db: Store, out: SqliteStore): Promise<number> {
  const pg = await pgTables(db);
  const tables = out.allSync<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  ).map((r) => r.name).filter((t) => pg.has(t) && !DERIVED.has(t) && !t.startsWith("tasks_fts"));
  out.raw.exec("PRAGMA defer_foreign_keys = ON");
  let copied = 0;
  for (const table of tables) {
    const have = new Set(
      out.allSync<{ name: string }>("SELECT name FROM pragma_table_info(?)", table).map((r) => r.name),
    );
    const cols = (await db.all<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       WHERE a.attrelid = to_regclass(CAST(? AS TEXT)) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      table,
    )).filter((c) => have.has(c.name));
    if (!cols.length) continue;
    const ints = cols.map((c) => c.type === "bigint" || c.type === "integer" || c.type === "smallint");
    const select = cols.map((c, i) => ints[i] ? `CAST("${c.name}" AS TEXT) AS "${c.name}"` : `"${c.name}"`);
    const order = cols.some((c) => c.name === "created_at")
      ? `created_at, "${cols[0].name}"`
      : `"${cols[0].name}"`;
    const names = cols.map((c) => `"${c.name}"`).join(", ");
    const insert = out.raw.prepare(
      `INSERT INTO "${table}" (${names}) VALUES (${cols.map(() => "?").join(", ")})` +
        (table === "schema_meta" ? " ON CONFLICT (key) DO NOTHING" : ""),
    );
    await db.exec(
      `DECLARE backlog_backup NO SCROLL CURSOR FOR SELECT ${
        select.join(", ")
      } FROM "${table}" ORDER BY ${order}`,
    );
    try {
      for (;;) {
        const rows = await db.all<Record<string, unknown>>(`FETCH ${COPY_BATCH} FROM backlog_backup`);
        for (const r of rows) {
          insert.run(...cols.map((c, i) => {
            const v = r[c.name];
            return (ints[i] && typeof v === "string" ? BigInt(v) : v) as Param as never;
          }));
        }
        copied += rows.length;
        if (rows.length < COPY_BATCH) break;
      }
    } finally {
      await db.exec("CLOSE backlog_backup");
    }
  }
  return copied;
}

/** Todo tasks that never had a status change, oldest first. */
export async function neverStarted(db: Store, projectId: string, limit: number): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'todo'
       AND NOT EXISTS (SELECT 1 FROM activity_log a
                       WHERE a.entity = 'task' AND a.entity_id = t.id AND a.action = 'status_changed')
     ORDER BY t.created_at, t.task_seq LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Open (todo/doing) tasks without a live plan, oldest first. */
export async function withoutPlan(db: Store, projectId: string, limit: number): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status IN ('todo', 'doing')
       AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.task_id = t.id AND p.archived_at IS NULL)
     ORDER BY t.created_at, t.task_seq LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Done tasks without any comment, latest completion first. */
export async function doneWithoutComments(db: Store, projectId: string, limit: number): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id)
     ORDER BY t.completed_at DESC, t.task_seq DESC LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Done tasks whose comments name no evidence (verified, implemented, fixed, tested, receipts). */
export async function doneWithoutEvidenceWords(
  db: Store,
  projectId: string,
  limit: number,
): Promise<TaskBrief[]> {
  return await db.all<TaskBrief>(
    `SELECT ${BRIEF} FROM tasks t WHERE ${LIVE} AND t.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id AND (${
      ["verified", "implemented", "fixed", "tested", "[worker receipt]", "[judge receipt]"]
        .map((w) => contains(db, "lower(c.body)", `'${w}'`)).join(" OR ")
    }))
     ORDER BY t.completed_at DESC, t.task_seq DESC LIMIT ?2`,
    projectId,
    limit,
  );
}

/** Live tasks, most recently updated first. */
export async function liveTasks(
  db: Store,
  projectId: string,
  limit: number,
): Promise<(TaskBrief & { created_at: number })[]> {
  return await db.all<TaskBrief & { created_at: number }>(
    `SELECT ${BRIEF}, t.created_at FROM tasks t WHERE ${LIVE}
     ORDER BY t.updated_at DESC, t.task_seq DESC LIMIT ?2`,
    projectId,
    limit,
  );
}

/**
 * The latest activity about one task: its own rows, its plans' and comments' rows, and label
 * attach/detach rows naming it (ours end in `TASK-N`, the original's in `task <8-char id>`; only
 * rows written after the task was created count).
 */
export async function latestTaskActivity(
  db: Store,
  projectId: string,
  task: { id: string; seq: number; created_at: number },
): Promise<{ entity: string; summary: string } | undefined> {
  return await db.get<{ entity: string; summary: string }>(
    `SELECT entity, summary FROM activity_log a WHERE a.project_id = ?1 AND (
       (a.entity = 'task' AND a.entity_id = ?2) OR
       (a.entity = 'plan' AND a.entity_id IN (SELECT id FROM plans WHERE task_id = ?2)) OR
       (a.entity = 'comment' AND a.entity_id IN (SELECT id FROM comments WHERE task_id = ?2)) OR
       (a.entity = 'label' AND a.action IN ('attached', 'detached') AND a.created_at >= ?3
        AND (a.summary LIKE '% task ' || substr(?2, 1, 8) OR a.summary LIKE '% TASK-' || ?4)))
     ORDER BY a.created_at DESC, ${db.dialect === "postgres" ? "a.id" : "a.rowid"} DESC LIMIT 1`,
    projectId,
    task.id,
    ns(task.created_at),
    String(task.seq), // node:sqlite binds JS numbers as REAL ("6.0")
  );
}

/** Done tasks that are final audits (title mentions "final audit" or label final-audit), with their close time. */
export async function finalAudits(db: Store, projectId: string) {
  return await db.all<TaskBrief & { closed_at: number }>(
    `SELECT ${BRIEF}, COALESCE(t.completed_at, t.updated_at) AS closed_at FROM tasks t
     WHERE ${LIVE} AND t.status = 'done' AND (
       ${contains(db, "lower(t.title)", "'final audit'")} OR t.id IN (
         SELECT tl.task_id FROM task_labels tl JOIN labels l ON l.id = tl.label_id
         WHERE l.project_id = ?1 AND l.name = 'final-audit'))
     ORDER BY t.task_seq`,
    projectId,
  );
}

/** Open tasks other than `exceptId` created at or before `at`. */
export async function openBefore(
  db: Store,
  projectId: string,
  exceptId: string,
  at: number,
): Promise<number> {
  return (await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM tasks t WHERE ${LIVE} AND t.id <> ?2 AND t.status IN ('todo', 'doing')
       AND t.created_at <= ?3`,
    projectId,
    exceptId,
    ns(at),
  ))!.n;
}
