import { type CommandSpec, defineCommand, type RunCtx } from "../spec.ts";
import { detail } from "../format.ts";
import { globalConfigPath, writeConfig } from "../../config/config.ts";
import {
  addProfile,
  clearDefaultProfile,
  getProfile,
  listProfiles,
  type Profile,
  removeProfile,
  setDefaultProfile,
} from "../../config/profiles.ts";

// Profile commands only read and write the global config: they never open a database.
const NAME = [{ name: "name", required: true }];

const env = (ctx: RunCtx) => ctx.io.env;
const save = (ctx: RunCtx) => writeConfig(globalConfigPath(ctx.io.env), ctx.globalConfig());
const line = (p: Profile) => `${p.default ? "*" : " "} ${p.name.padEnd(20)} ${where(p)}`;
/** A file profile's directory; a server profile's URL (password hidden). */
const where = (p: Profile) => p.server ? p.path : p.dir;

/** Whether a file profile's database exists (a server's is only known by connecting: assumed). */
function initialized(p: Profile): boolean {
  if (p.server) return true;
  try {
    return Deno.statSync(`${p.dir}/backlog.db`).isFile;
  } catch {
    return false;
  }
}

function result(action: string, name: string, message: string, extra: Record<string, unknown> = {}) {
  return {
    data: { ok: true, action, entity: "profile", id: name, ref: name, message, ...extra },
    ok: message,
    written: name,
  };
}

export const profileCommand: CommandSpec = {
  name: "profile",
  summary: "Named workspaces (stored in the global config; no database needed)",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Register a workspace directory under a name",
      args: NAME,
      db: false,
      flags: {
        path: { type: "string", desc: "workspace directory", value: "<dir>", required: true },
        "set-default": { type: "boolean", desc: "also make it the default profile" },
      },
      examples: ["backlog profile add work --path ~/work/.backlog --set-default"],
      run(ctx) {
        const cfg = ctx.globalConfig();
        const p = addProfile(cfg, ctx.args[0], String(ctx.flags.path), env(ctx), ctx.io.cwd);
        if (ctx.flags["set-default"]) cfg.default_profile = p.name;
        save(ctx);
        const out = { ...p, default: cfg.default_profile === p.name };
        const notes = initialized(p) ? [] : [
          `note: no backlog.db in ${p.dir} yet; run \`backlog init --profile ${p.name} --path ${p.dir}\``,
        ];
        return { data: out, ok: `profile "${p.name}" registered → ${p.path}`, notes, written: p.name };
      },
    }),
    defineCommand({
      name: "list",
      aliases: ["ls"],
      summary: "Registered profiles, by name (* = default)",
      db: false,
      run(ctx) {
        const cfg = ctx.globalConfig();
        const profiles = listProfiles(cfg, env(ctx), ctx.io.cwd);
        const data = { profiles, default_profile: cfg.default_profile ?? "" };
        return { data, text: profiles.length ? profiles.map(line).join("\n") : "no profiles registered" };
      },
    }),
    defineCommand({
      name: "show",
      summary: "Show a profile",
      args: NAME,
      db: false,
      run(ctx) {
        const p = getProfile(ctx.globalConfig(), ctx.args[0], env(ctx), ctx.io.cwd);
        const data = {
          ...p,
          db_path: p.server ? p.path : `${p.dir}/backlog.db`,
          initialized: initialized(p),
        };
        const text = detail([
          ["Profile", p.name],
          ["Path", where(p)],
          ["Default", p.default ? "yes" : "no"],
          ["Database", `${data.db_path}${data.initialized ? "" : " (missing)"}`],
        ]);
        return { data, text };
      },
    }),
    defineCommand({
      name: "set-default",
      summary: "Make a profile the default workspace",
      args: NAME,
      db: false,
      run(ctx) {
        const p = setDefaultProfile(ctx.globalConfig(), ctx.args[0], env(ctx), ctx.io.cwd);
        save(ctx);
        return result("set-default", p.name, `default profile set to "${p.name}"`, { path: where(p) });
      },
    }),
    defineCommand({
      name: "use",
      summary: "Switch the active (default) profile",
      args: NAME,
      db: false,
      run(ctx) {
        const p = setDefaultProfile(ctx.globalConfig(), ctx.args[0], env(ctx), ctx.io.cwd);
        save(ctx);
        return result("use", p.name, `active profile: "${p.name}" → ${where(p)}`, { path: where(p) });
      },
    }),
    defineCommand({
      name: "current",
      summary: "Show the active (default) profile",
      db: false,
      run(ctx) {
        const cfg = ctx.globalConfig();
        const name = cfg.default_profile ?? "";
        if (!name) {
          return {
            data: { default_profile: "" },
            text: "no active profile — run `backlog init` to create one",
          };
        }
        const p = listProfiles(cfg, env(ctx), ctx.io.cwd).find((x) => x.name === name);
        if (!p) {
          return {
            data: { default_profile: name, status: "missing" },
            text: `active profile: "${name}" (path not found in registry)`,
          };
        }
        return { data: { default_profile: name, profile: p }, text: line(p) };
      },
    }),
    defineCommand({
      name: "clear-default",
      summary: "Clear the default profile",
      db: false,
      run(ctx) {
        const was = clearDefaultProfile(ctx.globalConfig()) ?? "";
        save(ctx);
        return {
          ...result("clear-default", was, "default profile cleared — no active profile"),
          written: "",
        };
      },
    }),
    defineCommand({
      name: "remove",
      aliases: ["rm"],
      summary: "Unregister a profile (its files stay); clears the default if it was the default",
      args: NAME,
      db: false,
      run(ctx) {
        const p = removeProfile(ctx.globalConfig(), ctx.args[0], env(ctx), ctx.io.cwd);
        save(ctx);
        const msg = `profile "${p.name}" removed (${p.server ? "the database" : `files in ${p.dir}`} kept)` +
          (p.cleared_default ? "; it was the default — no active profile now" : "");
        return result("remove", p.name, msg, { path: where(p), cleared_default: p.cleared_default });
      },
    }),
  ],
};
