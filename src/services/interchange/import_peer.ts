import { AppError } from "../../domain/errors.ts";
import { isPgUrl } from "../../db/url.ts";
import { fsError } from "../../fs.ts";
import { escapeControls } from "../../domain/text.ts";
import { quoteInput } from "../../domain/quote.ts";
import { parseJsonText } from "./json_text.ts";
import { badInput, type FileSet, type PeerBundle, type PeerFormat, withPosition } from "./import_shape.ts";
import { isBacklogMd, readBacklogMd } from "./import_backlogmd.ts";
import { isTaskMaster, readTaskMaster } from "./import_taskmaster.ts";
import { isBeadsLine, readBeads } from "./import_beads.ts";
import { isGitHubIssues, readGitHub } from "./import_github.ts";
import type { ImportDbDeps } from "./import_db.ts";
import type { ApplyDeps } from "./import_apply.ts";
import type { Store } from "../../db/store.ts";
import { refreshStatistics } from "../../db/repos/interchange.ts";

/**
 * Recognises what `backlog import` was given by its content (not its name) and reads peer
 * formats into a PeerBundle. Our own databases and JSON exports are answered `{ own }` so the
 * caller merges them with import_db.
 */

export type Sniffed = { own: "sqlite" | "json" } | { bundle: PeerBundle };

export const PEER_FORMATS: readonly PeerFormat[] = ["backlog.md", "taskmaster", "beads", "github"];

/** A `--format` / `format=` value: one of PEER_FORMATS (any case), or undefined to recognise by content. Raises usage. */
export function parsePeerFormat(v: string | undefined, field: string): PeerFormat | undefined {
  if (v === undefined) return undefined;
  const f = v.trim().toLowerCase();
  if (!(PEER_FORMATS as readonly string[]).includes(f)) {
    throw new AppError(
      "usage",
      `${field}: invalid format ${quoteInput(v)} (valid: ${PEER_FORMATS.join(", ")})`,
    );
  }
  return f as PeerFormat;
}

const SQLITE_MAGIC = "SQLite format 3\0";
const ZIP_MAGIC = "PK\u0003\u0004";
const MAX_FOLDER_FILES = 200_000;
/** A Backlog.md file is a few KB; these caps stop a zip bomb (or a stray huge file) early. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/** Reads a path (file or folder). Raises invalid (unrecognised or malformed, naming file:line:column). */
export async function readImportPath(path: string, format?: PeerFormat): Promise<Sniffed> {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (err) {
    throw fsError("import", "read", path, err);
  }
  if (info.isDirectory) return { bundle: readBacklogMd(readFolder(path), path) };
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (err) {
    throw fsError("import", "read", path, err);
  }
  return await sniffBytes(bytes, path, format);
}

/** Recognises one uploaded or read file's bytes. Raises invalid. */
export async function sniffBytes(bytes: Uint8Array, name: string, format?: PeerFormat): Promise<Sniffed> {
  const head = new TextDecoder().decode(bytes.subarray(0, 16));
  if (head.startsWith(SQLITE_MAGIC)) return { own: "sqlite" };
  if (head.startsWith(ZIP_MAGIC)) return { bundle: readBacklogMd(await unzip(bytes, name), name) };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw unrecognised(name, "it is binary, not text");
  }
  return sniffText(text, name, format);
}

