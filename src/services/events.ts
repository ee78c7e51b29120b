import type { Store } from "../db/store.ts";
import type { Activity } from "../domain/models.ts";
import {
  activityAfter,
  activityFrom,
  activityIdAt,
  activityTail,
  dataVersion,
  listenActivity,
  positionsReused,
} from "../db/repos/changes.ts";

/** One write as the live feed delivers it: the activity row plus its position (`seq`) in the log. */
export type ChangeEvent = Activity & { seq: number };

export interface SubscribeOptions {
  /** Only events of this project (its id); a project's own delete event included. */
  projectId?: string;
  /** Replay the events after this log position first (SSE `Last-Event-ID`). */
  after?: number;
}

type Listener = (e: ChangeEvent) => void;

/**
 * Hears when the feed's timed reads of the log start failing (a locked or unreachable database; the
 * feed keeps retrying) and when one succeeds again: once each, not at every tick.
 */
export interface FeedHealth {
  failing(err: unknown): void;
  recovered(): void;
}
interface Sub {
  fn: Listener;
  projectId?: string;
}

const BATCH = 500;
const REPLAY_MAX = 1000;
const RECENT_MAX = 2000;
/** Read the log tail every Nth tick even when nothing signalled a change (a cheap safety net). */
const SAFETY_EVERY = 4;
/** Listening for notifications (PostgreSQL), the safety read runs about this often instead. */
const SAFETY_LISTENING_MS = 1000;

/** Whether an event belongs to a project. */
export function inProject(e: ChangeEvent, projectId: string): boolean {
  return e.project_id === projectId || (e.entity === "project" && e.entity_id === projectId);
}

/**
 * The live change feed: every write by any process on the database, read from the activity log.
 *
 * SQLite: it polls `PRAGMA data_version` (moves on other connections' commits) a few times a second
 * and reads the rows past the last seen rowid; `poke()` asks for a read after this connection's own
 * writes, which data_version does not report.
 *
 * PostgreSQL: it LISTENs on the channel the activity trigger notifies at every commit (writes made
 * through any server or CLI on the database, this one's included) and reads the rows past the last
 * seen `seq` as soon as one arrives; a read every second or so covers a lost notification, and every
 * tick while it cannot listen. `seq` is assigned in commit order, so a transaction that commits late
 * still lands after everything already delivered.
 *
 * One feed serves any number of subscribers and polls (and listens) only while it has some.
 */
export class ChangeFeed {
  #db: Store;
  #intervalMs: number;
  #timer?: Awaited<ReturnType<typeof setInterval>>;
  #subs = new Set<Sub>();
  #cursor = 0;
  #cursorId = "";
  #lastCreated = 0;
  #dv = -1;
  #poked = false;
  #ticks = 0;
  /** A notification arrived (PostgreSQL): the next read is due. */
  #notified = false;
  /** Stops listening; undefined while not listening (SQLite, no subscribers, or LISTEN failed). */
  #unlisten?: () => Promise<void>;
  /** The last stop of the listener, awaited before listening again. */
  #unlistening: Promise<void> = Promise.resolve();
  #recent = new Set<string>();
  /** Every read of the log runs in this chain, one at a time (ticks, subscribes, polls). */
  #chain: Promise<unknown> = Promise.resolve();
  #ticking = false;
  /** The last timer read failed (the log is being retried). */
  #failing = false;
  #health?: FeedHealth;

  constructor(db: Store, opts: { intervalMs?: number; health?: FeedHealth } = {}) {
    this.#db = db;
    this.#intervalMs = opts.intervalMs ?? 200;
    this.#health = opts.health;
  }

