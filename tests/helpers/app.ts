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
