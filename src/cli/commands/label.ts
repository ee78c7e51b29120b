import type { CommandSpec, RunCtx } from "../spec.ts";
import { table } from "../format.ts";
import { commandResult } from "./num_flags.ts";

const PROJECT = {
  project: { type: "string" as const, short: "p", desc: "project alias (default: the default project)" },
};
const TASK = { task: { type: "string" as const, desc: "task ref", value: "<ref>", required: true } };

/** Attaches or detaches a label; the envelope names the task (--quiet prints its ref). */
function onTask(ctx: RunCtx, action: "attach" | "detach") {
  const ref = String(ctx.flags.task);
  ctx.app().labels[action](ref, ctx.args[0], ctx.actor());
  const t = ctx.app().tasks.getTask(ref);
  const msg = `label ${ctx.args[0]} ${action === "attach" ? "attached to" : "detached from"} ${t.ref}`;
  return commandResult(action, "label", t.id, t.ref, msg, t.ref);
}

export const labelCommand: CommandSpec = {
  name: "label",
  summary: "Per-project labels",
  subcommands: [
    {
      name: "create",
      summary: "Create a label (or change its colour)",
      args: [{ name: "name", required: true }],
      flags: { ...PROJECT, color: { type: "string", desc: "colour, e.g. #ef4444" } },
      run(ctx) {
        const l = ctx.app().labels.create(
          ctx.requireProject(),
          ctx.args[0],
          ctx.flags.color as string | undefined,
          ctx.actor(),
        );
        return { data: l, ok: `label created: ${l.name}`, written: l.id };
      },
    },
    {
      name: "list",
      db: "read",
      summary: "Labels of a project",
      flags: PROJECT,
      run(ctx) {
        const labels = ctx.app().labels.list(ctx.requireProject());
        if (!labels.length) return { data: { labels }, text: "no labels" };
        return {
          data: { labels },
          text: table(["name", "color"], labels.map((l) => [l.name, l.color ?? ""])),
        };
      },
    },
    {
      name: "attach",
      summary: "Attach a label to a task (created if missing)",
      args: [{ name: "name", required: true }],
      flags: TASK,
      run: (ctx) => onTask(ctx, "attach"),
    },
    {
      name: "detach",
      summary: "Detach a label from a task",
      args: [{ name: "name", required: true }],
      flags: TASK,
      run: (ctx) => onTask(ctx, "detach"),
    },
    {
      name: "delete",
      summary: "Delete a label from the project and all its tasks",
      args: [{ name: "name", required: true }],
      flags: PROJECT,
      run(ctx) {
        const l = ctx.app().labels.delete(ctx.requireProject(), ctx.args[0], ctx.actor());
        return commandResult("delete", "label", l.id, l.name, `label deleted: ${l.name}`);
      },
    },
  ],
};
