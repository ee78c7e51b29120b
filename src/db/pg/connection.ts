// @ts-types="npm:@types/pg@^8"
import type { PoolConfig } from "pg";
import { AppError, invalid } from "../../domain/errors.ts";

/** What a `postgres://` / `postgresql://` URL names; the password is kept out of every message. */
export interface PgUrl {
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
  sslmode: SslMode;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
type SslMode = typeof SSL_MODES[number];

import { isPgUrl, redactUrl } from "../url.ts";
import { deadline } from "./timer.ts";
export { isPgUrl, redactUrl };

/** Parses a PostgreSQL URL (libpq's URL form); raises invalid (exit 2) without echoing the password. */
export function parsePgUrl(raw: string): PgUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw invalid(`not a valid postgres url: ${redactUrl(raw)}`);
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol)) throw invalid(`not a postgres url: ${redactUrl(raw)}`);
  const port = u.port ? Number(u.port) : 5432;
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  const user = decodeURIComponent(u.username) || "postgres";
  const sslmode = (u.searchParams.get("sslmode") ?? "prefer") as SslMode;
  if (!SSL_MODES.includes(sslmode)) {
    throw invalid(`unknown sslmode: ${sslmode}`, `use one of ${SSL_MODES.join(", ")}`);
  }
  for (const key of u.searchParams.keys()) {
    if (key !== "sslmode") {
      throw invalid(`unsupported postgres url parameter: ${key}`, "only sslmode is read");
    }
  }
  return {
    user,
    password: decodeURIComponent(u.password),
    host: u.hostname.replace(/^\[|\]$/g, "") || "localhost",
    port,
    database: database || user,
    sslmode,
  };
}

/** `user@host:port/database`, how a server is named in messages. */
export const describePg = (u: PgUrl): string => `${u.user}@${u.host}:${u.port}/${u.database}`;

/**
 * `disable`/`allow`/`prefer` connect in plain text (node-postgres has no fall-back from TLS, so `prefer`
 * means plain — put a TLS proxy or `require` in front of a remote server); `require` encrypts without
 * checking the certificate; `verify-ca`/`verify-full` check it.
 */
function sslOption(mode: SslMode): PoolConfig["ssl"] {
  if (mode === "require") return { rejectUnauthorized: false };
  if (mode === "verify-ca" || mode === "verify-full") return { rejectUnauthorized: true };
  return false;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const BYTEA_OID = 17;

/** The driver module, loaded on first use so a SQLite user never pays for it. */
export type PgModule = typeof import("pg");
export async function loadPg(): Promise<PgModule> {
  const mod = await import("pg") as unknown as { default: PgModule };
  return mod.default;
}

/** Connect-timeout default: an unreachable server fails in seconds, not after the OS's TCP timeout. */
export const CONNECT_TIMEOUT_MS = 5000;

export interface PgPoolOptions {
  /** How long opening one connection may take (default CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** Pool size (default 10). */
  max?: number;
  /**
   * The driver: "wire" (wire.ts, Deno's own sockets) for plain-text connections, `pg` for TLS or
   * when the server wants MD5. Default "auto"; "pg" forces node-postgres (tests of that path).
   */
  driver?: "auto" | "pg";
  /** One flow at a time uses the store (a one-shot CLI command): no node:async_hooks (store.ts). */
  solo?: boolean;
}

/** The session settings every connection starts with (see pgConfig). */
export const SESSION_OPTIONS = "-c default_transaction_isolation=serializable -c jit=off";

/** sslmodes that connect in plain text (node-postgres has no fall-back from TLS either). */
export const PLAIN_SSL_MODES: readonly string[] = ["disable", "allow", "prefer"];

/**
 * Pool (and client) settings for a URL. Values come back as SQLite's store returns them: int8 and
 * numeric as numbers (nanosecond timestamps read exactly as `Number(bigint)` would), bytea as a
 * plain Uint8Array. Sessions default to SERIALIZABLE, so a statement outside a transaction has the
 * same isolation as the transactions around it (the store retries serialization failures).
 */
export function pgConfig(pg: PgModule, url: PgUrl, opts: PgPoolOptions = {}): PoolConfig {
  const bytea = pg.types.getTypeParser(BYTEA_OID) as (v: string) => Uint8Array;
  return {
    user: url.user,
    password: url.password,
    host: url.host,
    port: url.port,
    database: url.database,
    ssl: sslOption(url.sslmode),
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    // Idle connections never keep a finished CLI command alive.
    allowExitOnIdle: true,
    application_name: "backlog",
    // JIT compilation (on by default above a plan cost of 100,000) costs tens of milliseconds to save
    // microseconds on the short statements a queue runs: the recursive ranking walks estimate high
    // and took 250 ms with it, 0.2 ms without.
    options: SESSION_OPTIONS,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === INT8_OID || oid === NUMERIC_OID) return Number;
        if (oid === BYTEA_OID) return (v: string) => new Uint8Array(bytea(v));
        return pg.types.getTypeParser(oid, format as "text");
      }) as never,
    },
  };
}

/** Bounds a promise even when the driver's own timeout does not fire (a connect that never completes). */
async function withDeadline<T>(p: Promise<T>, ms: number, url: PgUrl): Promise<T> {
  let cancel = () => {};
  const late = new Promise<never>((_, reject) => {
    cancel = deadline(ms, () => reject(new Error("timeout expired")));
  });
  try {
    return await Promise.race([p, late]);
  } catch (err) {
    throw pgError(err, url);
  } finally {
    cancel();
  }
}

const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|timeout expired|Connection terminated|connect/i;

/**
 * Turns a driver error into an AppError: cannot connect / authentication → internal with one line
 * naming the server (never the password); SQL errors keep their message and SQLSTATE.
 */
export function pgError(err: unknown, url: PgUrl): AppError {
  if (err instanceof AppError) return err;
  const e = err as { message?: string; code?: string };
  const msg = scrub(String(e?.message ?? err), url);
  const where = describePg(url);
  if (e?.code === "28P01" || e?.code === "28000") {
    return new AppError("internal", `cannot connect to postgres ${where}: authentication failed`, {
      hint: "check the user and password (set the password in the environment, not in config files)",
      cause: err,
    });
  }
  // The server asked for a password and none was given (URL, $PGPASSWORD, ~/.pgpass): the driver
  // words it "SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string".
  if (/client password must be a string/.test(msg)) {
    return new AppError("internal", `cannot connect to postgres ${where}: the server wants a password`, {
      hint: "set $PGPASSWORD, or a ~/.pgpass line for this host (keep it out of URLs and config files)",
      cause: err,
    });
  }
  if (e?.code === "3D000") {
    return new AppError("internal", `postgres database does not exist: ${where}`, { cause: err });
  }
  if (/does not support SSL/i.test(msg)) {
    return new AppError("internal", `cannot connect to postgres ${where}: the server does not support SSL`, {
      hint: "for a server without TLS use sslmode=disable (or prefer), or enable TLS on the server",
      cause: err,
    });
  }
  if (!e?.code?.match(/^[0-9A-Z]{5}$/) && UNREACHABLE.test(msg)) {
    return new AppError("internal", `cannot reach postgres ${where}: ${msg.split("\n")[0]}`, {
      hint: "is the server running and reachable from here?",
      cause: err,
    });
  }
  return new AppError("internal", msg.split("\n")[0], {
    cause: err,
    details: e?.code ? { sqlstate: e.code } : undefined,
  });
}

const scrub = (msg: string, url: PgUrl): string => url.password ? msg.replaceAll(url.password, "***") : msg;

/** For the store: its reachability check and the listener connection are bounded the same way. */
export { withDeadline };
