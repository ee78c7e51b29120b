import { type CommandSpec, defineCommand, type RunCtx } from "../spec.ts";
import { projectView } from "../views.ts";
import { table } from "../format.ts";
import { formatLocal } from "../../domain/time.ts";
import { globalConfigPath, readConfig, writeConfig } from "../../config/config.ts";
import type { Project } from "../../domain/models.ts";
import { parseFlags } from "./op_flags.ts";

const result = (action: string, p: Project, message: string) => ({
  data: { ok: true, action, entity: "project", id: p.id, ref: p.alias, message },
  ok: message,
  written: p.alias,
});

/**
 * The default project belongs to the workspace: it is written to `<workspace>/config.toml`, so one
 * workspace's choice never leaks into another (the original wrote it to the global file). Clearing
 * also removes a global value left there by the original.
 */
function setDefaultProject(ctx: RunCtx, alias: string) {
  const path = `${ctx.workspace().dir}/config.toml`;
  const cfg = readConfig(path, "workspace config");
  cfg.default_project = alias;
  writeConfig(path, cfg);
  const global = ctx.globalConfig();
  if (!alias && global.default_project) {
    delete global.default_project;
    writeConfig(globalConfigPath(ctx.io.env), global);
  }
}

export const projectCommand: CommandSpec = {
  name: "project",
  aliases: ["proj", "p"],
  summary: "Manage projects",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Create a project",
      args: [{ name: "name" }],
      flags: {
        alias: { type: "string", desc: "unique alias (lowercase, digits, hyphens)", required: true },
        description: { type: "string", desc: "description" },
        "repo-path": { type: "string", desc: "path of the code repository" },
      },
      examples: ['backlog project add "API Service" --alias api --repo-path ~/code/api'],
      async run(ctx) {
        const map = { alias: "alias", description: "description", repo_path: "repo-path" } as const;
        const input = parseFlags(ctx, "project_input", map, { extra: { name: ctx.args[0] } });
        const p = await ctx.app().projects.create(input, ctx.actor());
        return { data: p, text: projectView(p), written: p.alias };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "List projects",
      flags: { "include-archived": { type: "boolean", desc: "include archived projects" } },
      async run(ctx) {
        const projects = await ctx.app().projects.list({ includeArchived: !!ctx.flags["include-archived"] });
        const def = ctx.config().default_project;
        const data: Record<string, unknown> = { projects };
        if (def) data.default_project = def;
        if (!projects.length) return { data, text: "no projects found" };
        const rows = projects.map((p) => [
          ...(def ? [p.alias === def ? "*" : ""] : []),
          p.alias + (p.archived_at ? " (archived)" : ""),
          p.name,
          p.repo_path,
          formatLocal(p.created_at),
        ]);
        return { data, text: table([...(def ? [""] : []), "alias", "name", "repo", "created"], rows) };
      },
    }),
    defineCommand({
      name: "show",
      db: "read",
      summary: "Show a project",
      args: [{ name: "alias", required: true }],
      async run(ctx) {
        const p = await ctx.app().projects.get(ctx.args[0]);
        return { data: p, text: projectView(p) };
      },
    }),
    defineCommand({
      name: "update",
      summary: "Change a project's name, description or repo path",
      args: [{ name: "alias", required: true }],
      flags: {
        name: { type: "string", desc: "new name" },
        description: { type: "string", desc: "new description" },
        "repo-path": { type: "string", desc: "new repo path" },
      },
      async run(ctx) {
        const map = { name: "name", description: "description", repo_path: "repo-path" } as const;
        const patch = parseFlags(ctx, "project_update", map);
        const p = await ctx.app().projects.update(ctx.args[0], patch, ctx.actor());
        return { data: p, text: projectView(p), written: p.alias };
      },
    }),
    defineCommand({
      name: "archive",
      summary: "Archive a project",
      args: [{ name: "alias", required: true }],
      async run(ctx) {
        const p = await ctx.app().projects.archive(ctx.args[0], ctx.actor());
        return result("archive", p, `project archived: ${p.alias}`);
      },
    }),
    defineCommand({
      name: "unarchive",
      summary: "Restore an archived project",
      args: [{ name: "alias", required: true }],
      async run(ctx) {
        const p = await ctx.app().projects.unarchive(ctx.args[0], ctx.actor());
        return result("unarchive", p, `project restored: ${p.alias}`);
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete an archived project and everything in it",
      args: [{ name: "alias", required: true }],
      async run(ctx) {
        const p = await ctx.app().projects.delete(ctx.args[0], ctx.actor());
        return result("delete", p, `project deleted: ${p.alias}`);
      },
    }),
    defineCommand({
      name: "set-default",
      db: "read",
      summary: "Make a project the default for commands without --project",
      args: [{ name: "alias", required: true }],
      async run(ctx) {
        const p = await ctx.app().projects.get(ctx.args[0]);
        setDefaultProject(ctx, p.alias);
        return result("set-default", p, `default project set to "${p.alias}"`);
      },
    }),
    defineCommand({
      name: "use",
      db: "read",
      summary: "Switch the active (default) project",
      args: [{ name: "alias", required: true }],
      async run(ctx) {
        const p = await ctx.app().projects.get(ctx.args[0]);
        setDefaultProject(ctx, p.alias);
        return result("use", p, `active project: "${p.alias}" → ${p.name}`);
      },
    }),
    defineCommand({
      name: "current",
      db: "read",
      summary: "Show the active project",
      async run(ctx) {
        const alias = ctx.config().default_project;
        if (!alias) {
          return {
            data: { default_project: "" },
            text: "no active project — run `backlog project set-default <alias>`",
          };
        }
        try {
          const p = await ctx.app().projects.get(alias);
          return { data: { default_project: alias, project: p }, text: `* ${alias.padEnd(20)} ${p.name}` };
        } catch {
          return {
            data: { default_project: alias, status: "missing" },
            text: `active project: "${alias}" (project not found)`,
          };
        }
      },
    }),
    defineCommand({
      name: "clear-default",
      db: "read",
      summary: "Clear the default project",
      run(ctx) {
        setDefaultProject(ctx, "");
        const message = "default project cleared — no active project";
        return {
          data: { ok: true, action: "clear-default", entity: "project", id: "", ref: "", message },
          ok: message,
          written: "",
        };
      },
    }),
  ],
};
