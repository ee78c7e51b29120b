import type { PgDb } from "./connection.ts";
import { AppError } from "../../domain/errors.ts";

const DIR = new URL("../../../migrations/pg/", import.meta.url);

/**
 * The advisory-lock key every backlog migrator takes (any constant works; this one spells "backlog" in
 * ASCII), so several servers starting on one database run each migration exactly once.
 */
export const MIGRATE_LOCK = 0x6261636b6c6f67n;

/** PostgreSQL migration file names in order; they share their numbers with the SQLite files. */
export function pgMigrationFiles(): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(DIR)) if (/^\d{4}_.+\.sql$/.test(e.name)) names.push(e.name);
  return names.sort();
}

/** The schema version recorded in schema_meta (0 for an empty database). */
export async function pgSchemaVersion(db: PgDb): Promise<number> {
  const t = await db.query<{ t: string | null }>("SELECT to_regclass('schema_meta')::text AS t");
  if (!t[0].t) return 0;
  const r = await db.query<{ value: string }>("SELECT value FROM schema_meta WHERE key = 'schema_version'");
  return r.length ? Number(r[0].value) : 0;
}

/**
 * Runs every migration past the recorded version, each in its own transaction together with its
 * version bump, under a transaction-scoped advisory lock: a second migrator waits, then sees the new
 * version and skips. Refuses a database migrated by a newer backlog.
 */
export async function migratePg(db: PgDb, opts: { upTo?: number } = {}): Promise<number> {
  const files = pgMigrationFiles().slice(0, opts.upTo);
  const all = pgMigrationFiles().length;
  let current = await pgSchemaVersion(db);
  if (current > all) throw newer(current, all);
  for (let i = current; i < files.length; i++) {
    const name = files[i];
    const sql = Deno.readTextFileSync(new URL(name, DIR));
    try {
      current = await db.tx(async (c) => {
        await c.query("SELECT pg_advisory_xact_lock($1)", [MIGRATE_LOCK]);
        await c.query("CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        const v = await c.query<{ value: string }>(
          "SELECT value FROM schema_meta WHERE key = 'schema_version'",
        );
        const now = v.rows.length ? Number(v.rows[0].value) : 0;
        if (now > all) throw newer(now, all);
        if (now > i) return now; // another server ran it while we waited for the lock
        await c.query(sql);
        await c.query(
          `INSERT INTO schema_meta (key, value) VALUES ('schema_version', $1)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [String(i + 1)],
        );
        return i + 1;
      });
    } catch (err) {
      if (err instanceof AppError && err.message.startsWith("database schema")) throw err;
      throw new AppError("internal", `migrate: run pg/${name}: ${(err as Error).message}`, { cause: err });
    }
    i = current - 1;
  }
  return current;
}

const newer = (v: number, ours: number) =>
  new AppError("internal", `database schema version ${v} is newer than this backlog (${ours})`, {
    hint: "upgrade backlog before opening this database",
  });
