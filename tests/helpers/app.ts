import { type App, openApp } from "../../src/app.ts";
import type { Actor } from "../../src/domain/actor.ts";

/** A fixed clock that advances 1 ms per call, starting 2026-01-01T00:00:00Z. */
export function fixedClock(start = Date.UTC(2026, 0, 1)): () => number {
  let ms = start;
  return () => (ms++) * 1_000_000;
}

/** A migrated in-memory app with a fixed clock. */
export function testApp(opts: { dbPath?: string } = {}): App {
  return openApp({ dbPath: opts.dbPath ?? ":memory:", clock: fixedClock() });
}

export const alice: Actor = { kind: "human", name: "alice" };
export const bot: Actor = { kind: "ai", name: "claude" };

/** Awaits `p`, failing with "timed out after <ms> ms waiting for <what>" instead of hanging. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
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
