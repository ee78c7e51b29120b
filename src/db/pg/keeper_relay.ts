/**
 * The keeper's byte relay (keeper_main.ts): a scanner that follows the wire protocol's message
 * boundaries without holding any bytes, the server session whose reader forwards what it reads
 * (waiting for each write: a slow command slows the server, nothing piles up in the keeper), and
 * small socket helpers.
 */
import { concat, Out } from "./wire_codec.ts";

export const Z = 90, E = 69, X = 88, S = 83, Q = 81;
/** No message a command or the server sends in backlog comes near this (attachments are ≤ 25 MB). */
const MAX_MESSAGE = 1 << 30;

/**
 * Follows messages (type byte, int32 length, body) across chunks. `feed` reports the types of the
 * messages that ended in a chunk and where a message of type `stop` starts in it; a length below 4
 * or above 1 GiB is an error (the connection is then closed).
 */
export class Scanner {
  /** The last ReadyForQuery's transaction status: 'I' idle, 'T' in a transaction, 'E' failed one. */
  status = 73;
  #head = new Uint8Array(5);
  #got = 0;
  #left = 0;
  feed(b: Uint8Array, stop = -1): { ended: number[]; stopAt: number } {
    const ended: number[] = [];
    for (let i = 0; i < b.length;) {
      if (this.#got < 5) {
        if (this.#got === 0 && b[i] === stop) return { ended, stopAt: i };
        this.#head[this.#got++] = b[i++];
        if (this.#got < 5) continue;
        const len = new DataView(this.#head.buffer).getInt32(1);
        if (len < 4 || len > MAX_MESSAGE) throw new Error(`malformed message length ${len}`);
        this.#left = len - 4;
      } else {
        if (this.#head[0] === Z) this.status = b[i]; // its one-byte body
        const take = Math.min(this.#left, b.length - i);
        i += take;
        this.#left -= take;
      }
      if (this.#left === 0) ended.push(this.#head[0]), this.#got = 0;
    }
    return { ended, stopAt: -1 };
  }
  /** Whether the stream stopped inside a message. */
  get partial(): boolean {
    return this.#got > 0;
  }
}

/** Ordered whole writes on a socket; each call resolves when its bytes are written. */
export function writer(conn: Deno.Conn): (b: Uint8Array) => Promise<void> {
  let chain = Promise.resolve();
  return (b) =>
    chain = chain.then(async () => {
      for (let i = 0; i < b.length;) i += await conn.write(b.subarray(i));
    });
}

export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* closed */ }
}

/**
 * A logged-in server session. Its reader hands each chunk, with the messages that ended in it, to
 * whoever holds the session now, and reads on only when that sink is done with it (the chunk is
 * reused). On its end the sink hears an empty chunk.
 */
export class Backend {
  dead = false;
  sink: ((b: Uint8Array, ended: number[]) => Promise<void> | void) | null = null;
  onDead: () => void = () => {};
  readonly write: (b: Uint8Array) => Promise<void>;
  readonly born = Date.now();
  readonly #scan = new Scanner();
  constructor(readonly conn: Deno.Conn, rest: Uint8Array) {
    this.write = writer(conn);
    void this.#read(rest);
  }
  get status(): number {
    return this.#scan.status;
  }
  async #read(rest: Uint8Array): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    try {
      await this.#feed(rest);
      for (let n = await this.conn.read(chunk); n !== null; n = await this.conn.read(chunk)) {
        await this.#feed(chunk.subarray(0, n));
      }
    } catch { /* ended, or a malformed message */ }
    this.close();
  }
  async #feed(b: Uint8Array): Promise<void> {
    const { ended } = this.#scan.feed(b);
    if (b.length) await this.sink?.(b, ended);
  }
  close(): void {
    if (this.dead) return;
    this.dead = true;
    closeQuietly(this.conn);
    void this.sink?.(new Uint8Array(0), []);
    this.onDead();
  }
}

/** Reads exact byte counts from a socket (the login's messages), then chunks as they come. */
export function byteReader(conn: Deno.Conn) {
  let buf: Uint8Array = new Uint8Array(0);
  const chunk = new Uint8Array(64 * 1024);
  const fill = async (n: number) => {
    while (buf.length < n) {
      const got = await conn.read(chunk);
      if (got === null) throw new Error("closed");
      buf = concat([buf, chunk.subarray(0, got)]);
    }
  };
  return {
    async bytes(n: number): Promise<Uint8Array> {
      await fill(n);
      const out = buf.slice(0, n);
      buf = buf.slice(n);
      return out;
    },
    async take(n: number): Promise<DataView> {
      const b = await this.bytes(n);
      return new DataView(b.buffer, b.byteOffset, b.byteLength);
    },
    /** What came in beyond the exact reads. */
    rest(): Uint8Array {
      const out = buf;
      buf = new Uint8Array(0);
      return out;
    },
    /** The next chunk (a copy), or null at the end. */
    async next(): Promise<Uint8Array | null> {
      const got = await conn.read(chunk);
      return got === null ? null : chunk.slice(0, got);
    },
  };
}

/** An ErrorResponse carrying a failure's message and SQLSTATE (a server's own, when it sent one). */
export function errorMessage(err: unknown): Uint8Array {
  const e = err as { message?: string; code?: string };
  const code = /^[0-9A-Z]{5}$/.test(e?.code ?? "") ? e.code! : "08006";
  return new Out().str("SFATAL").str("VFATAL").str(`C${code}`).str(`M${e?.message ?? err}`)
    .bytes(new Uint8Array([0])).msg("E");
}
