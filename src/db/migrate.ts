import type { Store } from "./store.ts";
import { AppError } from "../domain/errors.ts";

const DIR = new URL("../../migrations/", import.meta.url);

/** Migration file names in order (NNNN_name.sql). */
export function migrationFiles(): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(DIR)) if (/^\d{4}_.+\.sql$/.test(e.name)) names.push(e.name);
  return names.sort();
}

/** The schema version recorded in schema_meta (0 for a new database). */
export async function schemaVersion(db: Store): Promise<number> {
  try {
    const row = await db.get<{ value: string }>("SELECT value FROM schema_meta WHERE key = 'schema_version'");
    return row ? Number(row.value) : 0;
  } catch {
    return 0;
  }
}

/**
 * The recorded schema version, refusing a database written by a newer backlog: opening it would
 * write rows its newer schema does not expect. Raises internal (or `opts.code`).
 */
export async function checkSchemaVersion(
  db: Store,
  opts: { label?: string; code?: "internal" | "invalid"; files?: string[] } = {},
): Promise<number> {
  const v = await schemaVersion(db);
  const ours = (opts.files ?? migrationFiles()).length;
  if (v > ours) {
    const label = opts.label ?? db.path;
    throw new AppError(
      opts.code ?? "internal",
      `${label} has schema version ${v}, newer than this backlog's (${ours}): upgrade backlog to open it`,
    );
  }
  return v;
}

/**
 * Runs every migration past the recorded version, each in its own transaction with its version
 * bump (the original's mechanism, so either tool can open the other's file). A file marked
 * `-- backlog:foreign_keys=off` runs with foreign keys off and is checked before commit.
 */
export async function migrate(db: Store, opts: { upTo?: number } = {}): Promise<number> {
  const all = migrationFiles(); // read once: every open checks the version against it
  const files = all.slice(0, opts.upTo);
  let current = await checkSchemaVersion(db, { files: all });
  if (current >= files.length) return current;
  await db.exec("CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  for (let i = current; i < files.length; i++) {
    const name = files[i];
    const sql = Deno.readTextFileSync(new URL(name, DIR));
    const fkOff = sql.includes("-- backlog:foreign_keys=off");
    if (fkOff) await db.exec("PRAGMA foreign_keys = OFF");
    try {
      await db.tx(async () => {
        // Another process may have run this file while we waited for the write lock.
        if (await schemaVersion(db) > i) return;
        await db.exec(sql);
        if (fkOff) {
          const bad = await db.all("PRAGMA foreign_key_check");
          if (bad.length) throw new Error(`foreign key check failed: ${bad.length} row(s)`);
        }
        await db.run(
          "INSERT OR REPLACE INTO schema_meta (key, value) VALUES ('schema_version', ?)",
          String(i + 1),
        );
      });
    } catch (err) {
      throw new AppError("internal", `migrate: run ${name}: ${(err as Error).message}`, { cause: err });
    } finally {
      if (fkOff) await db.exec("PRAGMA foreign_keys = ON");
    }
    current = i + 1;
  }
  return current;
}
