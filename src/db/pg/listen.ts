// @ts-types="npm:@types/pg@^8"
import type { Client, Notification } from "pg";

/** Reconnect delays after the listening connection drops: 100 ms doubling to 5 s, jittered. */
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;

export type NotifyHandler = (payload: string) => void;

export interface ListenOptions {
  /**
   * Called after the connection dropped and came back (channels listened again). Notifications sent
   * in between are lost: re-read what may have changed.
   */
  onReconnect?: () => void;
}

interface Sub {
  fn: NotifyHandler;
  onReconnect?: () => void;
}

/** Quotes a channel name as an identifier (LISTEN takes no parameters). */
export const quoteIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/**
 * LISTEN/NOTIFY on one dedicated connection (outside the pool, so it never takes a transaction's
 * slot). Subscribers share it; when it drops it is re-opened in the background with backoff and
 * every channel is listened again. Ended when the last subscriber leaves or on close().
 */
export class PgListener {
  #open: () => Promise<Client>;
  #client: Client | null = null;
  #opening: Promise<Client> | null = null;
  #subs = new Map<string, Set<Sub>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryMs = FIRST_RETRY_MS;
  #closed = false;
  /** A connection dropped since the last open: subscribers must hear about the gap. */
  #gap = false;

  /** open: a connected client (errors already translated for the caller). */
  constructor(open: () => Promise<Client>) {
    this.#open = open;
  }

  /** Whether a connection is open now (for tests and health checks). */
  get connected(): boolean {
    return this.#client !== null;
  }

  async listen(channel: string, fn: NotifyHandler, opts: ListenOptions = {}): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error("listener is closed");
    const sub: Sub = { fn, onReconnect: opts.onReconnect };
    let set = this.#subs.get(channel);
    if (!set) this.#subs.set(channel, set = new Set());
    set.add(sub);
    try {
      const c = await this.#ensure();
      await c.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (err) {
      await this.#remove(channel, sub);
      throw err;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.#remove(channel, sub);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#subs.clear();
    const c = this.#client ?? await this.#opening?.catch(() => null);
    this.#client = null;
    await c?.end().catch(() => {});
  }

  async #remove(channel: string, sub: Sub): Promise<void> {
    const set = this.#subs.get(channel);
    if (!set?.delete(sub) || set.size) return;
    this.#subs.delete(channel);
    if (this.#subs.size === 0) this.#gap = false;
    const c = this.#client;
    if (!c) return;
    if (this.#subs.size === 0) {
      this.#client = null;
      await c.end().catch(() => {});
    } else await c.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
  }

  /** The open connection, opening it (and listening every channel) when there is none. */
  #ensure(): Promise<Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#opening ??= this.#connect().finally(() => (this.#opening = null));
    return this.#opening;
  }

  async #connect(): Promise<Client> {
    const c = await this.#open();
    let lost = false;
    const drop = () => {
      if (lost) return;
      lost = true;
      c.end().catch(() => {});
      if (this.#client === c) this.#client = null;
      this.#gap = true;
      this.#scheduleReconnect();
    };
    c.on("error", drop);
    c.on("end", drop);
    c.on("notification", (m: Notification) => this.#deliver(m));
    try {
      for (const ch of this.#subs.keys()) await c.query(`LISTEN ${quoteIdent(ch)}`);
    } catch (err) {
      lost = true;
      await c.end().catch(() => {});
      throw err;
    }
    if (this.#closed || this.#subs.size === 0) {
      lost = true;
      await c.end().catch(() => {});
      throw new Error("listener is closed");
    }
    this.#client = c;
    this.#retryMs = FIRST_RETRY_MS;
    if (this.#gap) {
      this.#gap = false;
      for (const set of this.#subs.values()) {
        for (const s of set) {
          try {
            s.onReconnect?.();
          } catch { /* one failing subscriber must not stop the others */ }
        }
      }
    }
    return c;
  }

  #deliver(m: Notification): void {
    for (const s of this.#subs.get(m.channel) ?? []) {
      try {
        s.fn(m.payload ?? "");
      } catch { /* one failing subscriber must not stop the others */ }
    }
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#subs.size === 0 || this.#timer !== undefined) return;
    const wait = this.#retryMs * (0.5 + Math.random());
    this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
    this.#timer = setTimeout(async () => {
      this.#timer = undefined;
      if (this.#closed || this.#subs.size === 0 || this.#client) return;
      await this.#ensure().catch(() => this.#scheduleReconnect());
    }, wait);
  }
}
