import { type App, openApp } from "../../src/app.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { AppError } from "../../src/domain/errors.ts";

// Tests (and the CLI processes they start) connect to PostgreSQL directly: a connection keeper per
// test database would outlive its test (src/db/pg/keeper.ts; tests/db/pg_keeper_test.ts turns it on).
if (Deno.env.get("BACKLOG_PG_KEEPER") === undefined) Deno.env.set("BACKLOG_PG_KEEPER", "off");

/** A fixed clock that advances 1 ms per call, starting 2026-01-01T00:00:00Z. */
export function fixedClock(start = Date.UTC(2026, 0, 1)): () => number {
  let ms = start;
  return () => (ms++) * 1_000_000;
}

/**
 * The engine the storage tests run on: SQLite (default) or PostgreSQL (`BACKLOG_TEST_ENGINE=postgres`
 * with `$BACKLOG_TEST_PG`; `deno task test:pg` runs the storage suites that way).
 */
export const TEST_ENGINE: "sqlite" | "postgres" = Deno.env.get("BACKLOG_TEST_ENGINE") === "postgres"
  ? "postgres"
  : "sqlite";

/**
 * A fresh database for one test: `:memory:` on SQLite; on PostgreSQL a new database made from a
 * migrated template, dropped by `drop()`.
 */
export async function freshDb(): Promise<{ path: string; drop(): Promise<void> }> {
  if (TEST_ENGINE === "sqlite") return { path: ":memory:", drop: () => Promise.resolve() };
  const { freshPgDatabase } = await import("./pg.ts");
  return await freshPgDatabase();
}

/** Opens an app on a fresh test database (see freshDb); closing it drops a PostgreSQL database. */
export async function openTestApp(opts: Omit<Parameters<typeof openApp>[0], "dbPath"> = {}): Promise<App> {
  const db = await freshDb();
  const app = await openApp({ ...opts, dbPath: db.path });
  const close = app.close;
  app.close = async () => {
    await close();
    await db.drop();
  };
  return app;
}

/** A migrated app with a fixed clock: in memory (or a fresh PostgreSQL database), or on `dbPath`. */
export async function testApp(opts: { dbPath?: string } = {}): Promise<App> {
  if (opts.dbPath) return await openApp({ dbPath: opts.dbPath, clock: fixedClock() });
  return await openTestApp({ clock: fixedClock() });
}

/** Tests about SQLite itself: registered only when the storage suites run on SQLite. */
export const sqliteOnly = TEST_ENGINE !== "sqlite";

export const alice: Actor = { kind: "human", name: "alice" };
export const bot: Actor = { kind: "ai", name: "claude" };

/** Awaits `p`, failing with "timed out after <ms> ms waiting for <what>" instead of hanging. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Awaited<ReturnType<typeof setTimeout>> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An in-memory app whose clock moves 1 ms per read and jumps on `advance` (ns), with project `api`. */
export async function steppedApp() {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  return { app, advance: (ns: number) => void (now += ns) };
}

/** The AppError `fn` throws (fails the test when it throws nothing or something else). */
export async function appError(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw new Error(`expected AppError, got ${e}`);
  }
  throw new Error("expected an error");
}
