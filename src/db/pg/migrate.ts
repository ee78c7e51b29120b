import type { PgStore } from "./store.ts";
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

/** The statement reading the recorded schema version. */
export const VERSION_SQL = "SELECT value FROM schema_meta WHERE key = 'schema_version'";

/**
 * The schema version recorded in schema_meta (0 for an empty database), in one round trip: every
 * command opening the store asks. Call it outside a transaction (a missing table fails the statement).
 */
export async function pgSchemaVersion(store: PgStore): Promise<number> {
  try {
    const r = await store.get<{ value: string }>(VERSION_SQL);
    return r ? Number(r.value) : 0;
  } catch (err) {
    if ((err as { code?: string }).code === "42P01") return 0; // undefined_table: nothing migrated yet
    throw err;
  }
}

/**
 * The recorded schema version, refusing a database written by a newer backlog (the same rule and
 * words as checkSchemaVersion for SQLite; the label defaults to the URL without its password).
 * `known`: the version already read (no round trip). Raises internal (or `opts.code`).
 */
export async function checkPgSchemaVersion(
  store: PgStore,
  opts: { label?: string; code?: "internal" | "invalid"; known?: number } = {},
): Promise<number> {
  const v = opts.known ?? await pgSchemaVersion(store);
  refuseNewer(v, opts.label ?? store.path, opts.code);
  return v;
}

function refuseNewer(v: number, label: string, code: "internal" | "invalid" = "internal"): void {
  const ours = pgMigrationFiles().length;
  if (v > ours) {
    throw new AppError(
      code,
      `${label} has schema version ${v}, newer than this backlog's (${ours}): upgrade backlog to open it`,
    );
  }
}

/**
 * Runs every migration past the recorded version, each in its own transaction together with its
 * version bump, under a transaction-scoped advisory lock: a second migrator waits, then sees the new
 * version and skips. READ COMMITTED, so the statements after the lock see what the holder committed.
 * Refuses a database migrated by a newer backlog. Resolves to the version reached.
 */
export async function migratePg(store: PgStore, opts: { upTo?: number } = {}): Promise<number> {
  const files = pgMigrationFiles().slice(0, opts.upTo);
  // Opening read the version already (one round trip less for every command); later calls ask.
  const known = store.openedVersion;
  store.openedVersion = undefined;
  let current = await checkPgSchemaVersion(store, { known });
  for (let i = current; i < files.length; i++) {
    const name = files[i];
    const sql = Deno.readTextFileSync(new URL(name, DIR));
    try {
      current = await store.tx(async () => {
        await store.get("SELECT pg_advisory_xact_lock(?)", MIGRATE_LOCK);
        await store.exec(
          "CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        );
        const v = await store.get<{ value: string }>(
          "SELECT value FROM schema_meta WHERE key = 'schema_version'",
        );
        const now = v ? Number(v.value) : 0;
        refuseNewer(now, store.path);
        if (now > i) return now; // another server ran it while we waited for the lock
        await store.exec(sql);
        await store.run(
          `INSERT INTO schema_meta (key, value) VALUES ('schema_version', ?)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          String(i + 1),
        );
        return i + 1;
      }, { isolation: "read committed" });
    } catch (err) {
      if (err instanceof AppError && / newer than this backlog's /.test(err.message)) throw err;
      throw new AppError("internal", `migrate: run pg/${name}: ${(err as Error).message}`, { cause: err });
    }
    i = current - 1;
  }
  return current;
}
