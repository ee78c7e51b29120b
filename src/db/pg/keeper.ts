/**
 * The connection keeper, client side. A one-shot CLI command on PostgreSQL spends most of its time
 * above SQLite on a new server session: the TCP connect, the backend's fork, the SCRAM login, the
 * session's start and its first statements loading the catalog (~15 ms on a local server). The
 * keeper (keeper_main.ts) is a small background process, one per user and database, that keeps
 * logged-in sessions open and hands one to each command over a unix socket, as ssh's ControlPersist
 * keeps a connection for the next `ssh`. It speaks the wire protocol, so the command runs exactly as
 * on a direct connection. A command that finds no keeper connects directly and starts one; any
 * failure through the keeper makes the command connect directly. The keeper exits after
 * BACKLOG_PG_KEEPER_IDLE_MS (default 5 minutes) without a command. `BACKLOG_PG_KEEPER=off` turns it off.
 *
 * Trust: the socket lives in a directory only the user can enter (`$BACKLOG_PG_KEEPER_DIR`, else
 * `$XDG_RUNTIME_DIR/backlog-<uid>`, else `/tmp/backlog-<uid>`); a directory another user owns or can
 * enter is not used. A command hands the keeper its password, which must be the keeper's own.
 */
import { describePg, type PgUrl, SESSION_OPTIONS } from "./connection.ts";
import { hashName, privateDir, runtimeDir, spawnHelper, switchOn } from "../../runtime_dir.ts";

type Env = { get(key: string): string | undefined };

/** Bumped when what a keeper serves changes, so a command never talks to an older keeper. */
const KEEPER_VERSION = 1;

/** How long a command waits for the keeper's session before it connects directly. */
export const KEEPER_TIMEOUT_MS = 2000;

/** The hidden argument that runs the keeper (main.ts). */
export const KEEPER_ARG = "__pg-keeper";

export function keeperEnabled(env: Env = Deno.env): boolean {
  return Deno.build.os !== "windows" && switchOn(env.get("BACKLOG_PG_KEEPER"));
}

/** How long a keeper waits for the next command before it exits. */
export function keeperIdleMs(env: Env = Deno.env): number {
  const v = Number(env.get("BACKLOG_PG_KEEPER_IDLE_MS"));
  return Number.isFinite(v) && v > 0 ? v : 300_000;
}

/** The keepers' directory for this user (not created): $BACKLOG_PG_KEEPER_DIR, else the runtime directory. */
export function keeperDir(env: Env = Deno.env): string | undefined {
  return runtimeDir(env, env.get("BACKLOG_PG_KEEPER_DIR"));
}

/**
 * The socket of this user's keeper for this server, user, database and session settings (the name
 * is a hash of them: no password), when the keeper is on and its directory exists and is private.
 */
export function keeperSocket(url: PgUrl, env: Env = Deno.env): string | undefined {
  const path = keeperPath(url, env);
  return path && privateDir(path.slice(0, path.lastIndexOf("/"))) ? path : undefined;
}

/** Where the keeper's socket for this URL goes (its directory may not exist yet). */
function keeperPath(url: PgUrl, env: Env): string | undefined {
  const dir = keeperEnabled(env) ? keeperDir(env) : undefined;
  const path = dir && `${dir}/${socketName(url)}`;
  return path && path.length <= 100 ? path : undefined; // a unix socket's path has room for 107 bytes
}

function socketName(url: PgUrl): string {
  const key = `${KEEPER_VERSION}\n${describePg(url)}\n${url.sslmode}\n${SESSION_OPTIONS}`;
  return `pg-${hashName(key)}.sock`; // the key holds no password
}

/**
 * Starts a keeper for this URL in the background (see spawnHelper). Never fails the command.
 */
export function spawnKeeper(raw: string, url: PgUrl, env: Env = Deno.env): void {
  const socket = keeperPath(url, env);
  if (!socket) return;
  // The URL goes in the environment, which only this user can read (never on the command line).
  const vars = { BACKLOG_PG_KEEPER_URL: raw, BACKLOG_PG_KEEPER_SOCKET: socket };
  spawnHelper(socket, new URL("../../../main.ts", import.meta.url), KEEPER_ARG, vars);
}
