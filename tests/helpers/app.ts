import { type App, openApp } from "../../src/app.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { AppError } from "../../src/domain/errors.ts";

/** A fixed clock that advances 1 ms per call, starting 2026-01-01T00:00:00Z. */
export function fixedClock(start = Date.UTC(2026, 0, 1)): () => number {
  let ms = start;
  return () => (ms++) * 1_000_000;
}

/** A migrated in-memory app with a fixed clock. */
export async function testApp(opts: { dbPath?: string } = {}): Promise<App> {
  return await openApp({ dbPath: opts.dbPath ?? ":memory:", clock: fixedClock() });
}

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
  const app = await openApp({ dbPath: ":memory:", clock: () => (now += 1e6) });
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
