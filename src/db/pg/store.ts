// @ts-types="npm:@types/pg@^8"
import type { Client, Pool, PoolClient, QueryResult } from "pg";
import { AppError } from "../../domain/errors.ts";
import { nestedTx, type Param, type Row, type Store, type TxContext, type TxOptions } from "../store.ts";
import { pgError, type PgUrl, redactUrl, withDeadline } from "./connection.ts";
import { Gate } from "./gate.ts";
import { after, sleep } from "./timer.ts";
import type { ListenOptions, NotifyHandler, PgListener } from "./listen.ts";
import { type DriverError, PgSqlError, type PgStatement, PlaceholderCache, sqliteWording } from "./sql.ts";
import {
  backoffMs,
  LAST_LOCK,
  LOCK,
  MAX_TX_ATTEMPTS,
  retryable,
  stalePlan,
  UNLOCK,
  WRITE_LOCK,
} from "./tx_rules.ts";

export { LAST_LOCK, MAX_TX_ATTEMPTS, WRITE_LOCK } from "./tx_rules.ts";

export type Isolation = "read committed" | "repeatable read" | "serializable";

export interface PgTxOptions extends TxOptions {
  /**
   * Outermost only. Default: SERIALIZABLE for writes, REPEATABLE READ for `readOnly`. The migrator
   * uses READ COMMITTED so that a statement run after waiting for a lock sees what the holder wrote.
   */
  isolation?: Isolation;
}

/** How long close() lets running transactions finish before it cuts their connections. */
const CLOSE_GRACE_MS = 2000;

/** One outermost transaction: its client, savepoint depth, and whether it lost a conflict. */
export interface Frame {
  client: PoolClient;
  depth: number;
  /** Set when the transaction ends: work still running from fn no longer joins it. */
  done: boolean;
  /** A serialization failure or deadlock seen inside, even if fn caught it: the attempt must retry. */
  conflict?: unknown;
  /** BEGIN, sent but not yet awaited: the first statement goes out behind it (pipelined). */
  begun?: Promise<unknown>;
  /** BEGIN's failure, when the first statement found it. */
  beginError?: unknown;
}

const noop = () => {};
const closedError = () => new AppError("internal", "database is closed");

/**
 * The PostgreSQL store: a pool of connections behind the same port as SqliteStore.
 *
 * - SQL is the repos' SQLite-flavoured SQL with `?` / `?N` placeholders, rewritten to `$n` (cached).
 * - int8 and numeric read as numbers, bytea as Uint8Array; bigint and Uint8Array parameters bind.
 * - `tx()` holds one pooled connection from BEGIN to COMMIT; which transaction a query belongs to
 *   follows the async context (AsyncLocalStorage), so any query or tx() reached from fn joins it.
 *   Queries from outside use the pool (autocommit) and never see its uncommitted rows.
 * - Writes run SERIALIZABLE (SQLite's one-writer-at-a-time results, without the single writer): a
 *   serialization failure or deadlock reruns the whole fn, up to MAX_TX_ATTEMPTS times. fn may
 *   therefore run more than once: it must not have effects outside the database before it returns.
 * - A failed statement aborts the whole PostgreSQL transaction (SQLite only fails the statement):
 *   code that catches an error and carries on inside a transaction must use `{ savepoint: true }`.
 */
export class PgStore implements Store {
  readonly dialect = "postgres" as const;
  /** The server URL with its password hidden. */
  readonly path: string;
  readonly url: PgUrl;
  readonly max: number;
  /** The schema version read when the store opened (its first round trip); migratePg takes it once. */
  openedVersion: number | undefined;
  #pool: Pool;
  #newClient: () => Client;
  #als: TxContext<Frame>;
  #sql = new PlaceholderCache();
  /** Free pool slots; a caller waits here (FIFO) rather than in the driver, so close() can fail it. */
  #slots: Gate;
  #inUse = new Set<PoolClient>();
  #listener: PgListener | undefined;
  /** Whether a serializable write of this process holds or awaits WRITE_LOCK; the ones waiting. */
  #turn = new Gate(1);
  #closed = false;

