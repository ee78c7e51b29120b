import { AppError } from "../domain/errors.ts";
import { parseActor } from "../domain/actor.ts";
import { parsePriority, parseStatus, parseTaskType } from "../domain/enums.ts";
import { type ConfigFile, type Env, loadToml, writeConfig } from "./config.ts";
import { checkDbPath, serverDir, type Workspace } from "./workspace.ts";
import { isPgUrl } from "../db/url.ts";
import { statIf as exists } from "../fs.ts";
import { openStore } from "../db/open.ts";
import { schemaVersion } from "../db/migrate.ts";

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

/**
 * Creates and migrates just the database at `w.dbPath` (parent directories included), or, with
 * `reset`, deletes it (and its WAL side files) first; an existing one is left alone unless reset.
 */
export async function initDatabase(w: Workspace, opts: { reset?: boolean } = {}): Promise<InitResult> {
  if (w.server) return await initServer(w.dbPath, opts);
  Deno.mkdirSync(w.dir, { recursive: true });
  const existed = checkDbPath(w);
  if (existed && !opts.reset) return { created: false, existed };
  if (existed) {
    for (const side of ["", "-wal", "-shm", "-journal"]) {
      if (exists(w.dbPath + side)) Deno.removeSync(w.dbPath + side);
    }
  }
  await (await openStore(w.dbPath)).close();
  return { created: true, existed };
}

/**
 * Migrates the database of a `postgres://` URL (which must exist on the server); `created` says it
 * had no schema before. Raises usage on `reset` (a server database is dropped on the server, not here).
 */
async function initServer(url: string, opts: { reset?: boolean }): Promise<InitResult> {
  if (opts.reset) {
    throw new AppError("usage", "--reset does not apply to a postgres database", {
      hint: "drop and recreate the database on the server (dropdb, createdb), then run init again",
    });
  }
  const db = await openStore(url, { noMigrate: true });
  let before: number;
  try {
    before = await schemaVersion(db);
  } finally {
    await db.close();
  }
  await (await openStore(url)).close();
  return { created: before === 0, existed: before > 0 };
}

/**
 * Creates a workspace in `dir` (the directory, a migrated database and config.toml), or, with
 * `reset`, deletes the workspace's own files first. A directory that already holds a database is
 * left alone unless reset. `dir` may be a `postgres://` URL (see initServerWorkspace; `opts.env`
 * finds its local directory). Raises invalid (a default, or `dir` is a file), usage (actor).
 */
export async function initWorkspace(
  dir: string,
  d: WorkspaceDefaults,
  opts: { reset?: boolean; env?: Env } = {},
): Promise<InitResult> {
  if (d.actor) parseActor(d.actor, "--actor");
  await loadToml();
  const defaults: NonNullable<ConfigFile["defaults"]> = { actor: d.actor };
  if (d.priority) defaults.priority = parsePriority(d.priority);
  if (d.status) defaults.status = parseStatus(d.status);
  if (d.type) defaults.type = parseTaskType(d.type);
  if (isPgUrl(dir)) return await initServerWorkspace(dir, defaults, opts);
  const st = exists(dir);
  if (st && !st.isDirectory) {
    throw new AppError("invalid", `workspace path exists and is not a directory: ${dir}`);
  }
  if (exists(`${dir}/backlog.db`) && !opts.reset) return { created: false, existed: true };
  if (opts.reset) { for (const f of MANAGED) if (exists(`${dir}/${f}`)) Deno.removeSync(`${dir}/${f}`); }
  Deno.mkdirSync(dir, { recursive: true });
  await (await openStore(`${dir}/backlog.db`)).close();
  writeConfig(`${dir}/config.toml`, {
    default_project: "",
    output: { default_format: "table", color: "auto" },
    defaults,
  });
  return { created: true, existed: !!st };
}

/**
 * `init --path postgres://…`: migrates the server database and, when it has none yet, writes the
 * workspace's config.toml into its local directory (`serverDir`). `created` says the database had
 * no schema before; the profile is registered either way (a teammate joins an existing database).
 */
async function initServerWorkspace(
  url: string,
  defaults: NonNullable<ConfigFile["defaults"]>,
  opts: { reset?: boolean; env?: Env },
): Promise<InitResult> {
  const r = await initServer(url, opts);
  const dir = serverDir(url, opts.env ?? { get: (k) => Deno.env.get(k) });
  if (!exists(`${dir}/config.toml`)) {
    writeConfig(`${dir}/config.toml`, {
      default_project: "",
      output: { default_format: "table", color: "auto" },
      defaults,
    });
  }
  return r;
}
