// @ts-types="npm:@types/pg@^8"
import type { Client, Pool } from "pg";
import { txContext } from "../store.ts";
import {
  CONNECT_TIMEOUT_MS,
  loadPg,
  parsePgUrl,
  pgConfig,
  type PgPoolOptions,
  type PgUrl,
  PLAIN_SSL_MODES,
  SESSION_OPTIONS,
  withDeadline,
} from "./connection.ts";
import { pgSchemaVersion, VERSION_SQL } from "./migrate.ts";
import { type Frame, PgStore } from "./store.ts";
import { WirePool } from "./wire_pool.ts";
import { KEEPER_TIMEOUT_MS, keeperSocket, spawnKeeper } from "./keeper.ts";
import { fallsBack, WireClient } from "./wire.ts";

export { migratePg } from "./migrate.ts";

const noop = () => {};

/**
 * Opens a store on a `postgres://` URL and checks the server answers (one round trip within the
 * connect timeout). Loads the driver lazily. Unreachable, refused, wrong password → AppError
 * internal (exit 1) with one line that never shows the password; a malformed URL → invalid (exit 2).
 */
export async function openPgStore(raw: string, opts: PgPoolOptions = {}): Promise<PgStore> {
  const url = parsePgUrl(raw);
  const als = await txContext<Frame>(opts.solo ?? false);
  if (opts.driver !== "pg" && PLAIN_SSL_MODES.includes(url.sslmode)) {
    const timeout = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    const wire = { url, options: SESSION_OPTIONS, connectTimeoutMs: timeout };
    const max = opts.max ?? 10;
    // A one-shot command keeps its idle connection until it closes the store (no idle timer).
    const idleMs = opts.solo ? 0 : undefined;
    // The first connection asks the schema version as soon as it is logged in (checked below).
    const open = (socket?: string) => {
      // A keeper that does not answer (stopped, say) costs a command 2 s at most, then it connects directly.
      const limit = socket ? Math.min(timeout, KEEPER_TIMEOUT_MS) : timeout;
      const pool = new WirePool({
        ...wire,
        connectTimeoutMs: limit,
        socket,
        applicationName: "backlog",
        max,
        idleMs,
        hello: VERSION_SQL,
      }) as unknown as Pool;
      const listen = () =>
        new WireClient({ ...wire, applicationName: "backlog-listen", keepAlive: true }) as unknown as Client;
      // The wire pool offers the part of pg.Pool / pg.Client this store calls (wire_pool.ts).
      return checked(new PgStore(raw, url, pool, listen, max, als), limit, url);
    };
    // A one-shot command takes a logged-in session from this user's connection keeper (keeper.ts);
    // without one it connects directly, and starts one for the next command.
    const socket = opts.solo ? keeperSocket(url) : undefined;
    if (socket) {
      try {
        return await open(socket);
      } catch { /* no keeper there, or it failed: a direct connection says what is wrong */ }
    }
    try {
      const store = await open();
      if (opts.solo) spawnKeeper(raw, url);
      return store;
    } catch (err) {
      if (!fallsBack(err)) throw err;
    }
  }
  const pg = await loadPg();
  const config = pgConfig(pg, url, opts);
  // Pipelined (PgStore sends BEGIN with the first statement); each query keeps its own result and error.
  const pool = new pg.Pool({ ...config, pipeline: true } as typeof config);
  // An idle connection that loses its server must not crash the process; the next query reports it.
  pool.on("error", noop);
  const store = new PgStore(
    raw,
    url,
    pool,
    () => new pg.Client({ ...config, keepAlive: true, application_name: "backlog-listen" }),
    config.max!,
    als,
  );
  return await checked(store, config.connectionTimeoutMillis!, url);
}

/**
 * The store once the server answered one round trip within the connect timeout; closed otherwise.
 * That round trip reads the schema version, which every opening asks next (PgStore.openedVersion).
 */
async function checked(store: PgStore, timeoutMs: number, url: PgUrl): Promise<PgStore> {
  try {
    store.openedVersion = await withDeadline(pgSchemaVersion(store), timeoutMs + 1000, url);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
