import { type CommandSpec, defineCommand } from "../spec.ts";
import { commentLines, pageNote } from "../views.ts";
import { commandResult, DEFAULT_PAGE, pageFlags } from "./num_flags.ts";
import { shortId } from "../../domain/refs.ts";
import { parseFlags, parseInput } from "./op_flags.ts";

const TASK = { task: { type: "string" as const, desc: "task ref", value: "<ref>", required: true } };

export const commentCommand: CommandSpec = {
  name: "comment",
  summary: "Comments on tasks",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Comment on a task",
      args: [{ name: "body", required: true }],
      flags: TASK,
      examples: ['backlog comment add "Implemented and tested" --task TASK-3 --as ai:claude'],
      async run(ctx) {
        const q = parseInput("comment_input", { task_id: String(ctx.flags.task), body: ctx.args[0] });
        const c = await ctx.app().comments.add(q.task_id, q.body, ctx.actor());
        return { data: c, ok: `comment added: ${c.id}`, written: c.id };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      summary: "Comments of a task, oldest first",
      flags: { ...TASK, ...pageFlags() },
      async run(ctx) {
        const map = { limit: "limit", offset: "offset" } as const;
        const q = parseFlags(ctx, "comment_query", map, { extra: { task_id: String(ctx.flags.task) } });
        const r = await ctx.app().comments.page(q.task_id, {
          limit: q.limit ?? DEFAULT_PAGE,
          offset: q.offset ?? 0,
        });
        const note = pageNote(r.comments.length, r.page.total, r.page.offset);
        const text = r.comments.length
          ? [commentLines(r.comments), note].filter(Boolean).join("\n")
          : "no comments";
        return { data: r, text };
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a comment",
      args: [{ name: "comment-id", required: true }],
      async run(ctx) {
        const c = await ctx.app().comments.delete(ctx.args[0], ctx.actor());
        const message = `comment deleted: ${shortId(c.id)}`;
        return commandResult("delete", "comment", c.id, shortId(c.id), message);
      },
    }),
  ],
};
