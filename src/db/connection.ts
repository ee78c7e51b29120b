import { DatabaseSync, type DatabaseSyncOptions, type StatementSync } from "node:sqlite";
import { AppError } from "../domain/errors.ts";
import type { Checkpointer } from "./checkpointer.ts";
import { WriteTurn } from "./write_turn.ts";
import {
  nestedTx,
  type Param,
  type Row,
  type Store,
  type TxContext,
  txContext,
  type TxOptions,
} from "./store.ts";

export type { Param, Row } from "./store.ts";
export { ns } from "./store.ts";

/** How long a write waits for another process's transaction before giving up (busy). */
const BUSY_TIMEOUT_MS = 10_000;
/** A synchronous sleep (Atomics.wait) between attempts to take the write lock. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
const RESTORE_BUSY = `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`;
/** Write transactions between two looks at the WAL (its size, or a poke to the checkpointer). */
const CHECKPOINT_EVERY = 64;
/** Write transactions between two checkpoints of a store without a background checkpointer. */
const CHECKPOINT_AFTER = 128;
/**
 * A connection writing this fast (transactions a second, over CHECKPOINT_EVERY of them) to a WAL
 * this big (bytes) is a busy writer: its checkpoints move to a background thread.
 */
const BUSY_WRITES_PER_S = 500;
const CHECKPOINT_IN_BACKGROUND = 8 << 20;
/** checkpointer.ts, imported when a long-lived store on a file opens. */
let checkpointer: typeof import("./checkpointer.ts") | undefined;
let loadCheckpointer: Promise<unknown> | undefined;
const isBusy = (err: unknown) =>
  (err as { errcode?: number }).errcode === 5 || /database is locked|SQLITE_BUSY/i.test(String(err));

/** One open transaction: the async context its queries run in, and its savepoint depth. */
interface Frame {
  depth: number;
}

/**
 * The SQLite store: one connection with the original's pragmas, a statement cache and `tx()`.
 * Integers are read as bigint (nanosecond timestamps exceed 2^53) and converted to numbers here.
 *
 * The connection runs one transaction at a time. Which transaction a query belongs to follows the
 * async context (AsyncLocalStorage): a query or `tx()` reached from inside fn joins it; one from
 * elsewhere (another HTTP request, another MCP call) waits its turn in a FIFO hand-off, so two
 * requests can never interleave statements inside each other's transaction.
 */
