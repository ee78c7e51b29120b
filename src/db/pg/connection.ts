// @ts-types="npm:@types/pg@^8"
import type { Pool, PoolClient, PoolConfig, QueryResultRow } from "pg";
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

/** Whether a `--db` value names a PostgreSQL server rather than a SQLite file. */
export const isPgUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

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

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(raw: string): string {
  return raw.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^@/]*@/i, "$1***@");
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

/**
 * A pool of PostgreSQL clients (node-postgres). int8 columns are read as bigint so nanosecond
 * timestamps stay exact; a transaction holds one client from BEGIN to COMMIT.
 */
export class PgDb {
  readonly url: PgUrl;
  readonly pool: Pool;

  constructor(url: PgUrl, pool: Pool) {
    this.url = url;
    this.pool = pool;
  }

  /** Rows of one statement with `$n` placeholders. */
  async query<T extends QueryResultRow = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (err) {
      throw pgError(err, this.url);
    }
  }

  /** Runs fn on one client inside BEGIN … COMMIT (ROLLBACK when fn throws). */
  async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.client();
    try {
      await c.query("BEGIN");
      const out = await fn(c);
      await c.query("COMMIT");
      return out;
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw pgError(err, this.url);
    } finally {
      c.release();
    }
  }

  /** A client of the pool for the caller to release (LISTEN, session locks). */
  async client(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw pgError(err, this.url);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** Connect-timeout default: an unreachable server fails in seconds, not after the OS's TCP timeout. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens a pool on a `postgres://` URL and checks it answers (one round trip). Loads the driver
 * lazily, so a SQLite user never pays for it. Unreachable or refused → AppError internal (exit 1).
 */
export async function openPg(
  raw: string,
  opts: { connectTimeoutMs?: number; max?: number } = {},
): Promise<PgDb> {
  const url = parsePgUrl(raw);
  const { default: pg } = await import("pg") as unknown as { default: typeof import("pg") };
  const timeout = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({
    user: url.user,
    password: url.password,
    host: url.host,
    port: url.port,
    database: url.database,
    ssl: sslOption(url.sslmode),
    max: opts.max ?? 10,
    connectionTimeoutMillis: timeout,
    application_name: "backlog",
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? (v: string) =>
            BigInt(v)
          : pg.types.getTypeParser(oid, format as "text")) as never,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = new PgDb(url, pool);
  try {
    await withDeadline(db.query("SELECT 1"), timeout + 1000, url);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** Bounds a promise even when the driver's own timeout does not fire (a connect that never completes). */
async function withDeadline<T>(p: Promise<T>, ms: number, url: PgUrl): Promise<T> {
  let timer: Awaited<ReturnType<typeof setTimeout>> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout expired")), ms);
  });
  try {
    return await Promise.race([p, late]);
  } catch (err) {
    throw pgError(err, url);
  } finally {
    clearTimeout(timer);
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
  if (e?.code === "3D000") {
    return new AppError("internal", `postgres database does not exist: ${where}`, { cause: err });
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
