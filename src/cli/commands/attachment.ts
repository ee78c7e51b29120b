import { type CommandSpec, defineCommand, type Output, type RunCtx } from "../spec.ts";
import { table, truncate } from "../format.ts";
import { pageNote } from "../views.ts";
import { commandResult, DEFAULT_PAGE, pageFlags, str } from "./num_flags.ts";
import { parseFlags } from "./op_flags.ts";
import { formatUtc } from "../../domain/time.ts";
import { displayId, shortId } from "../../domain/refs.ts";
import { AppError, invalid } from "../../domain/errors.ts";
import { formatBytes, MAX_ATTACHMENT_BYTES, sanitizeFileName } from "../../domain/files.ts";
import type { Attachment, AttachmentMeta } from "../../domain/knowledge.ts";
import { tooLarge } from "../../services/attachments.ts";
import { fsError, isStream, writeFileAtomic } from "../../fs.ts";

const ID = [{ name: "id", required: true }];
const LINK = {
  task: str("task ref (TASK-N, N or ID)", { value: "<ref>" }),
  doc: str("doc ID", { value: "<id>" }),
};

const abs = (ctx: RunCtx, p: string) => p.startsWith("/") ? p : `${ctx.io.cwd}/${p}`;
const dirOf = (p: string) => p.slice(0, p.lastIndexOf("/")) || "/";

/** Reads the file to attach, checking its size before reading it. Raises invalid. */
async function readFile(ctx: RunCtx, file: string): Promise<Uint8Array> {
  if (file === "-") {
    const data = await ctx.io.readStdin();
    if (data.length > MAX_ATTACHMENT_BYTES) throw tooLarge(data.length);
    return data;
  }
  const path = abs(ctx, file);
  try {
    const st = Deno.statSync(path);
    if (st.isDirectory) throw invalid(`cannot read "${file}": is a directory`);
    if (st.size > MAX_ATTACHMENT_BYTES) throw tooLarge(st.size);
    return await Deno.readFile(path);
  } catch (err) {
    throw err instanceof AppError ? err : fsError("", "read", file, err);
  }
}

/** The stored name made safe for this file system (names from old databases may be empty or odd). */
function safeName(a: Attachment): string {
  try {
    return sanitizeFileName(a.name);
  } catch {
    return `attachment-${shortId(a.id)}`;
  }
}

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

/** Writes the bytes next to the target first, then renames, so a failed write leaves nothing behind. */
function writeOut(path: string, data: Uint8Array, force: boolean): void {
  if (isStream(path)) {
    try {
      return Deno.writeFileSync(path, data);
    } catch (err) {
      throw fsError("--out", "write", path, err);
    }
  }
  let st: Deno.FileInfo | undefined;
  try {
    st = Deno.statSync(path);
  } catch { /* does not exist */ }
  if (st?.isDirectory) throw invalid(`--out: "${path}" is a directory`);
  if (st && !force) {
    throw new AppError("conflict", `--out: file already exists: ${path}`, {
      hint: "pass --force to overwrite it",
    });
  }
  const dir = dirOf(path);
  try {
    if (!Deno.statSync(dir).isDirectory) throw new Error();
  } catch {
    throw invalid(`--out: directory does not exist: ${dir}`);
  }
  writeFileAtomic(path, data, "--out");
}

function listTable(rows: (Attachment | AttachmentMeta)[]): string {
  const on = (a: Attachment | AttachmentMeta) => {
    const m = a as AttachmentMeta;
    if (m.task_seq) return `TASK-${m.task_seq}`;
    if (m.doc_title) return `doc "${truncate(m.doc_title, 20)}"`;
    return a.linked_type ? `${a.linked_type} ${displayId(a.linked_id)}` : "";
  };
  const cross = rows.some((a) => (a as AttachmentMeta).project_alias);
  return table(
    ["id", "name", "mime", "size", "on", ...(cross ? ["project"] : []), "created"],
    rows.map((a) => [
      displayId(a.id),
      truncate(a.name, 30),
      truncate(a.mime_type, 28),
      formatBytes(a.size),
      on(a),
      ...(cross ? [(a as AttachmentMeta).project_alias ?? ""] : []),
      formatUtc(a.created_at),
    ]),
  );
}

