import { AppError } from "../domain/errors.ts";
import { parseActor } from "../domain/actor.ts";
import { parsePriority, parseStatus, parseTaskType } from "../domain/enums.ts";
import { type ConfigFile, writeConfig } from "./config.ts";
import { openApp } from "../app.ts";
import { checkDbPath, type Workspace } from "./workspace.ts";

/** The files a workspace owns (what `--reset` removes; anything else in the directory stays). */
const MANAGED = [
  "backlog.db",
  "backlog.db-shm",
  "backlog.db-wal",
  "backlog.db-journal",
  "backlog.json",
  "backlog.config",
  "config.toml",
];

/** What a new workspace's config.toml holds as task defaults (each as typed; checked here). */
export interface WorkspaceDefaults {
  actor: string;
  priority?: string;
  status?: string;
  type?: string;
}

/** What initialisation did: created (or reset) the workspace, or found one already there. */
export interface InitResult {
  created: boolean;
  /** The directory existed before (its other files are preserved). */
  existed: boolean;
}

function exists(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Creates and migrates just the database at `w.dbPath` (parent directories included), or, with
 * `reset`, deletes it (and its WAL side files) first; an existing one is left alone unless reset.
 */
export async function initDatabase(w: Workspace, opts: { reset?: boolean } = {}): Promise<InitResult> {
  Deno.mkdirSync(w.dir, { recursive: true });
  const existed = checkDbPath(w);
  if (existed && !opts.reset) return { created: false, existed };
  if (existed) {
    for (const side of ["", "-wal", "-shm", "-journal"]) {
      if (exists(w.dbPath + side)) Deno.removeSync(w.dbPath + side);
    }
  }
  await (await openApp({ dbPath: w.dbPath })).close();
  return { created: true, existed };
}

/**
 * Creates a workspace in `dir` (the directory, a migrated database and config.toml), or, with
 * `reset`, deletes the workspace's own files first. A directory that already holds a database is
 * left alone unless reset. Raises invalid (a default, or `dir` is a file), usage (actor).
 */
export async function initWorkspace(
  dir: string,
  d: WorkspaceDefaults,
  opts: { reset?: boolean } = {},
): Promise<InitResult> {
  if (d.actor) parseActor(d.actor, "--actor");
  const defaults: NonNullable<ConfigFile["defaults"]> = { actor: d.actor };
  if (d.priority) defaults.priority = parsePriority(d.priority);
  if (d.status) defaults.status = parseStatus(d.status);
  if (d.type) defaults.type = parseTaskType(d.type);
  const st = exists(dir);
  if (st && !st.isDirectory) {
    throw new AppError("invalid", `workspace path exists and is not a directory: ${dir}`);
  }
  if (exists(`${dir}/backlog.db`) && !opts.reset) return { created: false, existed: true };
  if (opts.reset) { for (const f of MANAGED) if (exists(`${dir}/${f}`)) Deno.removeSync(`${dir}/${f}`); }
  Deno.mkdirSync(dir, { recursive: true });
  await (await openApp({ dbPath: `${dir}/backlog.db` })).close();
  writeConfig(`${dir}/config.toml`, {
    default_project: "",
    output: { default_format: "table", color: "auto" },
    defaults,
  });
  return { created: true, existed: !!st };
}
