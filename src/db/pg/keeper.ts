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
import { statIf } from "../../fs.ts";

type Env = { get(key: string): string | undefined };

/** Bumped when what a keeper serves changes, so a command never talks to an older keeper. */
const KEEPER_VERSION = 1;

/** How long a command waits for the keeper's session before it connects directly. */
export const KEEPER_TIMEOUT_MS = 2000;

/** The hidden argument that runs the keeper (main.ts). */
export const KEEPER_ARG = "__pg-keeper";

export function keeperEnabled(env: Env = Deno.env): boolean {
  const v = env.get("BACKLOG_PG_KEEPER")?.toLowerCase();
  return Deno.build.os !== "windows" && v !== "off" && v !== "0" && v !== "false";
}

/** How long a keeper waits for the next command before it exits. */
export function keeperIdleMs(env: Env = Deno.env): number {
  const v = Number(env.get("BACKLOG_PG_KEEPER_IDLE_MS"));
  return Number.isFinite(v) && v > 0 ? v : 300_000;
}

/** The keepers' directory for this user (not created). */
export function keeperDir(env: Env = Deno.env): string | undefined {
  const uid = Deno.uid();
  if (uid === null) return undefined;
  const own = env.get("BACKLOG_PG_KEEPER_DIR");
  const dir = own || `${env.get("XDG_RUNTIME_DIR") || env.get("TMPDIR") || "/tmp"}/backlog-${uid}`;
  // The keeper runs in another directory: a relative path would name another place there.
  return (dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`).replace(/\/+$/, "");
}

/**
 * Whether a path is a directory of this user's that no one else may enter, under directories no one
 * else can rename it in (each is this user's or root's, and writable by others only with the sticky
 * bit, as /tmp is).
 */
export function privateDir(dir: string): boolean {
  try {
    const me = Deno.uid();
    const st = Deno.lstatSync(dir);
    if (!st.isDirectory || st.uid !== me || st.mode === null || (st.mode & 0o077) !== 0) return false;
    for (let up = dir.slice(0, dir.lastIndexOf("/")); up; up = up.slice(0, up.lastIndexOf("/"))) {
      const p = Deno.statSync(up);
      if ((p.uid !== me && p.uid !== 0) || p.mode === null) return false;
      if ((p.mode & 0o022) !== 0 && (p.mode & 0o1000) === 0) return false;
    }
    return true;
  } catch {
    return false;
  }
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

const exists = (p: string) => statIf(p, true) !== undefined;

function socketName(url: PgUrl): string {
  const key = `${KEEPER_VERSION}\n${describePg(url)}\n${url.sslmode}\n${SESSION_OPTIONS}`;
  // FNV-1a, 2 × 32 bits: a name, not a secret (the key holds no password).
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  return `pg-${hex(a)}${hex(b)}.sock`;
}

/**
 * Starts a keeper for this URL in the background (its own session, no stdio): it lives on after the
 * command exits. Makes the private directory first. Never fails the command.
 */
export function spawnKeeper(raw: string, url: PgUrl, env: Env = Deno.env): void {
  try {
    const socket = keeperPath(url, env);
    if (!socket) return;
    const dir = socket.slice(0, socket.lastIndexOf("/"));
    if (!exists(dir)) Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateDir(dir)) return;
    // One start per 10 s at most: where a keeper cannot start, commands do not pay for trying.
    const mark = `${socket}.started`;
    if (Date.now() - (statIf(mark)?.mtime?.getTime() ?? 0) < 10_000) return;
    Deno.writeFileSync(mark, new Uint8Array());
    const main = new URL("../../../main.ts", import.meta.url);
    if (!Deno.build.standalone && main.protocol !== "file:") return;
    const args = Deno.build.standalone
      ? [KEEPER_ARG]
      : ["run", "-A", "--quiet", decodeURIComponent(main.pathname), KEEPER_ARG];
    const child = new Deno.Command(Deno.execPath(), {
      args,
      // The URL goes in the environment, which only this user can read (never on the command line).
      env: { BACKLOG_PG_KEEPER_URL: raw, BACKLOG_PG_KEEPER_SOCKET: socket },
      cwd: Deno.build.standalone ? dir : decodeURIComponent(new URL(".", main).pathname),
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    child.unref();
  } catch { /* no keeper: the next command connects directly again */ }
}