export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  readonly raw: DatabaseSync;
  readonly path: string;
  #cache = new Map<string, StatementSync>();
  /** Made by the first transaction: node:async_hooks costs ~2 ms of start-up a read-only command skips. */
  #als: TxContext<Frame> | undefined;
  #alsLoad: Promise<TxContext<Frame>> | undefined;
  /** The frame holding the connection, or null. */
  #current: Frame | null = null;
  #busy = false;
  #waiters: (() => void)[] = [];

  /** No other flow shares the connection (one CLI command): no async context is needed. */
  readonly #solo: boolean;
  /** Whether a busy writer may checkpoint in the background (a long-lived store on a file). */
  readonly #background: boolean;
  #writes = 0;
  #checkpointTimer: ReturnType<typeof setTimeout> | undefined;
  /** When #committed last looked at the WAL (performance.now()). */
  #lastLook = -Infinity;
  /** busy_timeout is 0 (see #patient). */
  #impatient = false;
  #checkpointer: Checkpointer | undefined;
  /** The writers' queue across processes (write_turn.ts); none in memory or read-only. */
  readonly #turn: WriteTurn | undefined;

  /**
   * `solo`: the process runs one flow at a time on this store (a one-shot CLI command), so every
   * query made while a transaction is open belongs to it; node:async_hooks (~5 ms of start-up) is
   * then never loaded. A server (web, MCP, watch) must not pass it.
   */
  constructor(path: string, opts: { readOnly?: boolean; solo?: boolean } = {}) {
    this.path = path;
    this.#solo = opts.solo ?? false;
    const file = !opts.readOnly && path !== ":memory:" && path !== "";
    this.#background = file && !this.#solo;
    this.#turn = this.#background ? new WriteTurn(`${path}-wal`) : undefined;
    try {
      // readBigInts is honoured at runtime but missing from the bundled node types.
      const options = { readBigInts: true, readOnly: opts.readOnly ?? false } as DatabaseSyncOptions;
      this.raw = new DatabaseSync(path, options);
    } catch (err) {
      throw new AppError("internal", `open database ${path}: ${(err as Error).message}`, { cause: err });
    }
    this.raw.exec(RESTORE_BUSY);
    if (!opts.readOnly && path !== ":memory:") {
      this.#whileBusy(() => this.raw.exec("PRAGMA journal_mode = WAL"));
      this.#patient();
    }
    this.raw.exec("PRAGMA synchronous = NORMAL");
    // A queue transaction dirties ~14 pages; checkpointing every 1,000 frames (the default) made one
    // commit in ~70 pay a copy and an fsync. Ten times fewer checkpoints copy hot pages once.
    this.raw.exec("PRAGMA wal_autocheckpoint = 10000");
    this.raw.exec("PRAGMA foreign_keys = ON");
    // A long-lived store loads its async context (node:async_hooks) while its opener is still busy
    // starting: a server's or an agent's first write waited ~3 ms on it.
    if (!this.#solo && path !== ":memory:") void this.#asyncContext().catch(() => {});
    // And the checkpointer's module, for when it turns out to be a busy writer: imported at its first
    // write instead, it never arrived in a loop of writes that never yields to the event loop.
    if (this.#background) {
      loadCheckpointer ??= import("./checkpointer.ts").then((m) => checkpointer = m, () => {});
    }
  }

  #stmt(sql: string): StatementSync {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  /** Whether the caller's async context owns the open transaction. */
  get inTx(): boolean {
    const f = this.#als?.getStore();
    return f !== undefined && f === this.#current;
  }

  /**
   * Runs a synchronous step on the connection: at once inside our transaction or when idle (no
   * async function frame on that path: it is every query's cost), else after the open transaction.
   */
  #use<T>(step: () => T): Promise<T> {
    if (!this.#busy || this.inTx) {
      try {
        if (!this.#current) this.#patient();
        return Promise.resolve(step());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#queued(step);
  }

  async #queued<T>(step: () => T): Promise<T> {
    await this.#acquire();
    try {
      this.#patient();
      return step();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> | void {
    if (!this.#busy) {
      this.#busy = true;
      return;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the connection to the next waiter in arrival order (it stays busy), or frees it. */
  #release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#busy = false;
  }

  all<T = Row>(sql: string, ...params: Param[]): Promise<T[]> {
    return this.#use(() => this.allSync<T>(sql, ...params));
  }

  get<T = Row>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return this.#use(() => {
      const r = this.#stmt(sql).get(...(params as never[]));
      return r ? numbers(r as Row) as T : undefined;
    });
  }

  run(sql: string, ...params: Param[]): Promise<number> {
    return this.#use(() => Number(this.#stmt(sql).run(...(params as never[])).changes));
  }

  exec(sql: string): Promise<void> {
    return this.#use(() => this.raw.exec(sql));
  }

  /**
   * All rows at once, for engine-specific code below the port that already holds the connection
   * (inside `tx()` or before anything else can run).
   */
  allSync<T = Row>(sql: string, ...params: Param[]): T[] {
    if (!this.#current) this.#patient();
    return this.#stmt(sql).all(...(params as never[])).map((r) => numbers(r as Row) as T);
  }

  /**
   * Runs fn in one transaction: `BEGIN IMMEDIATE` for writes (the write lock is taken up front, so a
   * read followed by a write never fails with SQLITE_BUSY), a deferred `BEGIN` for a read-only
   * snapshot. Nested calls join the outer transaction; a nested dry run or savepoint call runs in a
   * SAVEPOINT.
   */
  async tx<T>(fn: () => Promise<T>, opts: TxOptions = {}): Promise<T> {
    const frame = this.#als?.getStore();
    if (frame && frame === this.#current) {
      return await nestedTx(frame, (sql) => this.raw.exec(sql), () => frame !== this.#current, fn, opts);
    }
    const wait = this.#acquire();
    if (wait) await wait;
    const f: Frame = { depth: 0 };
    this.#current = f;
    try {
      const als = this.#als ?? await this.#asyncContext();
      if (opts.readOnly) (this.#patient(), this.#ctl("BEGIN"));
      else {
        const turn = this.#turn?.take(BUSY_TIMEOUT_MS);
        if (turn) await turn;
        this.#begin();
      }
      try {
        const out = await als.run(f, fn);
        this.#ctl(opts.rollback ? "ROLLBACK" : "COMMIT");
        if (this.#background && !opts.readOnly && !opts.rollback) this.#committed();
        return out;
      } catch (err) {
        try {
          this.#ctl("ROLLBACK");
        } catch { /* the transaction may already be gone */ }
        throw err;
      }
    } finally {
      this.#current = null;
      this.#turn?.release();
      this.#release();
    }
  }

  /**
   * Every CHECKPOINT_EVERY write transactions: once they come faster than BUSY_WRITES_PER_S and the
   * WAL has grown past CHECKPOINT_IN_BACKGROUND, a background checkpointer (checkpointer.ts) is
   * started and from then on poked, so this connection's own autocheckpoint only finishes what the
   * worker already copied.
   */
  #committed(): void {
    if (++this.#writes % CHECKPOINT_EVERY) return;
    if (!this.#checkpointer && this.#writes % CHECKPOINT_AFTER === 0) this.#checkpointSoon();
    const now = performance.now();
    const fast = now - this.#lastLook < CHECKPOINT_EVERY * 1000 / BUSY_WRITES_PER_S;
    this.#lastLook = now;
    if (!this.#checkpointer) {
      // Only a busy writer: twenty agent processes writing a few times a second each need no thread.
      if (!checkpointer || !fast) return;
      try {
        if (Deno.statSync(`${this.path}-wal`).size < CHECKPOINT_IN_BACKGROUND) return;
        this.#checkpointer = new checkpointer.Checkpointer(this.path);
      } catch {
        return;
      }
    }
    this.#checkpointer.poke();
  }

  /**
   * A checkpoint run once the write turn is let go (a timer: the next macrotask), so SQLite's own
   * (at 10,000 frames, inside a COMMIT that holds the turn) seldom comes: twenty processes waiting
   * on one writer's 40-100 ms checkpoint was the stress proof's p99.
   */
  #checkpointSoon(): void {
    this.#checkpointTimer ??= setTimeout(() => {
      this.#checkpointTimer = undefined;
      void this.#use(() => this.#stmt("PRAGMA wal_checkpoint(PASSIVE)").all()).catch(() => {});
    }, 0);
  }

  /** Whether a background checkpointer runs for this connection (it started after a busy spell). */
  get checkpointing(): boolean {
    return this.#checkpointer !== undefined;
  }

  /** The async context transactions run in: loaded at open by a long-lived store, else by the first. */
  #asyncContext(): Promise<TxContext<Frame>> {
    // One load, however many ask: a second context would hide an open transaction from its own queries.
    return this.#alsLoad ??= txContext<Frame>(this.#solo).then((c) => this.#als = c);
  }

  /** BEGIN IMMEDIATE, retried while another connection holds the write lock (see #whileBusy). */
  #begin(): void {
    this.#whileBusy(() => this.#ctl("BEGIN IMMEDIATE"));
  }

  /**
   * Runs step, retried in our own short, jittered steps (0.05 ms doubling to 2 ms) while it meets a
   * lock, for up to the busy timeout. SQLite's own busy handler sleeps 1, 2, 5, 10 … 100 ms between
   * attempts, so a writer queued behind a few others slept long after the lock came free (hundreds of
   * ms at p99); and some steps never call it (switching a new file to WAL while another process
   * creates it fails at once with "database is locked").
   */
  #whileBusy(step: () => void): void {
    if (!this.#impatient) (this.#ctl("PRAGMA busy_timeout = 0"), this.#impatient = true);
    const deadline = performance.now() + BUSY_TIMEOUT_MS;
    for (let wait = 0.05;; wait = Math.min(wait * 2, 2)) {
      try {
        return step();
      } catch (err) {
        if (!isBusy(err) || performance.now() > deadline) throw err;
      }
      Atomics.wait(SLEEPER, 0, 0, wait * (0.5 + Math.random()));
    }
  }

  /**
   * Restores SQLite's busy handler before a statement that may wait on another connection outside a
   * write transaction (a read, a read-only BEGIN). #whileBusy turns it off and leaves it off: inside
   * BEGIN IMMEDIATE … COMMIT nothing waits, so back-to-back writes (a claim loop) skip two pragmas each.
   */
  #patient(): void {
    if (this.#impatient) (this.#ctl(RESTORE_BUSY), this.#impatient = false);
  }

  /**
   * A transaction-control statement (BEGIN, COMMIT, ROLLBACK, the busy pragma), run from the
   * statement cache: `exec` would parse it again on every transaction, four times per write.
   */
  #ctl(sql: string): void {
    this.#stmt(sql).run();
  }

  async close(): Promise<void> {
    const checkpointer = this.#checkpointer;
    this.#checkpointer = undefined;
    // (Guarded: even clearTimeout(undefined) costs a one-shot command ~5 ms of Deno's timers.)
    if (this.#checkpointTimer !== undefined) clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    this.#writes = 0;
    this.#lastLook = -Infinity;
    await checkpointer?.close();
    this.#turn?.close();
    this.#cache.clear();
    try {
      this.raw.close();
    } catch { /* already closed */ }
  }
}

function numbers(r: Row): Row {
  for (const k in r) {
    const v = r[k];
    if (typeof v === "bigint") r[k] = Number(v);
  }
  return r;
}
