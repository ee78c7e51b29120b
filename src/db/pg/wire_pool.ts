/**
 * A pool of wire clients (wire.ts) with the part of `pg.Pool`'s interface PgStore uses: `connect()`
 * hands out a client whose `release(err?)` returns it (or, with an error, closes it), `end()` closes
 * them all, `options.connectionTimeoutMillis`, and "error" for an idle client that fails. PgStore
 * bounds how many connections it takes, so this pool never makes callers wait; idle clients close
 * after `idleMs` (10 s; 0: only at `end()`, for a one-shot command) and never keep the process alive
 * (pg's allowExitOnIdle). `hello` (WireOptions) goes to the first client only: the store's first
 * statement.
 */
import { WireClient, type WireOptions } from "./wire.ts";

const IDLE_MS = 10_000;

export type PooledWire = WireClient & { release(err?: Error | boolean): void };

export class WirePool {
  readonly options: { connectionTimeoutMillis: number; max: number };
  #opts: WireOptions;
  #idle: { c: PooledWire; timer?: ReturnType<typeof setTimeout> }[] = [];
  #idleMs: number;
  #hello: string | undefined;
  #all = new Set<WireClient>();
  #ended = false;
  #onError = new Set<(err: Error) => void>();
  #drained: (() => void) | null = null;

  constructor(opts: WireOptions & { max: number; idleMs?: number }) {
    this.#opts = opts;
    this.#hello = opts.hello;
    this.#idleMs = opts.idleMs ?? IDLE_MS;
    this.options = { connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000, max: opts.max };
  }

  on(event: "error", fn: (err: Error) => void): this {
    if (event === "error") this.#onError.add(fn);
    return this;
  }

  async connect(): Promise<PooledWire> {
    if (this.#ended) throw new Error("Cannot use a pool after calling end on the pool");
    for (let got = this.#idle.pop(); got; got = this.#idle.pop()) {
      if (got.timer !== undefined) clearTimeout(got.timer);
      if (!got.c.ended) return got.c.ref(), got.c;
    }
    const c = new WireClient({ ...this.#opts, hello: this.#hello }) as PooledWire;
    this.#hello = undefined;
    this.#all.add(c);
    c.on("end", () => {
      this.#all.delete(c);
      if (!this.#all.size) this.#drained?.();
    });
    c.on("error", (err) => {
      // Only an idle client's failure reaches the pool; a checked-out one's goes to its user.
      if (this.#idle.some((x) => x.c === c)) { for (const fn of this.#onError) fn(err as Error); }
    });
    c.release = (err) => {
      if (err || c.ended || this.#ended) return void c.end();
      // (No timer at all when idleMs is 0: a one-shot command never loads Deno's timers, see timer.ts.)
      const timer = this.#idleMs
        ? setTimeout(() => {
          this.#idle = this.#idle.filter((x) => x.c !== c);
          void c.end();
        }, this.#idleMs)
        : undefined;
      if (timer !== undefined) Deno.unrefTimer(timer);
      c.unref();
      this.#idle.push({ c, timer });
    };
    try {
      await c.connect();
    } catch (err) {
      this.#all.delete(c);
      throw err;
    }
    return c;
  }

  /** Closes the idle clients now and each checked-out one on its release; resolves when all are closed. */
  async end(): Promise<void> {
    this.#ended = true;
    const drained = new Promise<void>((resolve) => (this.#drained = resolve));
    for (const { c, timer } of this.#idle.splice(0)) {
      if (timer !== undefined) clearTimeout(timer);
      await c.end();
    }
    if (this.#all.size) await drained;
  }
}
