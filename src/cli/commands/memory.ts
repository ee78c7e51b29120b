import { type CommandSpec, defineCommand, type FlagSpec } from "../spec.ts";
import { detail, preview, showBody, table } from "../format.ts";
import { pageNote } from "../views.ts";
import { commandResult, DEFAULT_PAGE, pageFlags } from "./num_flags.ts";
import { parseFlags, parseInput } from "./op_flags.ts";
import { formatActor } from "../../domain/actor.ts";
import { formatUtc } from "../../domain/time.ts";
import { displayId, shortId } from "../../domain/refs.ts";
import type { Memory } from "../../domain/knowledge.ts";

const PROJECT = {
  type: "string",
  short: "p",
  desc: "project alias (default: the default project)",
} satisfies FlagSpec;
const TAG = {
  type: "string",
  multiple: true,
  desc: "tag (repeatable or comma-separated)",
} satisfies FlagSpec;
const ID = [{ name: "id", required: true }];

function memoryView(m: Memory): string {
  return detail([
    ["ID", m.id],
    ["Tags", m.tags],
    ["Actor", formatActor(m.actor)],
    ["Created", formatUtc(m.created_at)],
  ]) + `\n\n${showBody(m.body)}`;
}

function memoryTable(entries: Memory[]): string {
  const cross = entries.some((m) => m.project);
  return table(
    ["id", "date", ...(cross ? ["project"] : []), "tags", "body", "actor"],
    entries.map((m) => [
      displayId(m.id),
      formatUtc(m.created_at),
      ...(cross ? [m.project?.alias ?? ""] : []),
      m.tags ?? "",
      preview(m.body, 50),
      formatActor(m.actor),
    ]),
  );
}

export const memoryCommand: CommandSpec = {
  name: "memory",
  summary: "Project memory: tagged notes agents and humans share",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Add a memory entry to a project",
      args: [{ name: "body", required: true }],
      flags: { project: PROJECT, tag: TAG },
      examples: ['backlog memory add "Deploys need VPN access" -p api --tag ops,deploy'],
      async run(ctx) {
        const extra = { project: ctx.requireProject(), body: ctx.args[0] };
        const q = parseFlags(ctx, "memory_input", { tags: "tag" }, { extra });
        const m = await ctx.app().memory.add(q.project, q.body, q.tags ?? [], ctx.actor());
        return { data: m, ok: `memory added: ${m.id}`, written: m.id };
      },
    }),
    defineCommand({
      name: "append",
      summary: "Append text to a memory entry",
      args: [{ name: "id", required: true }, { name: "text", required: true }],
      async run(ctx) {
        const q = parseInput("memory_append", { value: ctx.args[1] });
        const m = await ctx.app().memory.append(ctx.args[0], q.value!, ctx.actor());
        return { data: m, ok: `memory updated: ${displayId(m.id)}`, written: m.id };
      },
    }),
    defineCommand({
      name: "update",
      summary: 'Replace a memory entry\'s body and/or tags (--tag "" clears the tags)',
      args: [{ name: "id", required: true }, { name: "body" }],
      flags: { tag: TAG },
      examples: ['backlog memory update 01HX3K2M "Deploys need VPN and 2FA" --tag ops'],
      async run(ctx) {
        const extra = ctx.args[1] === undefined ? {} : { body: ctx.args[1] };
        const change = parseFlags(ctx, "memory_update", { tags: "tag" }, { extra });
        const m = await ctx.app().memory.update(ctx.args[0], change, ctx.actor());
        return { data: m, ok: `memory updated: ${displayId(m.id)}`, written: m.id };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "Memory entries, newest first (all non-archived projects when no project applies)",
      flags: {
        project: PROJECT,
        tag: { type: "string", desc: "only entries with this whole tag" },
        ...pageFlags(),
      },
      async run(ctx) {
        const map = { tag: "tag", limit: "limit", offset: "offset" } as const;
        const q = parseFlags(ctx, "memory_query", map, { extra: { project: ctx.project() || undefined } });
        const { entries, page } = await ctx.app().memory.list({ ...q, limit: q.limit ?? DEFAULT_PAGE });
        const text = entries.length
          ? [memoryTable(entries), pageNote(entries.length, page.total, page.offset)].filter(Boolean).join(
            "\n",
          )
          : "no memory entries";
        return { data: { entries, page }, text };
      },
    }),
    defineCommand({
      name: "show",
      db: "read",
      summary: "Show one memory entry",
      args: ID,
      async run(ctx) {
        const m = await ctx.app().memory.get(ctx.args[0]);
        return { data: m, text: memoryView(m) };
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a memory entry",
      args: ID,
      async run(ctx) {
        const m = await ctx.app().memory.delete(ctx.args[0], ctx.actor());
        const ref = shortId(m.id);
        return commandResult("delete", "memory", m.id, ref, `memory entry deleted: ${ref}`);
      },
    }),
  ],
};
