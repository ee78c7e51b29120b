import { type CommandSpec, defineCommand, type RunCtxWith } from "../spec.ts";
import { planView } from "../views.ts";
import { table } from "../format.ts";
import { commandResult } from "./num_flags.ts";
import { formatActor } from "../../domain/actor.ts";
import { formatLocal } from "../../domain/time.ts";
import { displayId, shortId } from "../../domain/refs.ts";
import { AppError } from "../../domain/errors.ts";
import { parseFlags } from "./op_flags.ts";

/** `--from-file` wins over `--content`; undefined when neither is given. */
async function body(ctx: RunCtxWith<"from-file" | "content">): Promise<string | undefined> {
  const file = ctx.flags["from-file"] as string | undefined;
  if (file) return await ctx.readText(file, "--from-file");
  return ctx.given("content") ? String(ctx.flags.content ?? "") : undefined;
}

const content = {
  content: { type: "string" as const, desc: "body (markdown)" },
  "from-file": { type: "string" as const, desc: "read the body from a file (- = stdin)", value: "<path>" },
  "change-note": { type: "string" as const, desc: "why this version" },
};

export const planCommand: CommandSpec = {
  name: "plan",
  summary: "Versioned plans on tasks",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Add a plan (v1) to a task",
      flags: {
        task: { type: "string", desc: "task ref", value: "<ref>", required: true },
        title: { type: "string", desc: "plan title", required: true },
        source: { type: "string", desc: "where the plan came from" },
        ...content,
      },
      examples: ['backlog plan add --task TASK-3 --title "Approach" --from-file plan.md'],
      async run(ctx) {
        const b = await body(ctx);
        if (b === undefined) throw new AppError("usage", "--content or --from-file is required");
        const map = {
          task_id: "task",
          title: "title",
          source: "source",
          change_note: "change-note",
        } as const;
        const input = parseFlags(ctx, "plan_input", map, { extra: { body: b } });
        const p = await ctx.app().plans.create(input, ctx.actor());
        return { data: p, text: planView(p, p.version!), written: p.id };
      },
    }),
    defineCommand({
      name: "update",
      summary: "Add a new version (what is not given is kept)",
      args: [{ name: "plan-id", required: true }],
      flags: { title: { type: "string", desc: "new title" }, ...content },
      examples: ['backlog plan update 01HX3K2M --change-note "reviewed"'],
      async run(ctx) {
        const b = await body(ctx);
        const map = { title: "title", change_note: "change-note" } as const;
        const change = parseFlags(ctx, "plan_update", map, { extra: b === undefined ? {} : { body: b } });
        const p = await ctx.app().plans.update(ctx.args[0], change, ctx.actor());
        return { data: p, text: planView(p, p.version!), written: p.id };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "Current plans of a task",
      flags: { task: { type: "string", desc: "task ref", value: "<ref>", required: true } },
      async run(ctx) {
        const plans = await ctx.app().plans.list(String(ctx.flags.task));
        if (!plans.length) return { data: { plans }, text: "no plans found" };
        const rows = plans.map((
          p,
        ) => [
          displayId(p.id),
          `v${p.current_version}`,
          p.version!.title,
          formatActor(p.version!.actor),
          formatLocal(p.created_at),
        ]);
        return { data: { plans }, text: table(["id", "version", "title", "actor", "created"], rows) };
      },
    }),
    defineCommand({
      name: "show",
      db: "read",
      summary: "Show a plan (current version unless --version)",
      args: [{ name: "plan-id", required: true }],
      flags: { version: { type: "string", desc: "version number (default: current)", value: "<n>" } },
      async run(ctx) {
        const q = parseFlags(ctx, "plan_show", { version: "version" }, { extra: { id: ctx.args[0] } });
        const p = await ctx.app().plans.get(q.id, q.version ?? 0);
        return { data: p, text: planView(p, p.version!) };
      },
    }),
    defineCommand({
      name: "history",
      db: "read",
      summary: "Every version of a plan",
      args: [{ name: "plan-id", required: true }],
      async run(ctx) {
        const versions = await ctx.app().plans.history(ctx.args[0]);
        const rows = versions.map((
          v,
        ) => [
          `v${v.version}`,
          v.title,
          formatActor(v.actor),
          v.change_note ?? "",
          formatLocal(v.created_at),
        ]);
        return { data: { versions }, text: table(["ver", "title", "actor", "note", "created"], rows) };
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a plan and its versions",
      args: [{ name: "plan-id", required: true }],
      async run(ctx) {
        const p = await ctx.app().plans.delete(ctx.args[0], ctx.actor());
        const message = `plan deleted: ${shortId(p.id)}`;
        return commandResult("delete", "plan", p.id, shortId(p.id), message);
      },
    }),
  ],
};
