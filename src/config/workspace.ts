import { AppError } from "../domain/errors.ts";
import { type ConfigFile, type Env, home } from "./config.ts";
import { isPgUrl, notAFilePath, redactUrl } from "../db/url.ts";

export interface Workspace {
  /** A SQLite file path, or a `postgres://` URL (password included: never print it, use `shown`). */
  dbPath: string;
  /**
   * Where the workspace's local files live (config.toml, backlog.json, the default backup): the
   * database file's directory, or for a server `~/.backlog/servers/<host>-<port>-<database>`.
   */
  dir: string;
  profile?: string;
  /** The database lives on a PostgreSQL server (team mode), not in a file. */
  server?: boolean;
  /** dbPath as it may be shown: a URL's password replaced by `***`. */
  shown: string;
}

export interface Globals {
  db?: string;
  profile?: string;
}

const abs = (p: string, cwd: string) => (p.startsWith("/") ? p : `${cwd}/${p}`).replace(/\/+$/, "");

/** Expands a leading `~/` against $HOME. */
export function expandHome(p: string, env: Env): string {
  return p === "~" ? home(env) : p.startsWith("~/") ? `${home(env)}${p.slice(1)}` : p;
}

/** `~/.backlog/<profile>` */
export const defaultWorkspaceDir = (profile: string, env: Env) => `${home(env)}/.backlog/${profile}`;

/**
 * The local directory of a server workspace: `~/.backlog/servers/<host>-<port>-<database>` (one per
 * database, whether it is reached through --db, $BACKLOG_DB or a profile). Parsed without the driver.
 */
export function serverDir(url: string, env: Env): string {
  let host = "localhost", port = "5432", database = "";
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, "") || host;
    port = u.port || port;
    database = decodeURIComponent(u.pathname.replace(/^\//, "")) || decodeURIComponent(u.username);
  } catch { /* the store reports a malformed URL when it opens it */ }
  const name = `${host}-${port}-${database || "postgres"}`.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${home(env)}/.backlog/servers/${name}`;
}

/**
 * Raises invalid (exit 2) for a database value that is no postgres URL but looks like one (see
 * notAFilePath): taken as a path, it would be echoed and created with its password in it.
 */
export function refuseNonPath(value: string, what: string): void {
  const why = notAFilePath(value);
  if (why) throw new AppError("invalid", `${what}: ${why}`);
}

/** The workspace of a `postgres://` URL. */
function serverWorkspace(url: string, env: Env, profile?: string): Workspace {
  const w: Workspace = { dbPath: url, dir: serverDir(url, env), server: true, shown: redactUrl(url) };
  if (profile) w.profile = profile;
  return w;
}

/**
 * The workspace chain: --db > $BACKLOG_DB > --profile > default profile.
 * Raises no_workspace when nothing resolves, not_found for an unknown --profile.
 */
export function resolveWorkspace(g: Globals, global: ConfigFile, env: Env, cwd: string): Workspace {
  const file = g.db || env.get("BACKLOG_DB");
  if (file) {
    refuseNonPath(file, g.db ? "--db" : "$BACKLOG_DB");
    if (isPgUrl(file)) return serverWorkspace(file, env);
    const dbPath = abs(expandHome(file, env), cwd);
    return { dbPath, dir: dbPath.replace(/\/[^/]*$/, "") || "/", shown: dbPath };
  }
  const fromProfile = (name: string): Workspace | undefined => {
    const p = global.profiles?.[name];
    if (!p?.path) return undefined;
    refuseNonPath(p.path, `profile "${name}"'s path`);
    if (isPgUrl(p.path)) return serverWorkspace(p.path, env, name);
    const dir = abs(expandHome(p.path, env), cwd);
    return { dbPath: `${dir}/backlog.db`, dir, profile: name, shown: `${dir}/backlog.db` };
  };
  if (g.profile) {
    const w = fromProfile(g.profile);
    if (!w) {
      throw new AppError("not_found", `profile "${g.profile}" not found`, {
        hint: "run `backlog profile list` to see profiles",
      });
    }
    return w;
  }
  const w = global.default_profile ? fromProfile(global.default_profile) : undefined;
  if (w) return w;
  throw new AppError("no_workspace", "no backlog workspace found — run `backlog init` to create one", {
    hint: "or pass --db <path>, set $BACKLOG_DB, or use --profile <name>",
  });
}

/**
 * Fails clearly when the database path cannot be a database file; returns whether the file exists
 * already (opening it otherwise creates it). Raises invalid, no_workspace.
 */
export function checkDbPath(w: Workspace): boolean {
  if (w.server) return true; // a server database is checked by connecting to it
  try {
    if (Deno.statSync(w.dbPath).isDirectory) {
      throw new AppError("invalid", `database path is a directory: ${w.dbPath}`, {
        hint: "give the path of the backlog.db file inside it",
      });
    }
    return true;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    try {
      if (!Deno.statSync(w.dir).isDirectory) throw new Error();
    } catch {
      throw new AppError("no_workspace", `workspace directory does not exist: ${w.dir}`, {
        hint: "run `backlog init --path <dir>` to create a workspace",
      });
    }
    return false;
  }
}

/** The error for a workspace whose database file does not exist (reads never create one). */
export function missingDb(w: Workspace): AppError {
  return new AppError("no_workspace", `database does not exist: ${w.dbPath}`, {
    hint: w.profile
      ? `run \`backlog init --profile ${w.profile}\` to create it`
      : `check the path, or run \`backlog init --db ${w.dbPath}\` to create it`,
  });
}
