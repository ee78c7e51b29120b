/**
 * A PostgreSQL client on Deno's own TCP sockets: the wire protocol (v3) for what PgStore asks of a
 * driver — connect (trust, password, SCRAM-SHA-256), queries (extended protocol with text parameters,
 * or the simple protocol for parameterless scripts), LISTEN/NOTIFY. Why not only `pg`: node-postgres
 * loads `node:net`, `node:tls`, `node:crypto` and `node:dns`, 30–60 ms per process before the first
 * byte, which a CLI command pays every time. The store uses this client for plain-text connections
 * (sslmode disable, allow, prefer: `pg` treats prefer as plain too) and `pg` for TLS; a server that
 * asks for MD5 passwords (WebCrypto has no MD5) also makes the store fall back to `pg` (WireFallback).
 * Values come back as PgStore's `pg` settings give them (connection.ts pgConfig): int8 and numeric as
 * numbers, bytea as Uint8Array, json as parsed values, the other types as `pg`'s default parsers do.
 */
import { parseValue, prepareValue } from "./wire_types.ts";
import { passwordFor, scramStep } from "./wire_auth.ts";
import type { PgUrl } from "./connection.ts";
import { concat, In, Out } from "./wire_codec.ts";
import { deadline } from "./timer.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const latin1 = new TextDecoder("latin1");

/** The server asked for something this client does not do (MD5 auth): use `pg` instead. */
export class WireFallback extends Error {
  override name = "WireFallback";
}

/** Whether an open failed because the server wants what only `pg` does (an MD5 password). */
export function fallsBack(err: unknown): boolean {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) if (e instanceof WireFallback) return true;
  return false;
}

/** An error the server sent (ErrorResponse), with `pg`'s field names. */
export class WireDbError extends Error {
  severity?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
}

const ERROR_FIELDS: Record<string, keyof WireDbError> = {
  V: "severity",
  C: "code",
  D: "detail",
  H: "hint",
  P: "position",
  W: "where",
  s: "schema",
  t: "table",
  c: "column",
  d: "dataType",
  n: "constraint",
};

export interface WireResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
  command: string;
}

export interface WireOptions {
  url: PgUrl;
  /** `-c name=value` settings for the session (the startup packet's options). */
  options?: string;
  applicationName?: string;
  connectTimeoutMs?: number;
  /** TCP keep-alive (the listening connection, idle for long stretches). */
  keepAlive?: boolean;
  /**
   * A parameterless statement sent right behind the login's last message, which the server runs as
   * soon as the session is ready (a round trip less than sending it after connect): the first
   * `query(hello)` takes its answer instead of sending it again.
   */
  hello?: string;
  /** A unix socket to connect to instead of the URL's host and port (the connection keeper's, keeper.ts). */
  socket?: string;
  /** Stop reading once logged in: the keeper takes the socket with `detach()` and relays it. */
  handoff?: boolean;
}

type Listener = (...args: unknown[]) => void;
interface Pending {
  results: WireResult[];
  cur?: { fields: { name: string; oid: number }[]; rows: Record<string, unknown>[] };
  error?: WireDbError;
  resolve: (r: WireResult | WireResult[]) => void;
  reject: (e: Error) => void;
}

export class WireClient {
  #conn: Deno.Conn | null = null;
  #opts: WireOptions;
  #queue: Pending[] = [];
  #listeners = new Map<string, Set<Listener>>();
  #ended = false;
  #auth: ((type: number, body: In) => Promise<void>) | null = null;
  #ready: { resolve: () => void; reject: (e: Error) => void } | null = null;
  /** The answer to `hello`, until a query takes it. */
  #hello: Promise<WireResult | WireResult[]> | undefined;
  #helloSent = false;
  /** The statement names prepared on this connection. */
  #prepared = new Set<string>();
  #writing: Promise<void> = Promise.resolve();
  /** Set while idle in a pool: an idle socket does not keep the process alive. */
  #refd = true;
  /** With `handoff`: the bytes read after the login's ReadyForQuery, once the read loop stopped. */
  #rest: Uint8Array | null = null;

  constructor(opts: WireOptions) {
    this.#opts = opts;
  }

