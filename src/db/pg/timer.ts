/**
 * Timers for the PostgreSQL store on a one-shot command's path, without Deno's global `setTimeout`:
 * its first call costs about 5 ms (Deno 2.9 loads its Node-compatible timers then), which every CLI
 * command on PostgreSQL paid for its connect timeout. An `AbortSignal.timeout` signal keeps the
 * process alive while it has a listener, as a pending `setTimeout` does; cancelling removes the
 * listener (the signal's own timer then no longer holds the process).
 */

/** Calls fn once after ms (unless cancelled); returns the cancel function. */
export function after(ms: number, fn: () => void): () => void {
  const signal = AbortSignal.timeout(ms);
  const once = () => fn();
  signal.addEventListener("abort", once, { once: true });
  return () => signal.removeEventListener("abort", once);
}

/** Resolves after ms. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => after(ms, resolve));
