import { AppError } from "../domain/errors.ts";
import { type ConfigFile, type Env, home } from "./config.ts";

export interface Workspace {
  dbPath: string;
  dir: string;
  profile?: string;
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
 * The workspace chain: --db > $BACKLOG_DB > --profile > default profile.
 * Raises no_workspace when nothing resolves, not_found for an unknown --profile.
 */
export function resolveWorkspace(g: Globals, global: ConfigFile, env: Env, cwd: string): Workspace {
  const file = g.db || env.get("BACKLOG_DB");
  if (file) {
    const dbPath = abs(expandHome(file, env), cwd);
    return { dbPath, dir: dbPath.replace(/\/[^/]*$/, "") || "/" };
  }
  const fromProfile = (name: string) => {
    const p = global.profiles?.[name];
    if (!p?.path) return undefined;
    const dir = abs(expandHome(p.path, env), cwd);
    return { dbPath: `${dir}/backlog.db`, dir, profile: name };
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
