import { defineCommand, type Output, type RunCtxWith } from "../spec.ts";
import { AppError } from "../../domain/errors.ts";
import { globalConfigPath, writeConfig } from "../../config/config.ts";
import { defaultWorkspaceDir, expandHome, refuseNonPath, resolveWorkspace } from "../../config/workspace.ts";
import { initDatabase, initWorkspace } from "../../config/init.ts";
import { validateProfileName } from "../../config/profiles.ts";
import { isPgUrl, redactUrl } from "../../db/url.ts";

const WORKSPACE_ONLY = ["profile", "path", "set-default", "actor", "priority", "status", "type"] as const;

/**
 * `init --db <file>`: creates and migrates just that database (parent directories included). It
 * registers no profile and writes no config.toml: the file's directory may be anything (a project
 * checkout), and the file is addressed with --db or $BACKLOG_DB.
 */
async function initDbFile(ctx: RunCtxWith<typeof WORKSPACE_ONLY[number] | "reset">): Promise<Output> {
  const extra = WORKSPACE_ONLY.find((f) => ctx.given(f));
  if (extra) {
    throw new AppError(
      "usage",
      `--${extra} configures a workspace directory; init --db creates only a database`,
      {
        hint: "drop --db to create a workspace (directory, config and profile), or drop --" + extra,
      },
    );
  }
  const w = resolveWorkspace({ db: ctx.globals.db }, {}, ctx.io.env, ctx.io.cwd);
  const { created, existed } = await initDatabase(w, { reset: !!ctx.flags.reset });
  if (!created) {
    return {
      data: { ok: true, action: "init", path: w.shown, created: false },
      ok: `already initialized; database exists: ${w.shown}`,
      written: w.shown,
    };
  }
  return {
    data: { ok: true, action: existed ? "reset" : "init", path: w.shown, created: true },
    ok: `${existed ? "database reset" : "database created"}: ${w.shown}`,
    written: w.shown,
  };
}

export const initCommand = defineCommand({
  name: "init",
  summary: "Create a workspace (database + config) and register it as a profile",
  description: "Creates <dir>/backlog.db and <dir>/config.toml and registers <dir> as a profile. " +
    "With the global --db <file>, creates and migrates only that database file (no config, no " +
    "profile); commands then use it through --db or $BACKLOG_DB. A postgres:// URL as --path or " +
    "--db migrates that server database (it must exist) instead; its config.toml lives in " +
    "~/.backlog/servers/<host>-<port>-<database>.",
  db: false,
  flags: {
    profile: { type: "string", desc: "profile name (default: default)", value: "<name>" },
    path: { type: "string", desc: "workspace directory (default: ~/.backlog/<profile>)", value: "<dir>" },
    "set-default": { type: "boolean", desc: "make this the default profile" },
    actor: { type: "string", desc: "default actor written to the workspace config", value: "<kind:name>" },
    priority: { type: "string", desc: "default priority for new tasks (P1-P5)" },
    status: { type: "string", desc: "default status for new tasks" },
    type: { type: "string", desc: "default type for new tasks" },
    reset: { type: "boolean", desc: "delete the workspace's database and config first (other files stay)" },
  },
  examples: [
    "backlog init",
    "backlog init --profile work --path ~/work/.backlog --set-default",
    "backlog init --db ./team.db",
    "backlog init --profile team --path postgres://me@db.example.com/backlog --set-default",
  ],
  async run(ctx) {
    if (ctx.globals.db !== undefined) return await initDbFile(ctx);
    const env = ctx.io.env;
    const profile = validateProfileName(String(ctx.flags.profile ?? "default"), "--profile");
    // Without --path, a profile that is already registered keeps its own directory.
    const registered = ctx.globalConfig().profiles?.[profile]?.path;
    const raw = ctx.flags.path
      ? expandHome(String(ctx.flags.path), env)
      : registered
      ? expandHome(registered, env)
      : defaultWorkspaceDir(profile, env);
    refuseNonPath(raw, "--path");
    const server = isPgUrl(raw);
    const dir = server ? raw : (raw.startsWith("/") ? raw : `${ctx.io.cwd}/${raw}`).replace(/\/+$/, "");
    const shown = server ? redactUrl(dir) : dir;
    const actor = ctx.flags.actor
      ? String(ctx.flags.actor)
      : env.get("USER")
      ? `human:${env.get("USER")}`
      : "";
    const str = (k: "priority" | "status" | "type") => ctx.flags[k] ? String(ctx.flags[k]) : undefined;
    const reset = !!ctx.flags.reset;
    const defaults = { actor, priority: str("priority"), status: str("status"), type: str("type") };
    const r = await initWorkspace(dir, defaults, { reset, env });
    const global = ctx.globalConfig();
    const makeDefault = !!ctx.flags["set-default"] || !global.default_profile;
    // A re-run on a workspace directory that exists registers it only when asked to (--path,
    // --set-default) or when the profile is missing; a server database's init registers it always.
    if (r.created || server || makeDefault || ctx.flags.path || !registered) {
      global.profiles = { ...global.profiles, [profile]: { path: dir } };
      if (makeDefault) global.default_profile = profile;
      writeConfig(globalConfigPath(env), global);
    }
    // What the profile is now, not what this run changed: a re-run on the default says so.
    const isDefault = global.default_profile === profile;
    if (!r.created && !server) {
      return {
        data: { ok: true, action: "init", path: shown, profile, default: isDefault, created: false },
        ok: `already initialized; workspace directory exists (profile: "${profile}", path: ${shown})${
          isDefault ? " [default]" : ""
        }`,
        written: shown,
      };
    }
    const kept = server
      ? " [database already had a schema; kept]"
      : " [directory already existed; preserved]";
    const msg = `${reset ? "workspace reset" : "workspace initialized"}: ${shown} (profile: "${profile}")${
      r.existed ? kept : ""
    }${isDefault ? " [default]" : ""}`;
    return {
      data: {
        ok: true,
        action: reset ? "reset" : "init",
        path: shown,
        profile,
        default: isDefault,
        created: r.created,
      },
      ok: msg,
      written: shown,
    };
  },
});
