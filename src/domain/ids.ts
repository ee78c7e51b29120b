import { monotonicFactory } from "ulid";
import type { Clock } from "./time.ts";

/** An ID generator returns monotonic ULIDs. Injected so tests can pin IDs. */
export type IdGen = () => string;

/** Monotonic ULIDs whose time part follows the given clock. */
export function ulidGen(clock: Clock): IdGen {
  const next = monotonicFactory();
  return () => next(Math.floor(clock() / 1_000_000));
}

/** A random opaque token (claim tokens). */
export function randomToken(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
