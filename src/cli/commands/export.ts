import { defineCommand, type Io } from "../spec.ts";
import { AppError } from "../../domain/errors.ts";
import { escapeControls } from "../../domain/text.ts";
import { fsError, isStream, withAtomicFileAsync } from "../../fs.ts";

/** A progress line on stderr that redraws itself (only used on a terminal), at most 10 times a second. */
export function progressLine(io: Io, enabled: boolean) {
  let last = 0;
  let shown = false;
  return {
    update(msg: string, force = false) {
      if (!enabled) return;
      const now = Date.now();
      if (!force && now - last < 100) return;
      last = now;
      shown = true;
      io.stderr(`\r\x1b[K${msg}`);
    },
    done() {
      if (shown) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}

/** Absolute path of a user-given path. */
export const absPath = (p: string, cwd: string) => p.startsWith("/") ? p : `${cwd}/${p}`;

/**
 * Writes the chunks to a file: a regular file through a temporary sibling renamed into place at the end
 * (an interrupted export never leaves half a file); devices and pipes directly.
 * An existing regular file is replaced only with `force`. Raises invalid when the path cannot be
 * written, conflict when the file exists and `force` is not set (before anything is read or written).
 */
function openChunks(path: string, flag: string, force: boolean): (produce: Produce) => Promise<void> {
  const direct = isStream(path);
  try {
    if (!direct && Deno.statSync(path) && !force) {
      throw new AppError("conflict", `${flag}: file already exists: ${path}`, {
        hint: "pass --force to overwrite it",
      });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
  }
  return (produce) => writeChunks(path, flag, direct, produce);
}

/** Calls write with each chunk, in order. */
type Produce = (write: (chunk: string) => void) => Promise<unknown>;

async function writeChunks(path: string, flag: string, direct: boolean, produce: Produce): Promise<void> {
  const enc = new TextEncoder();
  const write = async (target: string) => {
    let f: Deno.FsFile;
    try {
      f = Deno.openSync(target, { write: true, create: true, truncate: true });
    } catch (err) {
      throw fsError(flag, "write", path, err);
    }
    try {
      await produce((chunk) => {
        const b = enc.encode(chunk);
        let off = 0;
        while (off < b.length) off += f.writeSync(b.subarray(off));
      });
    } finally {
      f.close();
    }
  };
  if (direct) await write(path);
  else await withAtomicFileAsync(path, flag, write);
}

export const exportCommand = defineCommand({
  name: "export",
  db: "read",
  summary: "Export tasks as JSON, CSV or Markdown (streamed)",
  description: 'Export tasks as JSON ({"tasks":[…]}), CSV or Markdown. Archived tasks are left out unless ' +
    '--include-archived. The default project applies; pass -p "" for every project. An existing -o file ' +
    "is kept unless --force. Written to a file or a pipe the export is byte-exact; shown on a terminal, " +
    "control characters from task text are escaped (\\x1b).",
  flags: {
    format: { type: "string", desc: "json|csv|md (default json)", value: "<format>" },
    project: { type: "string", short: "p", desc: "project alias (default: the default project)" },
    out: {
      type: "string",
      short: "o",
      desc: "write to this file instead of stdout (- = stdout)",
      value: "<file>",
    },
    force: { type: "boolean", desc: "overwrite an existing -o file" },
    "include-archived": { type: "boolean", desc: "include archived tasks" },
  },
  examples: [
    "backlog export -p api --format csv -o api.csv",
    "backlog export --format md > backlog.md",
  ],
  async run(ctx) {
    const svc = await import("../../services/interchange/export.ts");
    const format = svc.parseExportFormat(String(ctx.flags.format ?? "json"));
    const app = ctx.app();
    const out = ctx.flags.out as string | undefined;
    if (out === "") throw new AppError("usage", "-o: file name is empty");
    const toFile = out && out !== "-"
      ? openChunks(absPath(out, ctx.io.cwd), "-o", !!ctx.flags.force)
      : undefined;
    const bar = progressLine(ctx.io, ctx.io.isTTY && !!out);
    const opts = {
      format,
      project: ctx.project() || undefined,
      includeArchived: !!ctx.flags["include-archived"],
      progress: (n: number, total: number) => bar.update(`exporting… ${n}/${total} tasks`),
    };
    const total = await svc.exportCount(app, opts);
    try {
      const produce: Produce = async (write) => await svc.exportTo(app, opts, write);
      if (toFile) await toFile(produce);
      // A terminal must not run escape sequences from task text; files and pipes get the exact bytes.
      else {
        await produce((chunk) =>
          ctx.io.stdout(ctx.io.isTTY ? escapeControls(chunk, { multiline: true }) : chunk)
        );
      }
    } finally {
      bar.done();
    }
    if (!out || out === "-") return {};
    return {
      data: { ok: true, format, path: out, tasks: total },
      ok: `exported ${total} task${total === 1 ? "" : "s"} to ${out}`,
      written: out,
    };
  },
});
