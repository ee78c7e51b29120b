import { AppError } from "../domain/errors.ts";
import type { Store } from "./store.ts";
import { isPgUrl } from "./url.ts";

export interface OpenStoreOptions {
  /** Skip migrations (read-only inspection of a foreign file). */
  noMigrate?: boolean;
  /** One flow at a time uses the store (a one-shot CLI command): see SqliteStore's `solo`. */
  solo?: boolean;
  /**
   * A read: a PostgreSQL database without backlog's schema raises no_workspace instead of getting it
   * (a read never creates a SQLite file either; `init` or a write sets a database up).
   */
  existing?: boolean;
}

/**
 * Opens the store a `--db` value names and brings its schema up to date: a SQLite file (created
 * when missing) or, for a `postgres://` URL, a PostgreSQL server (the driver loads only then).
 */
export async function openStore(path: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isPgUrl(path)) {
    const { openPgStore, migratePg } = await import("./pg/open.ts");
    const db = await openPgStore(path, { solo: opts.solo });
    try {
      if (opts.existing && db.openedVersion === 0) {
        throw new AppError("no_workspace", `no backlog schema in postgres database ${db.path}`, {
          hint: "run `backlog init --db <url>` to set it up (any write does too)",
        });
      }
      if (!opts.noMigrate) await migratePg(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }
  // The SQLite store loads here too, so a PostgreSQL command never loads node:sqlite (~2.5 ms).
  const [{ SqliteStore }, { migrate }] = await Promise.all([
    import("./connection.ts"),
    import("./migrate.ts"),
  ]);
  const db = new SqliteStore(path, { solo: opts.solo });
  try {
    if (!opts.noMigrate) await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
