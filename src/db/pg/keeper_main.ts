/**
 * The connection keeper process (see keeper.ts): listens on its unix socket, logs commands in with
 * the wire protocol's startup and password messages, hands each one a logged-in server session and
 * relays the bytes both ways until the command ends. A session the command left idle is reset
 * (`DISCARD ALL`: prepared statements, settings, session locks, LISTENs) and kept for the next; one
 * left inside a transaction or mid-message is closed. One session waits ready ahead of the next
 * command. The keeper exits after its idle time without a command, and when a command brings a
 * different password (the next command starts a keeper with the new one).
 */
import { parsePgUrl, type PgUrl, SESSION_OPTIONS } from "./connection.ts";
import { keeperIdleMs } from "./keeper.ts";
import { WireClient } from "./wire.ts";
import { passwordFor } from "./wire_auth.ts";
import { concat, In, Out } from "./wire_codec.ts";

const MAX_IDLE = 4;
const LOGIN_MS = 5000;
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;

/** Runs the keeper for $BACKLOG_PG_KEEPER_URL on $BACKLOG_PG_KEEPER_SOCKET until it idles out. */
export async function keeperMain(
  env: { get(key: string): string | undefined } = Deno.env,
): Promise<void> {
  const raw = env.get("BACKLOG_PG_KEEPER_URL"), path = env.get("BACKLOG_PG_KEEPER_SOCKET");
  if (!raw || !path) return;
  const url = parsePgUrl(raw);
  if (await answers(path)) return; // another keeper serves this database already
  try {
    Deno.removeSync(path); // a socket a keeper that died left behind
  } catch { /* none */ }
  const listener = Deno.listen({ transport: "unix", path });
  const ino = Deno.statSync(path).ino;
  const keeper = new Keeper(url, await passwordFor(url, env), keeperIdleMs(env), () => listener.close());
  keeper.prewarm();
  try {
    for await (const conn of listener) void keeper.session(conn);
  } catch { /* closed */ }
  await keeper.closeAll();
  try {
    if (Deno.statSync(path).ino === ino) Deno.removeSync(path);
  } catch { /* gone or replaced */ }
}

async function answers(path: string): Promise<boolean> {
  try {
    (await Deno.connect({ transport: "unix", path })).close();
    return true;
  } catch {
    return false;
  }
}

/** Splits a byte stream into whole messages (type byte + int32 length + body). */
class Framer {
  #buf = new Uint8Array(0);
  push(b: Uint8Array): { whole: Uint8Array; types: number[]; at: number[] } {
    const buf = this.#buf.length ? concat([this.#buf, b]) : b;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const types: number[] = [], at: number[] = [];
    let off = 0;
    while (buf.length - off >= 5) {
      const len = view.getInt32(off + 1);
      if (buf.length - off < len + 1) break;
      types.push(buf[off]), at.push(off);
      off += len + 1;
    }
    this.#buf = buf.slice(off);
    return { whole: buf.subarray(0, off), types, at };
  }
  get partial(): boolean {
    return this.#buf.length > 0;
  }
}

/** Ordered whole writes on a socket. */
function writer(conn: Deno.Conn): (b: Uint8Array) => Promise<void> {
  let chain = Promise.resolve();
  return (b) =>
    chain = chain.then(async () => {
      for (let i = 0; i < b.length;) i += await conn.write(b.subarray(i));
    });
}

const Z = 90, E = 69, X = 88, S = 83, Q = 81;

/** A logged-in server session; its reader hands whole messages to whoever holds it now. */
class Backend {
  status = 73; // 'I': idle
  dead = false;
  sink: ((whole: Uint8Array, types: number[]) => void) | null = null;
  onDead: () => void = () => {};
  readonly write: (b: Uint8Array) => Promise<void>;
  #framer = new Framer();
  constructor(readonly conn: Deno.Conn, rest: Uint8Array) {
    this.write = writer(conn);
    void this.#read(rest);
  }
  async #read(rest: Uint8Array): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    try {
      this.#feed(rest);
      for (let n = await this.conn.read(chunk); n !== null; n = await this.conn.read(chunk)) {
        this.#feed(chunk.subarray(0, n));
      }
    } catch { /* ended */ }
    this.close();
  }
  #feed(b: Uint8Array): void {
    const { whole, types, at } = this.#framer.push(b);
    const z = types.lastIndexOf(Z);
    if (z >= 0) this.status = whole[at[z] + 5];
    if (whole.length) this.sink?.(whole, types);
  }
  close(): void {
    if (this.dead) return;
    this.dead = true;
    closeQuietly(this.conn);
    this.sink?.(new Uint8Array(0), []);
    this.onDead();
  }
}

class Keeper {
  #idle: Backend[] = [];
  #warming = 0;
  #clients = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #close: () => void;
  constructor(
    readonly url: PgUrl,
    readonly password: string | undefined,
    readonly idleMs: number,
    close: () => void,
  ) {
    this.#close = close;
    this.#arm();
  }