export const attachmentCommand: CommandSpec = {
  name: "attachment",
  aliases: ["attach"],
  summary: "Files (up to 10 MiB) stored in the database on tasks and docs",
  subcommands: [
    defineCommand({
      name: "add",
      summary: "Attach a file to a task or a doc (- reads stdin)",
      args: [{ name: "file", required: true }],
      flags: {
        ...LINK,
        name: str("stored file name (default: the file's base name)"),
        mime: str("MIME type (default: from the extension)"),
      },
      examples: [
        "backlog attachment add screenshot.png --task TASK-3",
        "backlog attach add notes.md --doc 01HX3K2M",
      ],
      async run(ctx) {
        const file = ctx.args[0];
        const data = await readFile(ctx, file);
        const map = { name: "name", mime_type: "mime", task: "task", doc: "doc" } as const;
        const extra = { name: file === "-" ? "stdin" : file };
        const { name, mime_type, task, doc } = parseFlags(ctx, "attachment_fields", map, { extra });
        const a = await ctx.app().attachments.add({ name: name!, data, mime_type, task, doc }, ctx.actor());
        return { data: a, ok: `attachment added: ${a.id} (${a.name}, ${a.size} bytes)`, written: a.id };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "Attachments of a task, a doc, or a project (all projects when none applies)",
      flags: { ...LINK, project: str("project alias", { short: "p" }), ...pageFlags() },
      async run(ctx) {
        const map = { task: "task", doc: "doc", limit: "limit", offset: "offset" } as const;
        const linked = !!(ctx.flags.task || ctx.flags.doc);
        const q = parseFlags(ctx, "attachment_query", map, {
          extra: { project: linked ? undefined : ctx.project() || undefined },
        });
        const { attachments, page } = await ctx.app().attachments.list({
          ...q,
          project: q.task || q.doc ? undefined : q.project,
          limit: q.limit ?? DEFAULT_PAGE,
        });
        const text = attachments.length
          ? [listTable(attachments), pageNote(attachments.length, page.total, page.offset)].filter(Boolean)
            .join("\n")
          : "no attachments";
        return { data: { attachments, page }, text };
      },
    }),
    defineCommand({
      name: "fetch",
      db: "read",
      summary: "Write an attachment to a file (default: its name in the current directory; - = stdout)",
      description:
        "Writes an attachment to --out (a file, a directory to put it in, or - for stdout); without --out, to its\nstored name in the current directory. An existing file is kept unless --force.",
      args: ID,
      flags: {
        out: str("output path, or - for stdout", { short: "o", value: "<path>" }),
        force: { type: "boolean", desc: "overwrite an existing file" },
      },
      examples: ["backlog attachment fetch 01HX3K2M", "backlog attachment fetch 01HX3K2M --out - > copy.bin"],
      async run(ctx): Promise<Output> {
        const a = await ctx.app().attachments.get(ctx.args[0]);
        const { data, ...meta } = a;
        if (ctx.flags.out === "-") return { bytes: data };
        let path = abs(ctx, (ctx.flags.out as string | undefined) || safeName(a));
        if (isDir(path)) path = `${path.replace(/\/+$/, "")}/${safeName(a)}`;
        writeOut(path, data, !!ctx.flags.force);
        return { data: { ...meta, path }, notes: [`written ${data.length} bytes to ${path}`] };
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete an attachment",
      args: ID,
      async run(ctx) {
        const a = await ctx.app().attachments.delete(ctx.args[0], ctx.actor());
        const ref = shortId(a.id);
        return commandResult("delete", "attachment", a.id, ref, `attachment deleted: ${ref}`);
      },
    }),
  ],
};
