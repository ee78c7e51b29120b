import { defineCommand } from "../spec.ts";
import { AppError } from "../../domain/errors.ts";
import { parseActor } from "../../domain/actor.ts";
import { parsePriority, parseStatus, parseTaskType } from "../../domain/enums.ts";
import { globalConfigPath, writeConfig } from "../../config/config.ts";
import { defaultWorkspaceDir, expandHome } from "../../config/workspace.ts";
import { openApp } from "../../app.ts";
import { validateProfileName } from "../../config/profiles.ts";

const MANAGED = [
  "backlog.db",
  "backlog.db-shm",
  "backlog.db-wal",
  "backlog.db-journal",
  "backlog.json",
  "backlog.config",
  "config.toml",
];

function exists(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

export const initCommand = defineCommand({
  name: "init",
  summary: "Create a workspace (database + config) and register it as a profile",
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
  examples: ["backlog init", "backlog init --profile work --path ~/work/.backlog --set-default"],
  run(ctx) {
    const env = ctx.io.env;
    const profile = validateProfileName(String(ctx.flags.profile ?? "default"), "--profile");
    // Without --path, a profile that is already registered keeps its own directory.
    const registered = ctx.globalConfig().profiles?.[profile]?.path;
    const raw = ctx.flags.path
      ? expandHome(String(ctx.flags.path), env)
      : registered
      ? expandHome(registered, env)
      : defaultWorkspaceDir(profile, env);
    const dir = (raw.startsWith("/") ? raw : `${ctx.io.cwd}/${raw}`).replace(/\/+$/, "");
    const actor = ctx.flags.actor
      ? String(ctx.flags.actor)
      : env.get("USER")
      ? `human:${env.get("USER")}`
      : "";
    if (actor) parseActor(actor, "--actor");
    const defaults: Record<string, unknown> = { actor };
    if (ctx.flags.priority) defaults.priority = parsePriority(String(ctx.flags.priority));
    if (ctx.flags.status) defaults.status = parseStatus(String(ctx.flags.status));
    if (ctx.flags.type) defaults.type = parseTaskType(String(ctx.flags.type));
    const st = exists(dir);
    if (st && !st.isDirectory) {
      throw new AppError("invalid", `workspace path exists and is not a directory: ${dir}`);
    }
    const reset = !!ctx.flags.reset;
    if (exists(`${dir}/backlog.db`) && !reset) {
      return {
        data: { ok: true, action: "init", path: dir, profile, created: false },
        ok: `already initialized; workspace directory exists (profile: "${profile}", path: ${dir})`,
        written: dir,
      };
    }
    if (reset) { for (const f of MANAGED) if (exists(`${dir}/${f}`)) Deno.removeSync(`${dir}/${f}`); }
    Deno.mkdirSync(dir, { recursive: true });
    openApp({ dbPath: `${dir}/backlog.db` }).close();
    writeConfig(`${dir}/config.toml`, {
      default_project: "",
      output: { default_format: "table", color: "auto" },
      defaults,
    });
    const global = ctx.globalConfig();
    global.profiles = { ...global.profiles, [profile]: { path: dir } };
    const makeDefault = !!ctx.flags["set-default"] || !global.default_profile;
    if (makeDefault) global.default_profile = profile;
    writeConfig(globalConfigPath(env), global);
    const msg = `${reset ? "workspace reset" : "workspace initialized"}: ${dir} (profile: "${profile}")${
      st ? " [directory already existed; preserved]" : ""
    }${makeDefault ? " [default]" : ""}`;
    return {
      data: {
        ok: true,
        action: reset ? "reset" : "init",
        path: dir,
        profile,
        default: makeDefault,
        created: true,
      },
      ok: msg,
      written: dir,
    };
  },
});
