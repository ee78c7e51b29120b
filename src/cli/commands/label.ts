import { type CommandSpec, defineCommand, type RunCtxWith } from "../spec.ts";
import { table } from "../format.ts";
import { commandResult } from "./num_flags.ts";
import { parseFlags, parseInput } from "./op_flags.ts";

const PROJECT = {
  project: { type: "string" as const, short: "p", desc: "project alias (default: the default project)" },
};
const TASK = { task: { type: "string" as const, desc: "task ref", value: "<ref>", required: true } };

/** Attaches or detaches a label; the envelope names the task (--quiet prints its ref). */
async function onTask(ctx: RunCtxWith<"task">, action: "attach" | "detach") {
  const ref = String(ctx.flags.task);
  const name = action === "attach" ? parseInput("label_attach", { name: ctx.args[0] }).name : ctx.args[0];
  await ctx.app().labels[action](ref, name, ctx.actor());
  const t = await ctx.app().tasks.getTask(ref);
  const msg = `label ${ctx.args[0]} ${action === "attach" ? "attached to" : "detached from"} ${t.ref}`;
  return commandResult(action, "label", t.id, t.ref, msg, t.ref);
}

export const labelCommand: CommandSpec = {
  name: "label",
  summary: "Per-project labels",
  subcommands: [
    defineCommand({
      name: "create",
      summary: "Create a label (or change its colour)",
      args: [{ name: "name", required: true }],
      flags: { ...PROJECT, color: { type: "string", desc: "colour, e.g. #ef4444" } },
      async run(ctx) {
        const extra = { project: ctx.requireProject(), name: ctx.args[0] };
        const q = parseFlags(ctx, "label_input", { color: "color" }, { extra });
        const l = await ctx.app().labels.create(q.project, q.name, q.color, ctx.actor());
        return { data: l, ok: `label created: ${l.name}`, written: l.id };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      summary: "Labels of a project",
      flags: PROJECT,
      async run(ctx) {
        const labels = await ctx.app().labels.list(ctx.requireProject());
        if (!labels.length) return { data: { labels }, text: "no labels" };
        return {
          data: { labels },
          text: table(["name", "color"], labels.map((l) => [l.name, l.color ?? ""])),
        };
      },
    }),
    defineCommand({
      name: "attach",
      summary: "Attach a label to a task (created if missing)",
      args: [{ name: "name", required: true }],
      flags: TASK,
      run: async (ctx) => await onTask(ctx, "attach"),
    }),
    defineCommand({
      name: "detach",
      summary: "Detach a label from a task",
      args: [{ name: "name", required: true }],
      flags: TASK,
      run: async (ctx) => await onTask(ctx, "detach"),
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a label from the project and all its tasks",
      args: [{ name: "name", required: true }],
      flags: PROJECT,
      async run(ctx) {
        const l = await ctx.app().labels.delete(ctx.requireProject(), ctx.args[0], ctx.actor());
        return commandResult("delete", "label", l.id, l.name, `label deleted: ${l.name}`);
      },
    }),
  ],
};
