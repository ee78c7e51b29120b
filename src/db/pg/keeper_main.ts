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
import {
  Backend,
  byteReader,
  closeQuietly,
  E,
  errorMessage,
  Q,
  S,
  Scanner,
  writer,
  X,
  Z,
} from "./keeper_relay.ts";

const MAX_IDLE = 4;
/** A client must log in this fast (a command does in milliseconds). */
const LOGIN_MS = 2000;
/**
 * A session is used for 10 minutes at most, so a changed password, a revoked login or a new
 * pg_hba.conf reach commands through the keeper as they reach direct ones.
 */
const SESSION_MAX_MS = 10 * 60_000;
/** No login or password message a command sends comes near this. */
const MAX_LOGIN_MESSAGE = 10_000;
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
  const term = () => keeper.stop(); // `kill` leaves no stale socket behind
  Deno.addSignalListener("SIGTERM", term);
  try {
    for await (const conn of listener) void keeper.session(conn);
  } catch { /* closed */ }
  Deno.removeSignalListener("SIGTERM", term);
  await keeper.closeAll();
  try {
    if (Deno.statSync(path).ino === ino) Deno.removeSync(path);
  } catch { /* gone or replaced */ }
}

/**
 * Whether a live keeper answers on the socket: it must answer an SSLRequest within 500 ms (a keeper
 * that was stopped still has connections queued for it by the kernel, and is replaced).
 */
async function answers(path: string): Promise<boolean> {
  let conn: Deno.Conn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch {
    return false;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await conn.write(new Out().i32(SSL_REQUEST).msg());
    const late = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), 500));
    return await Promise.race([conn.read(new Uint8Array(1)), late]) === 1;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    closeQuietly(conn);
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
    for (let b = this.#idle.pop(); b; b = this.#idle.pop()) {
      if (!b.dead && !old(b)) return b;
      b.close();
    }
    try {
      return await this.#connect();
    } catch (err) {
      // The server refuses the keeper's login now (a new password, a revoked role): step aside.
      if (/^28/.test((err as { code?: string }).code ?? "")) this.stop();
      throw err;
    }
  }

  #release(b: Backend): void {
    if (b.dead) return;
    if (this.#stopped || this.#idle.length >= MAX_IDLE || old(b)) return b.close();
    b.sink = null;
    b.onDead = () => (this.#idle = this.#idle.filter((x) => x !== b));
    this.#idle.push(b);
  }

  /** Resets a session the command left idle, then keeps it; closes it otherwise. */
  #reset(b: Backend, clean: boolean): void {
    if (!clean || b.dead || b.status !== 73) return b.close();
    let failed = false;
    b.sink = (_, ended) => {
      failed ||= ended.includes(E);
      if (!ended.includes(Z)) return;
      if (failed || b.status !== 73) b.close();
      else this.#release(b);
    };
    void b.write(new Out().str("DISCARD ALL").msg("Q")).catch(() => b.close());
  }

  async session(conn: Deno.Conn): Promise<void> {
    this.#clients++;
    this.#arm();
    const send = writer(conn);
    const scan = new Scanner();
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
      // The server's answers go out as they come; the session reads on once they are written.
      backend.sink = async (b, ended) => {
        pending -= ended.filter((t) => t === Z).length;
        if (b.length) await send(b).catch(() => closeQuietly(conn));
        else closeQuietly(conn); // the server ended the session
      };
      await send(concat([new Out().i32(0).msg("R"), new Out().bytes(new Uint8Array([73])).msg("Z")]));
      for (let chunk: Uint8Array | null = hello.rest; chunk; chunk = await reader.next()) {
        // Terminate ends the command, not the session.
        const { ended, stopAt } = scan.feed(chunk, X);
        pending += ended.filter((t) => t === S || t === Q).length;
        const upto = stopAt >= 0 ? stopAt : chunk.length;
        if (upto) await backend.write(chunk.subarray(0, upto));
        if (stopAt >= 0) break;
      }
      clean = pending === 0 && !scan.partial;
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
      if (len < 8 || len > MAX_LOGIN_MESSAGE) return undefined;
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
      const len = head.getInt32(1);
      if (len < 5 || len > MAX_LOGIN_MESSAGE) return undefined;
      const body = await reader.bytes(len - 4);
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

const old = (b: Backend) => Date.now() - b.born > SESSION_MAX_MS;

function same(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
