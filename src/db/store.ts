/**
 * The storage port: what services and repos need from a database engine. Every call is
 * asynchronous so that a client-server engine (PostgreSQL) can sit behind the same code as the
 * embedded SQLite file. SQL stays in `src/db/repos`; what differs between engines lives below this
 * interface (placeholders are `?` on both; the PostgreSQL store rewrites them).
 */
export type Row = Record<string, unknown>;
export type Param = string | number | bigint | boolean | null | Uint8Array;

/** Binds a nanosecond timestamp (or null) exactly. */
export const ns = (v: number | null | undefined): bigint | null =>
  v === null || v === undefined ? null : BigInt(Math.round(v));

export type Dialect = "sqlite" | "postgres";

export interface TxOptions {
  /**
   * A dry run: fn's writes are always undone (inside an outer transaction through a savepoint)
   * and fn's value is returned.
   */
  rollback?: boolean;
  /**
   * Nested only: run fn in a savepoint, so an error undoes fn's writes alone before it propagates
   * (the outer transaction carries on if the caller catches it). Outermost, a plain transaction.
   */
  savepoint?: boolean;
  /** A read-only snapshot: no write lock is taken (SQLite `BEGIN`, PostgreSQL `READ ONLY`). */
  readOnly?: boolean;
}

export interface Store {
  readonly dialect: Dialect;
  /** What the store names: a file path, `:memory:`, or a server URL with its password hidden. */
  readonly path: string;
  /** All rows of a query; integers as numbers. */
  all<T = Row>(sql: string, ...params: Param[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Row>(sql: string, ...params: Param[]): Promise<T | undefined>;
  /** Runs a write; resolves to the number of changed rows. */
  run(sql: string, ...params: Param[]): Promise<number>;
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  /**
   * Runs fn in one transaction (writes take the write lock up front). Which transaction a query
   * belongs to follows the async context: any `tx()` or query reached from fn joins it, and a
   * query from outside waits until it ends. Nested calls join the outer transaction.
   */
  tx<T>(fn: () => Promise<T>, opts?: TxOptions): Promise<T>;
  /** Whether the caller is inside a transaction of this store. */
  readonly inTx: boolean;
  close(): Promise<void>;
}

/**
 * A nested `tx()` on an engine's open transaction: joins it, or for a dry run or savepoint call runs
 * fn in a SAVEPOINT that is rolled back when fn throws (always, for a dry run). Shared by both stores;
 * `run` runs one statement on the transaction's connection; `ended` says whether that transaction
 * is over. Work fn left running may end its savepoint after the transaction did, when the connection
 * may be in another flow's transaction: nothing more is run for it then.
 */
export async function nestedTx<T>(
  frame: { depth: number },
  run: (sql: string) => unknown,
  ended: () => boolean,
  fn: () => Promise<T>,
  opts: TxOptions,
): Promise<T> {
  if (!opts.rollback && !opts.savepoint) return await fn();
  const exec = (sql: string) => {
    if (ended()) throw new Error("transaction ended");
    return run(sql);
  };
  const name = `sp_${++frame.depth}`;
  try {
    await exec(`SAVEPOINT ${name}`);
  } catch (err) {
    frame.depth--;
    throw err;
  }
  let ok = false;
  try {
    const out = await fn();
    ok = true;
    return out;
  } finally {
    frame.depth--;
    try {
      if (opts.rollback || !ok) await exec(`ROLLBACK TO SAVEPOINT ${name}`);
      await exec(`RELEASE SAVEPOINT ${name}`);
    } catch { /* the transaction may already be gone */ }
  }
}

/** Where a store keeps the transaction a piece of async work belongs to (AsyncLocalStorage's shape). */
export interface TxContext<F> {
  getStore(): F | undefined;
  run<R>(frame: F, fn: () => R): R;
}

/**
 * The context of a store used by one flow at a time (a one-shot CLI command): the one running frame,
 * whoever asks. Anything else gets node:async_hooks' AsyncLocalStorage (~2–5 ms of start-up, loaded
 * only then), so concurrent requests in a server each see their own transaction.
 */
export async function txContext<F>(solo: boolean): Promise<TxContext<F>> {
  if (solo) return soloContext<F>();
  const { AsyncLocalStorage } = await import("node:async_hooks");
  return new AsyncLocalStorage<F>();
}

function soloContext<F>(): TxContext<F> {
  let frame: F | undefined;
  return {
    getStore: () => frame,
    run<R>(f: F, fn: () => R): R {
      frame = f;
      let out: R;
      try {
        out = fn();
      } catch (err) {
        frame = undefined;
        throw err;
      }
      if (!(out instanceof Promise)) {
        frame = undefined;
        return out;
      }
      return out.finally(() => frame = undefined) as R;
    },
  };
}