  /** Stops taking commands; sessions in use close when their command ends. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#close();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#stopped || this.#clients) return;
    this.#timer = setTimeout(() => this.stop(), this.idleMs);
  }

  async #connect(): Promise<Backend> {
    const c = new WireClient({
      url: this.url,
      options: SESSION_OPTIONS,
      applicationName: "backlog",
      handoff: true,
    });
    await c.connect();
    const { conn, rest } = c.detach();
    return new Backend(conn, rest);
  }

  /** Keeps one session logged in ahead of the next command. */
  prewarm(): void {
    if (this.#stopped || this.#idle.length + this.#warming >= 1) return;
    this.#warming++;
    void this.#connect().then((b) => this.#release(b), () => {}).finally(() => this.#warming--);
  }

  async #take(): Promise<Backend> {
    for (let b = this.#idle.pop(); b; b = this.#idle.pop()) if (!b.dead) return b;
    return await this.#connect();
  }

  #release(b: Backend): void {
    if (b.dead) return;
    if (this.#stopped || this.#idle.length >= MAX_IDLE) return b.close();
    b.sink = null;
    b.onDead = () => (this.#idle = this.#idle.filter((x) => x !== b));
    this.#idle.push(b);
  }

  /** Resets a session the command left idle, then keeps it; closes it otherwise. */
  #reset(b: Backend, clean: boolean): void {
    if (!clean || b.dead || b.status !== 73) return b.close();
    let failed = false;
    b.sink = (_, types) => {
      failed ||= types.includes(E);
      if (!types.includes(Z)) return;
      if (failed || b.status !== 73) b.close();
      else this.#release(b);
    };
    void b.write(new Out().str("DISCARD ALL").msg("Q")).catch(() => b.close());
  }

  async session(conn: Deno.Conn): Promise<void> {
    this.#clients++;
    this.#arm();
    const send = writer(conn);
    const framer = new Framer();
    let backend: Backend | undefined;
    let clean = false;
    try {
      const reader = byteReader(conn);
      // A client that connects and never logs in must not keep the keeper from idling out.
      const slow = setTimeout(() => closeQuietly(conn), LOGIN_MS);
      const hello = await this.#login(reader, send).finally(() => clearTimeout(slow));
      if (!hello) return;
      try {
        backend = await this.#take();
      } catch (err) {
        return void await send(errorMessage(err));
      }
      this.prewarm();
      let pending = 0;
      backend.onDead = () => {};
      backend.sink = (whole, types) => {
        pending -= types.filter((t) => t === Z).length;
        if (whole.length) void send(whole).catch(() => {});
        else closeQuietly(conn); // the server ended the session
      };
      await send(concat([new Out().i32(0).msg("R"), new Out().bytes(new Uint8Array([73])).msg("Z")]));
      for (let chunk: Uint8Array | null = hello.rest; chunk; chunk = await reader.next()) {
        const { whole, types, at } = framer.push(chunk);
        const end = types.indexOf(X);
        const upto = end >= 0 ? at[end] : whole.length;
        pending += types.slice(0, end >= 0 ? end : undefined).filter((t) => t === S || t === Q).length;
        if (upto) await backend.write(whole.subarray(0, upto));
        if (end >= 0) break;
      }
      clean = pending === 0 && !framer.partial;
    } catch {
      /* the command went away */
    } finally {
      closeQuietly(conn);
      if (backend) (backend.sink = null, this.#reset(backend, clean));
      this.#clients--;
      this.#arm();
    }
  }

  /** The startup and password messages; the bytes after them (a command sends its first query behind). */
  async #login(
    reader: ReturnType<typeof byteReader>,
    send: (b: Uint8Array) => Promise<void>,
  ): Promise<{ rest: Uint8Array } | undefined> {
    let startup: In;
    for (;;) {
      const len = (await reader.take(4)).getInt32(0);
      startup = new In(await reader.bytes(len - 4));
      const code = startup.i32();
      if (code === SSL_REQUEST) await send(new Uint8Array([78])); // 'N': plain text on a local socket
      else if (code === PROTOCOL_3) break;
      else return undefined;
    }
    const params = new Map<string, string>();
    for (let k = startup.str(); k; k = startup.str()) params.set(k, startup.str());
    if (params.get("user") !== this.url.user || params.get("database") !== this.url.database) {
      return void await send(errorMessage(new Error("this keeper serves another user or database")));
    }
    if (this.password !== undefined) {
      await send(new Out().i32(3).msg("R"));
      const head = await reader.take(5);
      const body = await reader.bytes(head.getInt32(1) - 4);
      const given = new In(body).str();
      if (head.getUint8(0) !== 112 || !same(given, this.password)) {
        await send(
          errorMessage(Object.assign(new Error("password differs from the keeper's"), { code: "28P01" })),
        );
        if (given) this.stop(); // a changed password: the next command starts a keeper with it
        return undefined;
      }
    }
    return { rest: reader.rest() };
  }

  async closeAll(): Promise<void> {
    clearTimeout(this.#timer);
    for (const b of this.#idle.splice(0)) b.close();
    await Promise.resolve();
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* closed */ }
}

function same(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** An ErrorResponse carrying a failure's message and SQLSTATE (a server's own, when it sent one). */
function errorMessage(err: unknown): Uint8Array {
  const e = err as { message?: string; code?: string };
  const code = /^[0-9A-Z]{5}$/.test(e?.code ?? "") ? e.code! : "08006";
  return new Out().str("SFATAL").str("VFATAL").str(`C${code}`).str(`M${e?.message ?? err}`)
    .bytes(new Uint8Array([0])).msg("E");
}

/** Reads exact byte counts from a socket, keeping what came in beyond them. */
function byteReader(conn: Deno.Conn) {
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
    rest(): Uint8Array {
      const out = buf;
      buf = new Uint8Array(0);
      return out;
    },
    async next(): Promise<Uint8Array | null> {
      const got = await conn.read(chunk);
      return got === null ? null : chunk.slice(0, got);
    },
  };
}
