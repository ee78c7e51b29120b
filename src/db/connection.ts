import { DatabaseSync, type DatabaseSyncOptions, type SQLInputValue, type StatementSync } from "node:sqlite";
import { AppError } from "../domain/errors.ts";

export type Row = Record<string, unknown>;

/** How long a write waits for another process's transaction before giving up (busy). */
const BUSY_TIMEOUT_MS = 10_000;
/** A synchronous sleep (Atomics.wait) between attempts to take the write lock. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
const isBusy = (err: unknown) =>
  (err as { errcode?: number }).errcode === 5 || /database is locked|SQLITE_BUSY/i.test(String(err));
export type Param = SQLInputValue;

/**
 * One SQLite connection with the original's pragmas, a statement cache and `tx()`.
 * Integers are read as bigint (nanosecond timestamps exceed 2^53) and converted to numbers here.
 */
export class Db {
  readonly raw: DatabaseSync;
  readonly path: string;
  #cache = new Map<string, StatementSync>();
  #depth = 0;

  constructor(path: string, opts: { readOnly?: boolean } = {}) {
    this.path = path;
    try {
      // readBigInts is honoured at runtime but missing from the bundled node types.
      const options = { readBigInts: true, readOnly: opts.readOnly ?? false } as DatabaseSyncOptions;
      this.raw = new DatabaseSync(path, options);
    } catch (err) {
      throw new AppError("internal", `open database ${path}: ${(err as Error).message}`, { cause: err });
    }
    this.raw.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!opts.readOnly && path !== ":memory:") this.raw.exec("PRAGMA journal_mode = WAL");
    this.raw.exec("PRAGMA synchronous = NORMAL");
    // A queue transaction dirties ~14 pages; checkpointing every 1,000 frames (the default) made one
    // commit in ~70 pay a copy and an fsync. Ten times fewer checkpoints copy hot pages once.
    this.raw.exec("PRAGMA wal_autocheckpoint = 10000");
    this.raw.exec("PRAGMA foreign_keys = ON");
  }

  #stmt(sql: string): StatementSync {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  /** All rows of a query, integers as numbers. */
  all<T = Row>(sql: string, ...params: Param[]): T[] {
    return this.#stmt(sql).all(...params).map((r) => numbers(r as Row) as T);
  }

  /** The first row or undefined. */
  get<T = Row>(sql: string, ...params: Param[]): T | undefined {
    const r = this.#stmt(sql).get(...params);
    return r ? numbers(r as Row) as T : undefined;
  }

  /** Runs a write; returns the number of changed rows. */
  run(sql: string, ...params: Param[]): number {
    return Number(this.#stmt(sql).run(...params).changes);
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  get inTx(): boolean {
    return this.#depth > 0;
  }

  /**
   * Runs fn in one `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so a read
   * followed by a write never fails with SQLITE_BUSY). Nested calls join the outer transaction.
   * With `rollback` (a dry run) fn's writes are always undone — inside an outer transaction through a
   * savepoint — and fn's value is returned.
   */
  tx<T>(fn: () => T, opts: { rollback?: boolean } = {}): T {
    if (this.#depth > 0) {
      if (opts.rollback) this.raw.exec("SAVEPOINT dry_run");
      this.#depth++;
      try {
        return fn();
      } finally {
        this.#depth--;
        if (opts.rollback) {
          try {
            this.raw.exec("ROLLBACK TO dry_run");
            this.raw.exec("RELEASE dry_run");
          } catch { /* the transaction may already be gone */ }
        }
      }
    }
    this.#begin();
    this.#depth = 1;
    try {
      const out = fn();
      this.raw.exec(opts.rollback ? "ROLLBACK" : "COMMIT");
      return out;
    } catch (err) {
      try {
        this.raw.exec("ROLLBACK");
      } catch { /* the transaction may already be gone */ }
      throw err;
    } finally {
      this.#depth = 0;
    }
  }

  /**
   * BEGIN IMMEDIATE, retried in our own short, jittered steps (0.05 ms doubling to 2 ms) for up to
   * the busy timeout. SQLite's own busy handler sleeps 1, 2, 5, 10 … 100 ms between attempts, so a
   * writer queued behind a few others slept long after the lock came free (hundreds of ms at p99).
   */
  #begin(): void {
    this.raw.exec("PRAGMA busy_timeout = 0");
    try {
      const deadline = performance.now() + BUSY_TIMEOUT_MS;
      for (let wait = 0.05;; wait = Math.min(wait * 2, 2)) {
        try {
          this.raw.exec("BEGIN IMMEDIATE");
          return;
        } catch (err) {
          if (!isBusy(err) || performance.now() > deadline) throw err;
        }
        Atomics.wait(SLEEPER, 0, 0, wait * (0.5 + Math.random()));
      }
    } finally {
      this.raw.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  close(): void {
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

/** Binds a nanosecond timestamp (or null) exactly. */
export const ns = (v: number | null | undefined): bigint | null =>
  v === null || v === undefined ? null : BigInt(Math.round(v));