  /** Runs fn after every read of the log queued before it, so two reads never overlap. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => {});
    return run;
  }

  /** The log position of the last event seen (the end of the log when idle). */
  position(): Promise<number> {
    return this.#serial(async () => {
      if (this.#timer === undefined) await this.#sync();
      return this.#cursor;
    });
  }

  /**
   * Calls `fn` for every new event until the returned function is called. With `after`, the
   * events after that position are replayed first; nothing is delivered twice or skipped between
   * the replay and the live events (no read of the log runs in between).
   */
  subscribe(fn: Listener, opts: SubscribeOptions = {}): Promise<() => void> {
    return this.#serial(async () => {
      if (this.#timer === undefined) {
        // Listening before the tail is read: any commit after that read is notified.
        await this.#listen();
        try {
          await this.#sync();
        } catch (err) {
          this.#stop();
          throw err;
        }
        this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
      }
      const sub: Sub = { fn, projectId: opts.projectId };
      if (opts.after !== undefined && opts.after < this.#cursor) {
        for (const e of await activityAfter(this.#db, opts.after, REPLAY_MAX)) {
          if (e.seq <= this.#cursor) deliver(sub, e);
        }
      }
      this.#subs.add(sub);
      return () => {
        this.#subs.delete(sub);
        if (!this.#subs.size) this.#stop();
      };
    });
  }

  /** Marks that this connection wrote something: the next tick reads the log. */
  poke(): void {
    this.#poked = true;
  }

  /** Reads the log now and delivers what is new; returns the new events. */
  poll(): Promise<ChangeEvent[]> {
    return this.#serial(async () => (await this.#poll()).events);
  }

  /**
   * `read`: whether the database answered (SQLite's data_version is a statement; PostgreSQL's feed
   * asks the server only when a read is due), so a tick that asked nothing says nothing of its health.
   */
  async #poll(): Promise<{ events: ChangeEvent[]; read: boolean }> {
    const dv = await dataVersion(this.#db);
    const safetyEvery = this.#unlisten
      ? Math.max(1, Math.round(SAFETY_LISTENING_MS / this.#intervalMs))
      : this.#db.dialect === "sqlite"
      ? SAFETY_EVERY
      : 1;
    const due = dv !== this.#dv || this.#poked || this.#notified || ++this.#ticks % safetyEvery === 0;
    this.#dv = dv;
    this.#poked = false;
    this.#notified = false;
    if (!due) return { events: [], read: this.#db.dialect === "sqlite" };
    const events = await this.#read();
    for (const e of events) {
      for (const s of this.#subs) deliver(s, e);
    }
    return { events, read: true };
  }

  /** Drops every subscriber and stops polling and listening (the store's close ends its listener). */
  close(): void {
    this.#subs.clear();
    this.#stop();
  }

  /** One timer tick: skipped while the previous one is still reading (which then ticks again). */
  #tick(): void {
    if (this.#ticking) return;
    this.#ticking = true;
    // A locked or unreachable database: the next tick retries (`health` hears of it once).
    const polled = this.#serial(async () => await this.#poll());
    void polled.then((p) => p.read && this.#changed(false), (err) => this.#changed(true, err)).finally(() => {
      this.#ticking = false;
      // A notification that arrived during the read: read again now rather than at the next tick.
      if (this.#notified && this.#timer !== undefined) this.#tick();
    });
  }

  /** Tells `health` when the timer's reads start or stop failing. */
  #changed(failing: boolean, err?: unknown): void {
    if (failing === this.#failing) return;
    this.#failing = failing;
    try {
      if (failing) this.#health?.failing(err);
      else this.#health?.recovered();
    } catch { /* a failing reporter must not stop the feed */ }
  }

  /** A notification (or a listener that came back after a gap): read the log now. */
  #wake(): void {
    this.#notified = true;
    if (this.#timer !== undefined) this.#tick();
  }

  /** Starts listening where the store can (PostgreSQL); a failure leaves the feed polling. */
  async #listen(): Promise<void> {
    await this.#unlistening;
    try {
      this.#unlisten = await listenActivity(this.#db, () => this.#wake(), () => this.#wake());
    } catch {
      this.#unlisten = undefined; // no listening connection: every tick reads the log instead
    }
  }

  async #read(): Promise<ChangeEvent[]> {
    const reused = positionsReused(this.#db);
    const tail = await activityTail(this.#db);
    if (!tail) {
      // An empty log: SQLite starts its rowids again; PostgreSQL's seq only grows.
      if (reused) {
        this.#cursor = 0;
        this.#cursorId = "";
      }
      return [];
    }
    if (tail.rowid === this.#cursor && tail.id === this.#cursorId) return [];
    // PostgreSQL: the newest rows were deleted (project delete); later ones get larger positions.
    if (!reused && tail.rowid <= this.#cursor) return [];
    let events: ChangeEvent[];
    if (
      !reused || this.#cursor === 0 ||
      await activityIdAt(this.#db, this.#cursor) === this.#cursorId
    ) {
      events = await activityAfter(this.#db, this.#cursor, BATCH);
    } else {
      // The rows at the end of the log were deleted (project delete) and SQLite reuses their
      // rowids: find the new rows by time instead, skipping those already delivered.
      events = (await activityFrom(this.#db, this.#lastCreated, BATCH)).filter((e) =>
        !this.#recent.has(e.id)
      );
    }
    if (events.length === BATCH) this.#poked = true;
    const last = events.at(-1);
    if (last) {
      this.#cursor = last.seq;
      this.#cursorId = last.id;
    } else {
      this.#cursor = tail.rowid;
      this.#cursorId = tail.id;
    }
    for (const e of events) {
      if (e.created_at > this.#lastCreated) this.#lastCreated = e.created_at;
      this.#remember(e.id);
    }
    return events;
  }

  #remember(id: string): void {
    this.#recent.add(id);
    if (this.#recent.size > RECENT_MAX) this.#recent.delete(this.#recent.values().next().value!);
  }

  async #sync(): Promise<void> {
    // Change signals first, then the tail: a commit after the tail was read still moves
    // data_version or sets a flag, so the next tick reads it.
    this.#dv = await dataVersion(this.#db);
    this.#poked = false;
    this.#notified = false;
    const tail = await activityTail(this.#db);
    this.#cursor = tail?.rowid ?? 0;
    this.#cursorId = tail?.id ?? "";
    this.#lastCreated = tail?.created_at ?? 0;
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    if (unlisten) this.#unlistening = unlisten().catch(() => {});
  }
}

function deliver(s: Sub, e: ChangeEvent): void {
  if (s.projectId && !inProject(e, s.projectId)) return;
  try {
    s.fn(e);
  } catch {
    // One failing subscriber (a closed stream) must not stop the others.
  }
}

/**
 * The feed as an async iterator: yields every new event (of one project, when given) until the
 * signal aborts. Used by `backlog watch`.
 */
export async function* changes(
  feed: ChangeFeed,
  opts: SubscribeOptions & { signal?: AbortSignal } = {},
): AsyncGenerator<ChangeEvent> {
  const queue: ChangeEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = await feed.subscribe((e) => {
    queue.push(e);
    wake?.();
  }, opts);
  const onAbort = () => wake?.();
  opts.signal?.addEventListener("abort", onAbort);
  try {
    while (!opts.signal?.aborted) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
    opts.signal?.removeEventListener("abort", onAbort);
  }
}