/** Recognises JSON / JSONL text (a peer format or our export). Raises invalid. */
export function sniffText(text: string, name: string, format?: PeerFormat): Sniffed {
  const firstLine = text.replace(/^\uFEFF/, "").split("\n").find((l) => l.trim()) ?? "";
  if (format === "beads" || (!format && isBeadsLine(firstLine.trim()) && !isSingleValue(text))) {
    return { bundle: readBeads(text, name) };
  }
  if (format === "backlog.md") {
    return { bundle: readBacklogMd(new Map([[`tasks/${baseName(name)}`, text]]), name) };
  }
  if (/^\uFEFF?\s*---\r?\n/.test(text)) {
    throw unrecognised(name, "a single markdown file: give the Backlog.md folder (or a zip of it) instead");
  }
  if (!/^\uFEFF?\s*[[{]/.test(text)) throw unrecognised(name, "it is not JSON, JSON Lines or a database");
  const v = parseJsonText(text, name);
  try {
    if (format === "taskmaster" || (!format && isTaskMaster(v))) return { bundle: readTaskMaster(v, name) };
    if (format === "github" || (!format && isGitHubIssues(v))) return { bundle: readGitHub(v, name) };
  } catch (err) {
    throw withPosition(err, text);
  }
  if (v && typeof v === "object" && !Array.isArray(v) && "tasks" in v) return { own: "json" };
  if (v && typeof v === "object" && "items" in v) {
    throw new AppError(
      "invalid",
      `${escapeControls(name)}: this is a findings file, not a workspace to import`,
      {
        hint: "import it with `backlog import-findings`",
      },
    );
  }
  throw unrecognised(name, "its JSON matches none of the formats");
}

function isSingleValue(text: string): boolean {
  try {
    JSON.parse(text);
    return !text.trim().includes("\n");
  } catch {
    return false;
  }
}

const baseName = (p: string) => p.split(/[/\\]/).pop() ?? p;

function unrecognised(name: string, why: string): AppError {
  return new AppError("invalid", `import: ${quoteInput(name)} is not a recognised format (${why})`, {
    // True on every surface: an upload (HTTP, the web UI) takes the peers' formats; the CLI also ours.
    hint: "import reads a Backlog.md folder (or zip), a Task Master tasks.json, a beads issues.jsonl or " +
      "`gh issue list --json …` output; the CLI also a backlog.db or a `backlog export --format json` file",
  });
}

/** Reads uploaded files (a folder's files with relative names, or one file) into a bundle. Raises invalid. */
export async function readUpload(
  files: { name: string; data: Uint8Array }[],
  format?: PeerFormat,
): Promise<PeerBundle> {
  if (!files.length) throw badInput("upload", "expected at least one file");
  if (files.length === 1 && format !== "backlog.md") {
    const s = await sniffBytes(files[0].data, files[0].name, format);
    if ("bundle" in s) return s.bundle;
    throw new AppError(
      "invalid",
      `${escapeControls(files[0].name)}: backlog databases and exports are imported with the CLI`,
      {
        hint: "run `backlog import <file>`",
      },
    );
  }
  const set: FileSet = new Map();
  const dec = new TextDecoder();
  for (const f of files) set.set(f.name.replace(/\\/g, "/").replace(/^\/+/, ""), dec.decode(f.data));
  if (!isBacklogMd(set)) {
    throw badInput("upload", "expected the files of a Backlog.md folder (config.yml, tasks/…)");
  }
  return readBacklogMd(set, "upload");
}

/** The markdown files and config.yml of a Backlog.md folder (or of the `backlog/` folder inside it). */
function readFolder(path: string): FileSet {
  const set: FileSet = new Map();
  let root = path;
  let prefix = "";
  for (const sub of ["backlog", ".backlog"]) {
    try {
      if (Deno.statSync(`${path}/${sub}`).isDirectory) (root = `${path}/${sub}`, prefix = `${sub}/`);
    } catch { /* absent */ }
    if (prefix) break;
  }
  const walk = (dir: string, rel: string) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p, `${rel}${e.name}/`);
      else if (e.isFile && (e.name.endsWith(".md") || (rel === "" && e.name === "config.yml"))) {
        if (set.size >= MAX_FOLDER_FILES) throw badInput(path, `more than ${MAX_FOLDER_FILES} files`);
        if (Deno.statSync(p).size > MAX_FILE_BYTES) {
          throw badInput(p, `larger than ${MAX_FILE_BYTES} bytes: not a Backlog.md file`);
        }
        set.set(`${prefix}${rel}${e.name}`, Deno.readTextFileSync(p));
      }
    }
  };
  try {
    walk(root, "");
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fsError("import", "read", path, err);
  }
  if (!isBacklogMd(set)) {
    throw unrecognised(path, "the folder holds no Backlog.md project (config.yml, tasks/)");
  }
  return set;
}

