import type { Param, SqliteStore } from "../connection.ts";
import type { Store } from "../store.ts";

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

export const isPg = (db: Store) => db.dialect === "postgres";

/** The statement with its schema names as this engine spells them (see the module comment). */
export function q(db: Store, sql: string): string {
  if (!isPg(db)) return sql;
  return sql.replace(/\bsrc\.(\w+)/g, "pg_temp.src_$1").replace(/\bmain\.(\w+)/g, "$1")
    .replace(/\btemp\.(\w+)/g, "pg_temp.$1");
}

/** `CREATE TEMP TABLE name` (PostgreSQL: dropped when the transaction ends). */
export const tempTable = (db: Store, name: string, rest: string) =>
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
export async function analyze(db: Store, table: string): Promise<void> {
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

/** The columns two copies of a table share (source first-class, destination defaults for the rest). */
export async function shared(db: Store, table: string): Promise<string[]> {
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
export async function copyInto(
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
