import type { App } from "../app.ts";
import { type Actor, parseActor } from "../domain/actor.ts";
import { AppError, usage } from "../domain/errors.ts";
import { fsError } from "../fs.ts";
import {
  type ConfigFile,
  type Effective,
  effective,
  fileExists,
  globalConfigPath,
  loadToml,
  readConfig,
} from "../config/config.ts";
import { checkDbPath, missingDb, resolveWorkspace, type Workspace } from "../config/workspace.ts";
import type { Parsed } from "./parse.ts";
import type { Io, RunCtx } from "./spec.ts";

/** Builds the context a command runs with; config, workspace, app and actor load on first use. */
export function makeContext(
  p: Parsed,
  io: Io,
  openApp: (w: Workspace, cfg: Effective, read: boolean) => Promise<App>,
): RunCtx & {
  createdDb?: string;
  loadConfigFormat(writes: boolean): Promise<void>;
  open(): Promise<App>;
  close(): Promise<void>;
} {
  let global: ConfigFile | undefined;
  let ws: Workspace | undefined;
  let eff: Effective | undefined;
  let app: App | undefined;
  let actor: Actor | undefined;
  const ctx = {
    path: p.path,
    args: p.args,
    flags: p.flags,
    given: (n: string) => p.given.has(n),
    io,
    json: p.globals.json,
    quiet: p.globals.quiet,
    globals: { db: p.globals.db, profile: p.globals.profile, as: p.globals.as },
    globalConfig: () => global ??= readConfig(globalConfigPath(io.env), "global config"),
    workspace: () => ws ??= resolveWorkspace(p.globals, ctx.globalConfig(), io.env, io.cwd),
    config(): Effective {
      if (eff) return eff;
      let wsCfg: ConfigFile = {};
      try {
        wsCfg = readConfig(`${ctx.workspace().dir}/config.toml`, "workspace config");
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== "no_workspace") throw err;
      }
      return eff = effective(ctx.globalConfig(), wsCfg);
    },
    /**
     * Loads the TOML parser when the run may read a config file that exists (global, then the
     * workspace's) or its command writes one; runCli does it before the command. Most runs have no
     * config file, so most never load it.
     */
    async loadConfigFormat(writes: boolean): Promise<void> {
      let needed = writes;
      try {
        needed ||= fileExists(globalConfigPath(io.env)) || fileExists(`${ctx.workspace().dir}/config.toml`);
      } catch { /* no home or no workspace: the command reports it if it needs one */ }
      if (needed) await loadToml();
    },
    /** Opens the workspace (creating and migrating it when needed); runCli does it before the command. */
    async open(): Promise<App> {
      if (app) return app;
      const w = ctx.workspace();
      const read = p.cmd.db === "read" || !!(p.cmd.readWith && p.flags[p.cmd.readWith]);
      if (!checkDbPath(w)) {
        if (read) throw missingDb(w);
        ctx.createdDb = w.dbPath;
      }
      app = await openApp(w, ctx.config(), read);
      // A server workspace's local files (config.toml, backlog.json, backups) go in a directory of
      // its own, made once the server has answered.
      if (w.server) Deno.mkdirSync(w.dir, { recursive: true });
      return app;
    },
    app(): App {
      if (!app) throw new AppError("internal", "the workspace was not opened before the command ran");
      return app;
    },
    actor(): Actor {
      if (actor) return actor;
      if (p.globals.as !== undefined) return actor = parseActor(p.globals.as, "--as");
      const env = io.env.get("BACKLOG_ACTOR");
      if (env) return actor = parseActor(env, "$BACKLOG_ACTOR");
      const cfg = safeConfig(ctx)?.actor;
      if (cfg) return actor = parseActor(cfg, "config defaults.actor");
      return actor = { kind: "human", name: io.env.get("USER") || "user" };
    },
    project(): string {
      if (p.given.has("project")) return String(p.flags.project ?? "").trim();
      return ctx.config().default_project;
    },
    requireProject(): string {
      const v = ctx.project();
      if (!v) {
        throw usage("project is required (pass --project or run `backlog project set-default <alias>`)");
      }
      return v;
    },
    async readText(path: string, flag: string): Promise<string> {
      try {
        if (path === "-") return new TextDecoder().decode(await io.readStdin());
        return await Deno.readTextFile(path.startsWith("/") ? path : `${io.cwd}/${path}`);
      } catch (err) {
        throw fsError(flag, "read", path, err);
      }
    },
    /** Set when opening the workspace created a new database file (a mistyped --db shows up). */
    createdDb: undefined as string | undefined,
    async close() {
      await app?.close();
    },
  };
  return ctx;
}

function safeConfig(ctx: RunCtx): Effective | undefined {
  try {
    return ctx.config();
  } catch {
    return undefined;
  }
}
