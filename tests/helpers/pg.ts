import { openPgStore } from "../../src/db/pg/open.ts";
import type { PgStore } from "../../src/db/pg/store.ts";
import { type App, openApp } from "../../src/app.ts";
import "./app.ts"; // no connection keepers in tests unless a test asks for one

/** A PostgreSQL server URL where tests may create databases (`.ci/run` starts one and sets it). */
export const TEST_PG = Deno.env.get("BACKLOG_TEST_PG") ?? "";
const CI = Deno.env.get("CI") === "true";

/**
 * Registers a test that needs PostgreSQL. Without `$BACKLOG_TEST_PG` it is ignored (the runner lists
 * it as ignored, and `deno task test` ends with scripts/test_pg.ts's one line saying the PostgreSQL
 * half was skipped); under `CI=true` it fails instead.
 */
export function pgTest(name: string, fn: () => Promise<void>): void {
  if (!TEST_PG && !CI) {
    Deno.test({ name: `[pg] ${name}`, ignore: true, fn });
    return;
  }
  Deno.test({
    name: `[pg] ${name}`,
    fn: async () => {
      if (!TEST_PG) throw new Error("CI=true but BACKLOG_TEST_PG is not set: postgres tests must run in CI");
      await fn();
    },
    // The driver's pool and sockets belong to the database the test drops at its end.
    sanitizeResources: false,
    sanitizeOps: false,
  });
}

/** `$BACKLOG_TEST_PG` with its database replaced by `name`. */
export function pgUrlFor(name: string): string {
  const u = new URL(TEST_PG);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs fn with the URL of a fresh, empty database on `$BACKLOG_TEST_PG`, dropped afterwards. */
export async function withPgDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `backlog_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = await openPgStore(TEST_PG, { max: 1 });
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
    try {
      return await fn(pgUrlFor(name));
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.close();
  }
}

/** withPgDatabase with an open store on the fresh database (closed before the drop). */
export function withPgStore<T>(fn: (store: PgStore, url: string) => Promise<T>): Promise<T> {
  return withPgDatabase(async (url) => {
    const db = await openPgStore(url);
    try {
      return await fn(db, url);
    } finally {
      await db.close();
    }
  });
}

/**
 * A fresh database migrated to the latest schema, cloned from a template that the first caller of
 * the whole test run creates (an advisory lock keeps parallel test processes from racing). Dropped
 * by drop().
 */
export async function freshPgDatabase(): Promise<{ path: string; drop(): Promise<void> }> {
  if (!TEST_PG) throw new Error("BACKLOG_TEST_ENGINE=postgres needs BACKLOG_TEST_PG (a server URL)");
  const { pgMigrationFiles, migratePg } = await import("../../src/db/pg/migrate.ts");
  const template = `backlog_tmpl_v${pgMigrationFiles().length}`;
  const name = `backlog_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = await openPgStore(TEST_PG, { max: 1 });
  try {
    if (!await admin.get("SELECT 1 AS x FROM pg_database WHERE datname = ?", template)) {
      await buildTemplate(admin, template, migratePg);
    }
    for (let attempt = 0;; attempt++) {
      try {
        await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Another process may be cloning the template this instant ("being accessed by other users").
        if (attempt > 50 || !/accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 50));
      }
    }
  } finally {
    await admin.close();
  }
  return {
    path: pgUrlFor(name),
    drop: async () => {
      const a = await openPgStore(TEST_PG, { max: 1 });
      try {
        await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.close();
      }
    },
  };
}

async function buildTemplate(
  admin: PgStore,
  template: string,
  migratePg: (s: PgStore) => Promise<number>,
): Promise<void> {
  // One builder at a time across processes: a session lock held while the template is made.
  await admin.exec("SELECT pg_advisory_lock(7262636)");
  try {
    if (await admin.get("SELECT 1 AS x FROM pg_database WHERE datname = ?", template)) return;
    const wip = `${template}_wip`;
    await admin.exec(`DROP DATABASE IF EXISTS ${wip} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${wip}`);
    const db = await openPgStore(pgUrlFor(wip));
    try {
      await migratePg(db);
    } finally {
      await db.close();
    }
    await admin.exec(`ALTER DATABASE ${wip} RENAME TO ${template}`);
  } finally {
    await admin.exec("SELECT pg_advisory_unlock(7262636)");
  }
}

/**
 * n apps on one fresh migrated PostgreSQL database, each with its own pool (as separate `backlog web`
 * processes, or a server and a CLI, would be); all closed and the database dropped after fn.
 */
export async function withServers(n: number, fn: (apps: App[]) => Promise<void>): Promise<void> {
  const db = await freshPgDatabase();
  const apps: App[] = [];
  try {
    for (let i = 0; i < n; i++) apps.push(await openApp({ dbPath: db.path }));
    await fn(apps);
  } finally {
    for (const a of apps) await a.close();
    await db.drop();
  }
}