  constructor(
    raw: string,
    url: PgUrl,
    pool: Pool,
    newClient: () => Client,
    max: number,
    als: TxContext<Frame>,
  ) {
    this.#als = als;
    this.path = redactUrl(raw);
    this.url = url;
    this.#pool = pool;
    this.#newClient = newClient;
    this.max = max;
    this.#slots = new Gate(max);
  }

  get inTx(): boolean {
    const f = this.#als.getStore();
    return f !== undefined && !f.done;
  }

  async all<T = Row>(sql: string, ...params: Param[]): Promise<T[]> {
    return (await this.#query(this.#sql.get(sql), params)).rows as T[];
  }

  async get<T = Row>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return (await this.#query(this.#sql.get(sql), params)).rows[0] as T | undefined;
  }

  async run(sql: string, ...params: Param[]): Promise<number> {
    return (await this.#query(this.#sql.get(sql), params)).rowCount ?? 0;
  }

  /** Runs statements as they are (no placeholders), in the caller's transaction if there is one. */
  async exec(sql: string): Promise<void> {
    await this.#query({ text: sql }, []);
  }

  /** NOTIFY (transactional: sent when the caller's transaction commits, never if it rolls back). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.#query(NOTIFY, [channel, payload]);
  }

  /**
   * Calls fn with the payload of every NOTIFY on channel, over one dedicated connection shared by all
   * listeners and re-opened when it drops (opts.onReconnect then runs). Resolves to an unsubscribe
   * function. Raises AppError when the server cannot be reached.
   */
  async listen(channel: string, fn: NotifyHandler, opts?: ListenOptions): Promise<() => Promise<void>> {
    if (this.#closed) throw closedError();
    // Loaded on first use: a one-shot command never listens.
    const { PgListener } = await import("./listen.ts");
    if (this.#closed) throw closedError();
    this.#listener ??= new PgListener(async () => {
      const c = this.#newClient();
      c.on("error", noop);
      try {
        await withDeadline(c.connect(), this.#connectTimeout() + 1000, this.url);
      } catch (err) {
        c.end().catch(noop);
        throw pgError(err, this.url);
      }
      return c;
    });
    return await this.#listener.listen(channel, fn, opts);
  }

  /**
   * Runs fn in one transaction. Outermost: BEGIN (SERIALIZABLE, or REPEATABLE READ READ ONLY for
   * `readOnly`), fn, COMMIT — or ROLLBACK for a dry run; the whole of it again after a
   * serialization failure or deadlock. Nested calls join; a nested dry run or savepoint call runs in
   * a SAVEPOINT, exactly as SqliteStore does.
   */
  async tx<T>(fn: () => Promise<T>, opts: PgTxOptions = {}): Promise<T> {
    const f = this.#als.getStore();
    if (f && !f.done) {
      return await nestedTx(
        f,
        (sql) => this.#on(f, { text: sql }, []),
        () => f.done,
        fn,
        opts,
      );
    }
    const isolation = opts.isolation ?? (opts.readOnly ? "repeatable read" : "serializable");
    const begin = `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}${opts.readOnly ? " READ ONLY" : ""}`;
    const guarded = !opts.readOnly; // every write, READ COMMITTED claims too: the last attempt excludes them all
    for (let attempt = 1;; attempt++) {
      if (attempt > 1) await sleep(backoffMs(attempt - 1));
      // A serializable write waits its turn (before BEGIN, so its snapshot follows the last write):
      // first behind this process's other writes, holding no connection, then for WRITE_LOCK.
      const serialize = !opts.readOnly && isolation === "serializable";
      const endTurn = serialize ? await this.#writeTurn() : noop;
      let c: PoolClient;
      try {
        c = await this.#acquire();
      } catch (err) {
        endTurn();
        throw err;
      }
      const frame: Frame = { client: c, depth: 0, done: false };
      const last = guarded && attempt === MAX_TX_ATTEMPTS;
      let locked = false;
      let alone = false;
      let broken: Error | undefined;
      let result: { value: T } | undefined;
      let failure: unknown;
      let unlocking: Promise<unknown> | undefined;
      try {
        try {
          let lock: Promise<unknown> | undefined;
          if (serialize) {
            lock = c.query(LOCK, [WRITE_LOCK]);
            void lock.catch(noop);
            locked = true;
          }
          if (last) {
            await lock;
            await c.query(LOCK, [LAST_LOCK]);
            alone = true;
          }
          // Not awaited: fn's first statement (or the COMMIT) goes out right behind the write lock
          // and BEGIN, and they share a round trip. The server runs it only after them; #on or
          // #begun below reads their outcome (a failure there fails the attempt as before).
          const begun = c.query(
            guarded && !last ? `${begin}; SELECT pg_advisory_xact_lock_shared(${LAST_LOCK})` : begin,
          );
          frame.begun = lock && !last ? Promise.all([lock, begun]) : begun;
          void frame.begun.catch(noop);
        } catch (err) {
          broken = err as Error;
          throw this.#error(err);
        }
        try {
          const value = await this.#als.run(frame, fn);
          if (!frame.conflict) result = { value };
        } catch (err) {
          failure = err;
        }
        frame.done = true;
        try {
          await this.#begun(frame);
        } catch (err) {
          broken = err as Error;
          throw this.#error(err);
        }
        if (result) {
          const end = c.query(opts.rollback ? "ROLLBACK" : "COMMIT");
          // The write lock goes with the COMMIT: held until the commit is done, not a round trip more.
          if (locked && !alone) void (unlocking = c.query(UNLOCK, [WRITE_LOCK])).catch(noop);
          try {
            // A write a failed statement had aborted ends in ROLLBACK even when COMMIT is sent (fn
            // did not see the failure: it was caught, or not its own): nothing was written, so it is
            // never reported as done.
            const ended = await end;
            const tag = (Array.isArray(ended) ? ended[ended.length - 1] : ended).command;
            if (opts.rollback || opts.readOnly || tag !== "ROLLBACK") return result.value;
            // Rerun when a conflict failed it; a failure fn swallowed is a bug to report.
            if (frame.conflict === undefined) {
              throw new AppError(
                "internal",
                "the transaction was rolled back at COMMIT: a statement in it failed",
              );
            }
          } catch (err) {
            // A serialization failure at COMMIT rolled the transaction back: run it again.
            if (!retryable(err)) throw this.#error(err);
            frame.conflict = err;
          }
        } else {
          await c.query("ROLLBACK").catch((err) => (broken = err));
        }
      } finally {
        frame.done = true;
        if (alone) {
          await c.query(UNLOCK, [LAST_LOCK]).catch((err) => (broken ??= err));
        }
        if (locked) {
          await (unlocking ?? c.query(UNLOCK, [WRITE_LOCK])).catch((err) => (broken ??= err));
        }
        const stale = frame.conflict ?? failure;
        this.#release(c, broken ?? (stalePlan(stale) ? stale as Error : undefined));
        endTurn();
      }
      // fn's own error, as thrown (its queries' errors are already translated).
      if (frame.conflict === undefined && !retryable(failure)) throw failure;
      if (attempt >= MAX_TX_ATTEMPTS) {
        const conflict = frame.conflict ?? failure;
        throw new AppError(
          "internal",
          "database is busy (concurrent transactions kept conflicting), try again",
          { cause: conflict, details: { sqlstate: (conflict as DriverError).code } },
        );
      }
    }
  }

  /**
   * Waits for this process's turn to write (FIFO, holding no connection); resolves to the function
   * that passes the turn on. Raises "database is closed" when the store closes meanwhile.
   */
  async #writeTurn(): Promise<() => void> {
    if (this.#closed) throw closedError();
    await this.#turn.enter();
    let passed = false;
    return () => {
      if (!passed) (passed = true, this.#turn.leave());
    };
  }

  /** Runs one statement: on the caller's transaction's connection, or on a pooled one (autocommit). */
  async #query(stmt: PgStatement, params: Param[]): Promise<QueryResult> {
    const f = this.#als.getStore();
    if (f && !f.done) return await this.#on(f, stmt, params);
    for (let attempt = 1;; attempt++) {
      if (attempt > 1) await sleep(backoffMs(attempt - 1));
      const c = await this.#acquire();
      let out: QueryResult | QueryResult[] | undefined;
      let failure: unknown;
      try {
        out = await this.#send(c, stmt, params as unknown[]);
      } catch (err) {
        failure = err;
      } finally {
        this.#release(c, stalePlan(failure) ? failure as Error : undefined);
      }
      if (out) return last(out);
      // A single statement that lost a conflict was rolled back whole: running it again is safe.
      if (!retryable(failure) || attempt >= MAX_TX_ATTEMPTS) throw this.#error(failure);
    }
  }

  /** Sends one statement: under its name (prepared once per connection) when it has parameters. */
  #send(c: PoolClient, s: PgStatement, params: unknown[]): Promise<QueryResult | QueryResult[]> {
    if (params.length && s.name) {
      return c.query({ text: s.text, name: s.name, values: params });
    }
    return c.query(s.text, params);
  }

  /** Waits for the frame's BEGIN if it is still out; rethrows its failure (again, once seen). */
  async #begun(f: Frame): Promise<void> {
    if (f.beginError !== undefined) throw f.beginError;
    const b = f.begun;
    if (!b) return;
    f.begun = undefined;
    try {
      await b;
    } catch (err) {
      f.beginError = err;
      throw err;
    }
  }

  async #on(f: Frame, stmt: PgStatement, params: unknown[]): Promise<QueryResult> {
    try {
      if (f.begun || f.beginError !== undefined) {
        const sent = this.#send(f.client, stmt, params);
        void sent.catch(noop);
        await this.#begun(f);
        return last(await sent);
      }
      return last(await this.#send(f.client, stmt, params));
    } catch (err) {
      if (retryable(err)) f.conflict ??= err;
      throw this.#error(err);
    }
  }

  #connectTimeout(): number {
    return (this.#pool.options as { connectionTimeoutMillis?: number }).connectionTimeoutMillis ?? 5000;
  }

  async #acquire(): Promise<PoolClient> {
    if (this.#closed) throw closedError();
    await this.#slots.enter();
    let c: PoolClient;
    try {
      c = await this.#pool.connect();
    } catch (err) {
      this.#slots.leave();
      throw this.#closed ? closedError() : pgError(err, this.url);
    }
    // A connection lost between statements emits "error" on the checked-out client.
    c.on("error", noop);
    this.#inUse.add(c);
    return c;
  }

  #release(c: PoolClient, broken?: Error): void {
    c.removeListener("error", noop);
    this.#inUse.delete(c);
    c.release(broken);
    this.#slots.leave();
  }

