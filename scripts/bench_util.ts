/** Medians, timing loops and reading a started server's URL, shared by the bench and stress scripts. */

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median wall time of `runs` calls of fn, in ms. */
export function timeIt(fn: () => unknown, runs = 200): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Median wall time of `runs` awaited calls of fn, in ms. */
export async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/**
 * Whether a checkout's app has the asynchronous store (its `db.tx` returns a promise) or is a
 * pre-port checkout with synchronous services (`deno task bench --before REF`). Cached per app.
 */
// deno-lint-ignore no-explicit-any
const asyncDb = new WeakMap<any, boolean>();
// deno-lint-ignore no-explicit-any
export async function isAsyncDb(app: any): Promise<boolean> {
  let yes = asyncDb.get(app);
  if (yes === undefined) {
    const r = app.db.tx(() => 1); // an empty transaction: 1 on the old store, a promise of 1 on the new
    yes = r instanceof Promise;
    await r;
    asyncDb.set(app, yes);
  }
  return yes;
}

/**
 * Runs the steps of `body` in one transaction of a checkout's app. The body yields each service
 * call's result and gets it back resolved: awaited on the asynchronous store, handed straight back on
 * a synchronous pre-port checkout, whose `tx` commits the moment its function returns (so an async
 * function there would commit before the work inside it).
 */
export async function inTx<T>(
  // deno-lint-ignore no-explicit-any
  app: any,
  // deno-lint-ignore no-explicit-any
  body: () => Generator<unknown, T, any>,
): Promise<T> {
  if (await isAsyncDb(app)) {
    return await app.db.tx(async () => {
      const g = body();
      for (let r = g.next();; r = g.next(await r.value)) if (r.done) return r.value;
    });
  }
  return app.db.tx(() => {
    const g = body();
    for (let r = g.next();; r = g.next(r.value)) if (r.done) return r.value;
  });
}

/** Reads a child's stream until an http:// URL shows up (30 s at most); null when it ends first. */
export async function urlFrom(
  stream: ReadableStream<Uint8Array>,
): Promise<{ url: string | null; seen: string }> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let seen = "";
  const timer = setTimeout(() => reader.cancel().catch(() => {}), 30_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { url: null, seen };
      seen += dec.decode(value, { stream: true });
      const m = /(http:\/\/[^\s/]+)/.exec(seen);
      if (m) {
        void (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })().catch(() => {});
        return { url: m[1], seen };
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
