import { type CommandSpec, defineCommand, type FlagSpec, type FlagTable, type RunCtxWith } from "../spec.ts";
import { detail, showBody, table, truncate } from "../format.ts";
import { pageNote } from "../views.ts";
import { commandResult, DEFAULT_PAGE, pageFlags } from "./num_flags.ts";
import { parseFlags } from "./op_flags.ts";
import { formatActor } from "../../domain/actor.ts";
import { formatUtc } from "../../domain/time.ts";
import { displayId, shortId } from "../../domain/refs.ts";
import { usage } from "../../domain/errors.ts";
import type { Doc } from "../../domain/knowledge.ts";

const PROJECT = {
  type: "string",
  short: "p",
  desc: "project alias (default: the default project)",
} satisfies FlagSpec;
const ID = [{ name: "doc-id", required: true }];
const CONTENT = {
  content: { type: "string", desc: "body (markdown)" },
  "from-file": {
    type: "string",
    desc: "read the body from a file (- = stdin); wins over --content",
    value: "<path>",
  },
} satisfies FlagTable;
const NOTE = { "change-note": { type: "string", desc: "why this version" } } satisfies FlagTable;

/** `--from-file` wins over `--content`; undefined when neither is given. */
async function body(ctx: RunCtxWith<"from-file" | "content">): Promise<string | undefined> {
  const file = ctx.flags["from-file"] as string | undefined;
  if (file) return await ctx.readText(file, "--from-file");
  return ctx.given("content") ? String(ctx.flags.content ?? "") : undefined;
}

function docView(d: Doc): string {
  const v = d.version!;
  return detail([
    ["ID", d.id],
    ["Title", v.title],
    [
      "Version",
      v.version === d.current_version ? `v${v.version}` : `v${v.version} (current: v${d.current_version})`,
    ],
    ["Actor", formatActor(v.actor)],
    ["Note", v.change_note],
    ["Updated", formatUtc(v.created_at)],
  ]) + `\n\n${showBody(v.body)}`;
}

export const docCommand: CommandSpec = {
  name: "doc",
  summary: "Versioned project documents",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Create a doc (v1)",
      flags: { project: PROJECT, title: { type: "string", desc: "doc title", required: true }, ...CONTENT },
      examples: ['backlog doc add -p api --title "Architecture" --from-file ARCHITECTURE.md'],
      async run(ctx) {
        const extra = { project: ctx.requireProject(), body: (await body(ctx)) ?? "" };
        const input = parseFlags(ctx, "doc_input", { title: "title" }, { extra });
        const d = await ctx.app().docs.create(input, ctx.actor());
        return { data: d, ok: `doc created: ${d.title} (ID: ${d.id})`, written: d.id };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "Docs, most recently updated first (all non-archived projects when no project applies)",
      flags: { project: PROJECT, ...pageFlags() },
      async run(ctx) {
        const map = { limit: "limit", offset: "offset" } as const;
        const q = parseFlags(ctx, "doc_query", map, { extra: { project: ctx.project() || undefined } });
        const { docs, page } = await ctx.app().docs.list({ ...q, limit: q.limit ?? DEFAULT_PAGE });
        if (!docs.length) return { data: { docs, page }, text: "no docs" };
        const cross = docs.some((d) => d.project);
        const rows = docs.map((d) => [
          displayId(d.id),
          ...(cross ? [d.project?.alias ?? ""] : []),
          truncate(d.title, 40),
          `v${d.current_version}`,
          formatUtc(d.updated_at),
        ]);
        const t = table(["id", ...(cross ? ["project"] : []), "title", "ver", "updated"], rows);
        return {
          data: { docs, page },
          text: [t, pageNote(docs.length, page.total, page.offset)].filter(Boolean).join("\n"),
        };
      },
    }),
    defineCommand({
      name: "show",
      db: "read",
      summary: "Show a doc (current version unless --version)",
      args: ID,
      flags: { version: { type: "string", desc: "version number (default: current)", value: "<n>" } },
      async run(ctx) {
        const q = parseFlags(ctx, "doc_show", { version: "version" }, { extra: { id: ctx.args[0] } });
        const d = await ctx.app().docs.show(q.id, q.version ?? 0);
        return { data: d, text: docView(d) };
      },
    }),
    defineCommand({
      name: "update",
      summary: "Add a version; what is not given (title, body) is kept",
      args: ID,
      flags: { title: { type: "string", desc: "new title" }, ...CONTENT, ...NOTE },
      examples: ['backlog doc update 01HX3K2M --from-file ARCHITECTURE.md --change-note "add queues"'],
      async run(ctx) {
        const b = await body(ctx);
        const map = { title: "title", change_note: "change-note" } as const;
        const change = parseFlags(ctx, "doc_update", map, { extra: b === undefined ? {} : { body: b } });
        const d = await ctx.app().docs.update(ctx.args[0], change, ctx.actor());
        return { data: d, ok: `doc updated to v${d.current_version}`, written: d.id };
      },
    }),
    defineCommand({
      name: "append",
      summary: "Add a version with text appended to the body",
      args: ID,
      flags: { ...CONTENT, ...NOTE },
      examples: [
        'backlog doc append 01HX3K2M4P --content "- use SQLite"',
        "printf '## Decisions\\n- use SQLite\\n' | backlog doc append 01HX3K2M4P --from-file -",
      ],
      async run(ctx) {
        const text = await body(ctx);
        // Which flags give the text is the CLI's to say; doc_append checks the text and the note.
        if (text === undefined) throw usage("--content or --from-file is required");
        const extra = { content: text };
        const q = parseFlags(ctx, "doc_append", { change_note: "change-note" }, { extra });
        const d = await ctx.app().docs.append(ctx.args[0], q.content!, q.change_note, ctx.actor());
        return { data: d, ok: `doc updated to v${d.current_version}`, written: d.id };
      },
    }),
    defineCommand({
      name: "history",
      db: "read",
      summary: "Every version of a doc, oldest first",
      args: ID,
      async run(ctx) {
        const versions = await ctx.app().docs.history(ctx.args[0]);
        const text = versions.map((v) =>
          `v${v.version}  ${formatUtc(v.created_at)}  ${formatActor(v.actor)}  ${v.title}` +
          (v.change_note ? ` — ${v.change_note}` : "")
        ).join("\n");
        return { data: { versions }, text };
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a doc with its versions and attachments",
      args: ID,
      async run(ctx) {
        const d = await ctx.app().docs.delete(ctx.args[0], ctx.actor());
        const ref = shortId(d.id);
        return commandResult("delete", "doc", d.id, ref, `doc deleted: ${ref}`);
      },
    }),
  ],
};