  /** Driver errors as the rest of the app reads them (see PgSqlError and pgError). */
  #error(err: unknown): Error {
    if (err instanceof AppError || err instanceof PgSqlError) return err;
    const e = err as DriverError;
    if (/Cannot use a pool after calling end/.test(e?.message ?? "")) return closedError();
    // Not a server's error (no severity), or one about reaching it: connection, authentication,
    // resources, shutdown.
    if (typeof e?.severity !== "string" || /^(08|28|3D|53|57P)/.test(e.code ?? "")) {
      return pgError(err, this.url);
    }
    const pw = this.url.password;
    const first = String(e.message ?? err).split("\n")[0];
    return new PgSqlError(sqliteWording(e) ?? (pw ? first.replaceAll(pw, "***") : first), e, err);
  }

  /**
   * Ends the pool. Callers waiting for a connection fail at once ("database is closed"), as does any
   * later call; transactions still running get a short grace period, then their connections are cut.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#slots.close(closedError());
    this.#turn.close(closedError());
    await this.#listener?.close();
    const ended = this.#pool.end().catch(noop);
    let cancel = () => {};
    const late = new Promise<void>((resolve) => {
      cancel = after(CLOSE_GRACE_MS, () => {
        for (const c of this.#inUse) (c as unknown as Client).end().catch(noop);
        // A transaction whose fn never returns keeps its (now dead) connection checked out: stop
        // waiting for it.
        cancel = after(CLOSE_GRACE_MS, resolve);
      });
    });
    try {
      await Promise.race([ended, late]);
    } finally {
      cancel();
    }
  }
}

const NOTIFY: PgStatement = { text: "SELECT pg_notify($1, $2)", name: "backlog_notify" };
const last = (r: QueryResult | QueryResult[]): QueryResult => Array.isArray(r) ? r[r.length - 1] : r;