/**
 * The text files of a zip archive (fflate, loaded only here). Each entry's declared size is checked
 * before it is inflated, and fflate inflates into a buffer of exactly that size, so a zip bomb
 * costs nothing. Raises invalid.
 */
async function unzip(bytes: Uint8Array, name: string): Promise<FileSet> {
  const { unzipSync } = await import("fflate");
  let entries: Record<string, Uint8Array>;
  let total = 0;
  let tooBig = "";
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith(".md") && !f.name.endsWith("config.yml")) return false;
        total += f.originalSize;
        if (f.originalSize > MAX_FILE_BYTES) {
          tooBig = `${f.name} unpacks to more than ${MAX_FILE_BYTES} bytes`;
        } else if (total > MAX_TOTAL_BYTES) tooBig = `its files unpack to more than ${MAX_TOTAL_BYTES} bytes`;
        if (tooBig) throw new Error(tooBig);
        return true;
      },
    });
  } catch (err) {
    if (tooBig) throw badInput(name, `zip archive too large: ${escapeControls(tooBig)}`);
    throw badInput(name, `unreadable zip archive (${(err as Error).message})`);
  }
  const dec = new TextDecoder();
  return new Map(Object.entries(entries).map(([k, v]) => [k, dec.decode(v)]));
}

export interface ImportSourceOptions {
  /** Peers: the target project (default: one per source). Our databases: the source project to take. */
  project?: string;
  dryRun?: boolean;
  /** Skip recognition: read the input as this peer format. */
  format?: PeerFormat;
  progress?: (msg: string) => void;
}

/**
 * `backlog import <path>`: any supported source, recognised by content, or a `postgres://` URL (another
 * server's workspace). Raises invalid, not_found.
 */
export async function importSource(
  app: ImportDbDeps & ApplyDeps,
  path: string,
  opts: ImportSourceOptions,
  actor: import("../../domain/actor.ts").Actor,
): Promise<import("./import_db.ts").ImportDbResult | import("./import_apply.ts").PeerImportResult> {
  const sniffed = isPgUrl(path) ? { own: "postgres" } : await readImportPath(path, opts.format);
  if ("own" in sniffed) {
    const { importWorkspace } = await import("./import_db.ts");
    return await analyzed(app, await importWorkspace(app, path, opts, actor));
  }
  const { applyBundle } = await import("./import_apply.ts");
  return await analyzed(
    app,
    await applyBundle(app, sniffed.bundle, {
      project: opts.project,
      dryRun: opts.dryRun,
      progress: (n, total) => opts.progress?.(`importing… ${n}/${total} tasks`),
    }, actor),
  );
}

/** An import that added tasks refreshes the planner's statistics (refreshStatistics). */
async function analyzed<R extends { dry_run: boolean; tasks: number | { created: number } }>(
  app: { db: Store },
  r: R,
): Promise<R> {
  const added = typeof r.tasks === "number" ? r.tasks : r.tasks.created;
  if (!r.dry_run && added > 0) await refreshStatistics(app.db);
  return r;
}

/**
 * `POST /api/import`: uploaded files (one file, a zip, or a Backlog.md folder's files named by
 * relative path) read as `format` (`format=`, recognised by content when absent) and applied like
 * `backlog import`. Raises usage (format), invalid (unrecognised or malformed upload), not_found.
 */
export async function importUpload(
  app: ApplyDeps,
  files: { name: string; data: Uint8Array }[],
  opts: { format?: string; project?: string; dryRun?: boolean },
  actor: import("../../domain/actor.ts").Actor,
): Promise<import("./import_apply.ts").PeerImportResult> {
  const bundle = await readUpload(files, parsePeerFormat(opts.format, "format"));
  const { applyBundle } = await import("./import_apply.ts");
  return await analyzed(
    app,
    await applyBundle(app, bundle, { project: opts.project, dryRun: opts.dryRun }, actor),
  );
}
