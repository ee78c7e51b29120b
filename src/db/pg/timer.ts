/**
 * Timers for the PostgreSQL store on a one-shot command's path, without Deno's global `setTimeout`:
 * its first call costs about 5 ms (Deno 2.9 loads its Node-compatible timers then), which every CLI
 * command on PostgreSQL paid for its connect timeout.
 */

/**
 * Calls fn once after ms (unless cancelled); returns the cancel function. An `AbortSignal.timeout`
 * signal keeps the process alive while it has a listener, as a pending `setTimeout` does; cancelling
 * removes the listener (the signal's own timer then no longer holds the process). ~1 ms on first use.
 */
export function after(ms: number, fn: () => void): () => void {
  const signal = AbortSignal.timeout(ms);
  const once = () => fn();
  signal.addEventListener("abort", once, { once: true });
  return () => signal.removeEventListener("abort", once);
}

/** Resolves after ms. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => after(ms, resolve));

/**
 * A deadline on work that itself keeps the process alive (a connect, a read): calls fn once after
 * ms unless cancelled, and never holds the process by itself. It is V8's own timer
 * (`Atomics.waitAsync` on a private cell), ~0.15 ms on first use against `after`'s ~1 ms, which
 * every command on PostgreSQL paid twice (its connect and its open).
 */
export function deadline(ms: number, fn: () => void): () => void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const wait = Atomics.waitAsync(cell, 0, 0, ms);
  let live = true;
  if (wait.async) void wait.value.then((how) => live && how === "timed-out" && fn());
  return () => {
    live = false;
    Atomics.notify(cell, 0); // ends the wait now: V8 drops its timer
  };
}
