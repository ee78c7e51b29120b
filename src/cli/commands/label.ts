import type { CommandSpec } from "../spec.ts";
import { table } from "../format.ts";

const PROJECT = {
  project: { type: "string" as const, short: "p", desc: "project alias (default: the default project)" },
};
const TASK = { task: { type: "string" as const, desc: "task ref", value: "<ref>", required: true } };

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
        return { data: l, ok: `label created: ${l.name}` };
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
      run(ctx) {
        ctx.app().labels.attach(String(ctx.flags.task), ctx.args[0], ctx.actor());
        const t = ctx.app().tasks.getTask(String(ctx.flags.task));
        return {
          data: {
            ok: true,
            action: "attach",
            entity: "label",
            id: t.id,
            ref: t.ref,
            message: `label ${ctx.args[0]} attached to ${t.ref}`,
          },
        };
      },
    },
    {
      name: "detach",
      summary: "Detach a label from a task",
      args: [{ name: "name", required: true }],
      flags: TASK,
      run(ctx) {
        ctx.app().labels.detach(String(ctx.flags.task), ctx.args[0], ctx.actor());
        const t = ctx.app().tasks.getTask(String(ctx.flags.task));
        return {
          data: {
            ok: true,
            action: "detach",
            entity: "label",
            id: t.id,
            ref: t.ref,
            message: `label ${ctx.args[0]} detached from ${t.ref}`,
          },
        };
      },
    },
    {
      name: "delete",
      summary: "Delete a label from the project and all its tasks",
      args: [{ name: "name", required: true }],
      flags: PROJECT,
      run(ctx) {
        const l = ctx.app().labels.delete(ctx.requireProject(), ctx.args[0], ctx.actor());
        const message = `label deleted: ${l.name}`;
        return {
          data: { ok: true, action: "delete", entity: "label", id: l.id, ref: l.name, message },
          ok: message,
        };
      },
    },
  ],
};