  on(event: string, fn: Listener): this {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event)!.add(fn);
    return this;
  }
  removeListener(event: string, fn: Listener): this {
    this.#listeners.get(event)?.delete(fn);
    return this;
  }
  #emit(event: string, ...args: unknown[]): void {
    for (const fn of this.#listeners.get(event) ?? []) fn(...args);
  }

  /** Opens the connection and authenticates; bounded by connectTimeoutMs. */
  async connect(): Promise<void> {
    const { url, options, applicationName, connectTimeoutMs = 5000 } = this.#opts;
    let cancel = () => {};
    const done = new Promise<void>((resolve, reject) => (this.#ready = { resolve, reject }));
    try {
      cancel = deadline(connectTimeoutMs, () => this.#fail(new Error("timeout expired")));
      // The timer fails `done`, which also ends a connect the OS would keep trying for minutes.
      const socket = this.#opts.socket;
      const connecting = (socket
        ? Deno.connect({ transport: "unix", path: socket }) as Promise<Deno.Conn>
        : Deno.connect({ hostname: url.host, port: url.port })).catch((err) => {
          throw socketError(err, url);
        });
      connecting.then((c) =>
        this.#ended && c.close(), () => {});
      const conn = this.#conn = await Promise.race([connecting, done.then(() => connecting)]);
      if (!socket) {
        (conn as Deno.TcpConn).setNoDelay(true);
        if (this.#opts.keepAlive) (conn as Deno.TcpConn).setKeepAlive(true);
      }
      const password = await passwordFor(url);
      this.#auth = async (type, body) => {
        // The login's last message (a password, SCRAM's client-final) has hello right behind it.
        if (type === 0) return this.#sayHello();
        if (type === 3) return (this.#send(new Out().str(password ?? "").msg("p")), this.#sayHello());
        if (type === 5) throw new WireFallback("the server asks for an MD5 password");
        if (type === 10 || type === 11 || type === 12) {
          if (password === undefined) throw new Error("SASL: client password must be a string");
          const reply = await scramStep(this, type, body.rest(), password);
          if (reply) this.#send(reply);
          if (type === 11) this.#sayHello();
          return;
        }
        throw new WireFallback(`unsupported authentication request ${type}`);
      };
      const startup = new Out().i32(196608).str("user").str(url.user).str("database").str(url.database);
      if (applicationName) startup.str("application_name").str(applicationName);
      if (options) startup.str("options").str(options);
      this.#send(startup.str("client_encoding").str("UTF8").bytes(new Uint8Array([0])).msg());
      void this.#readLoop(); // runs until the connection ends; failures end the client
      await done;
    } catch (err) {
      this.#fail(err as Error);
      throw err;
    } finally {
      cancel();
      this.#ready = null;
    }
  }

  /**
   * One statement with $n parameters (extended protocol), or a parameterless script (simple), as
   * `pg`'s Client takes them: `(text, values)` or `({ text, values, name })`. A named statement is
   * prepared on this connection once (the server parses and plans it once); the caller bounds the
   * names (PgStore's PlaceholderCache).
   */
  query(
    q: string | { text: string; values?: unknown[]; name?: string },
    args?: unknown[],
  ): Promise<WireResult | WireResult[]> {
    const { text, values = args, name = "" } = typeof q === "string" ? { text: q } : q;
    const hello = this.#hello;
    if (hello && !values?.length && text === this.#opts.hello) return (this.#hello = undefined, hello);
    if (this.#ended || !this.#conn) return Promise.reject(new Error("Connection terminated"));
    return new Promise((resolve, reject) => {
      this.ref();
      if (!values?.length) {
        this.#queue.push({ results: [], resolve, reject });
        return this.#send(new Out().str(text).msg("Q"));
      }
      const parts: Uint8Array[] = [];
      if (!name || !this.#prepared.has(name)) {
        // Closing a name the server does not know is no error: this also clears one that an
        // earlier failed call may have left behind.
        if (name) parts.push(new Out().bytes(new Uint8Array([83])).str(name).msg("C"));
        parts.push(new Out().str(name).str(text).i16(0).msg("P"));
        if (name) this.#prepared.add(name);
      }
      const bind = new Out().str("").str(name);
      const vals = values.map(prepareValue);
      bind.i16(vals.length);
      for (const v of vals) bind.i16(v instanceof Uint8Array ? 1 : 0);
      bind.i16(vals.length);
      for (const v of vals) {
        if (v === null) bind.i32(-1);
        else {
          const b = v instanceof Uint8Array ? v : enc.encode(v);
          bind.i32(b.length).bytes(b);
        }
      }
      bind.i16(0);
      parts.push(
        bind.msg("B"),
        new Out().bytes(new Uint8Array([80])).str("").msg("D"),
        new Out().str("").i32(0).msg("E"),
        new Out().msg("S"),
      );
      // After a failed call the next one prepares the statement afresh (after a schema change, say:
      // "cached plan must not change result type").
      this.#queue.push({
        results: [],
        resolve,
        reject: (err) => (this.#prepared.delete(name), reject(err)),
      });
      this.#send(concat(parts));
    });
  }

  /**
   * Sends `hello` (see WireOptions) once, right behind the login's last message: the server reads it
   * when the session is ready (a failed login closes the connection, and the hello fails with it).
   */
  #sayHello(): void {
    const text = this.#opts.hello;
    if (!text || this.#helloSent) return;
    this.#helloSent = true;
    this.#hello = new Promise((resolve, reject) => {
      this.#queue.push({ results: [], resolve, reject });
      this.#send(new Out().str(text).msg("Q"));
    });
    void this.#hello.catch(() => {}); // its taker sees the failure
  }

  /** Closes the connection (Terminate, then the socket). */
  end(): Promise<void> {
    if (!this.#ended && this.#conn) {
      try {
        this.#send(new Out().msg("X"));
      } catch { /* already gone */ }
    }
    this.#fail(new Error("Connection terminated"));
    return Promise.resolve();
  }

  /** With `handoff`, once connected: the logged-in socket and any bytes already read; the client is done. */
  detach(): { conn: Deno.Conn; rest: Uint8Array } {
    const conn = this.#conn, rest = this.#rest;
    if (!conn || !rest || this.#ended) throw new Error("no logged-in connection to hand off");
    this.#conn = null;
    this.#ended = true;
    return { conn, rest };
  }

  ref(): void {
    if (!this.#refd) this.#conn?.ref(), this.#refd = true;
  }
  unref(): void {
    if (this.#refd && !this.#queue.length) this.#conn?.unref(), this.#refd = false;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Queues bytes for the socket: writes go out whole and in order (a write may be partial). */
  #send(b: Uint8Array): void {
    const conn = this.#conn!;
    this.#writing = this.#writing.then(async () => {
      for (let i = 0; i < b.length;) i += await conn.write(b.subarray(i));
    }).catch((err) => this.#fail(err));
  }

  /** Ends the client after a failure: every waiting call rejects, listeners hear error and end. */
  #fail(err: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      this.#conn?.close();
    } catch { /* closed */ }
    this.#ready?.reject(err);
    for (const p of this.#queue.splice(0)) p.reject(err);
    if (err.message !== "Connection terminated") this.#emit("error", err);
    this.#emit("end");
  }

  async #readLoop(): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    // Reads gather until the next whole message is in (a 10 MB attachment is one message): joined
    // once, not on every read.
    let parts: Uint8Array[] = [], size = 0, need = 5;
    try {
      for (;;) {
        const n = await this.#conn!.read(chunk);
        if (n === null) throw new Error("Connection terminated unexpectedly");
        parts.push(chunk.slice(0, n));
        if ((size += n) < need) continue;
        const buf = parts.length === 1 ? parts[0] : concat(parts);
        let off = 0;
        const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        while (buf.length - off >= 5) {
          const len = view.getInt32(off + 1);
          if (buf.length - off < len + 1) break;
          const type = String.fromCharCode(buf[off]);
          const last = type === "Z" && this.#opts.handoff && this.#ready;
          // Handing off: what follows the login's ReadyForQuery is kept before connect() resolves.
          if (last) this.#rest = buf.slice(off + len + 1);
          await this.#handle(type, new In(buf.subarray(off + 5, off + 1 + len)));
          if (last) return;
          off += len + 1;
        }
        const rest = buf.subarray(off);
        parts = rest.length ? [rest] : [];
        size = rest.length;
        need = rest.length >= 5 ? view.getInt32(off + 1) + 1 : 5;
      }
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  async #handle(type: string, m: In): Promise<void> {
    const p = this.#queue[0];
    switch (type) {
      case "R": {
        const code = m.i32();
        await this.#auth!(code, m);
        return;
      }
      case "Z":
        // The session is ready (connect resolves); a ReadyForQuery after it ends a query's answer.
        if (this.#ready) {
          const ready = this.#ready;
          this.#ready = null;
          return ready.resolve();
        }
        if (!p) return;
        this.#queue.shift();
        if (!this.#queue.length && !this.#refd) this.#conn?.unref();
        if (p.error) return p.reject(p.error);
        return p.resolve(p.results.length === 1 ? p.results[0] : p.results);
      case "E": {
        const e = readError(m);
        if (this.#ready) throw e;
        if (p) p.error ??= e;
        return;
      }
      case "T": {
        const n = m.i16();
        const fields = [];
        for (let i = 0; i < n; i++) {
          const name = m.str();
          m.pos += 6;
          const oid = m.i32();
          m.pos += 8;
          fields.push({ name, oid });
        }
        if (p) p.cur = { fields, rows: [] };
        return;
      }
      case "D": {
        if (!p?.cur) return;
        const row: Record<string, unknown> = {};
        // A row whose values are all ASCII is decoded in one call, not one per value (~1 ms a page).
        const b = m.b, n = m.i16(), view = new DataView(b.buffer, b.byteOffset, b.byteLength);
        let ascii = true;
        for (let i = 0, pos = m.pos; i < n && ascii; i++) {
          const len = view.getInt32(pos);
          pos += 4;
          for (let j = pos, end = pos + Math.max(len, 0); j < end; j++) {
            if (b[j] > 127) (ascii = false, j = end);
          }
          pos += Math.max(len, 0);
        }
        const whole = ascii ? latin1.decode(b) : undefined; // one character per byte: offsets hold
        for (let i = 0; i < n; i++) {
          const len = m.i32();
          const f = p.cur.fields[i];
          if (len < 0) row[f.name] = null;
          else {
            const text = whole !== undefined
              ? whole.slice(m.pos, m.pos + len)
              : dec.decode(b.subarray(m.pos, m.pos + len));
            row[f.name] = parseValue(f.oid, text);
            m.pos += len;
          }
        }
        p.cur.rows.push(row);
        return;
      }
      case "C": {
        const tag = m.str();
        const [command] = tag.split(" ");
        const count = /^(INSERT|UPDATE|DELETE|SELECT|MOVE|FETCH|COPY|MERGE)\b/.test(tag)
          ? Number(tag.slice(tag.lastIndexOf(" ") + 1))
          : null;
        p?.results.push({ rows: p.cur?.rows ?? [], rowCount: count, command });
        if (p) p.cur = undefined;
        return;
      }
      case "I":
        p?.results.push({ rows: [], rowCount: null, command: "" });
        return;
      case "A": {
        const processId = m.i32();
        const channel = m.str();
        this.#emit("notification", { processId, channel, payload: m.str() });
        return;
      }
      // ParseComplete, BindComplete, NoData, notices, parameter status, backend key data.
      default:
        return;
    }
  }
}

function readError(m: In): WireDbError {
  const fields: Record<string, string> = {};
  for (;;) {
    const code = m.b[m.pos++];
    if (!code) break;
    fields[String.fromCharCode(code)] = m.str();
  }
  const e = new WireDbError(fields.M ?? "unknown server error");
  for (const [k, prop] of Object.entries(ERROR_FIELDS)) {
    if (fields[k] !== undefined) (e as unknown as Record<string, string>)[prop] = fields[k];
  }
  e.severity ??= fields.S;
  return e;
}

/** A socket error worded as node-postgres words it (the messages users and tests already know). */
function socketError(err: unknown, url: PgUrl): Error {
  const at = `${url.host}:${url.port}`;
  if (err instanceof Deno.errors.ConnectionRefused) return new Error(`connect ECONNREFUSED ${at}`);
  if (err instanceof Deno.errors.NotFound || /failed to lookup address/.test((err as Error)?.message)) {
    return new Error(`getaddrinfo ENOTFOUND ${url.host}`); // a host name that does not resolve
  }
  if (err instanceof Deno.errors.TimedOut) return new Error(`connect ETIMEDOUT ${at}`);
  return err as Error;
}
