import type { Services } from "../services.ts";
import type { Actor } from "../../domain/actor.ts";
import { AppError, notFound } from "../../domain/errors.ts";
import { SqliteStore } from "../../db/connection.ts";
import type { Store } from "../../db/store.ts";
import { checkSchemaVersion, migrate, migrationFiles } from "../../db/migrate.ts";
import { record } from "../context.ts";
import * as repo from "../../db/repos/import_merge.ts";
import { getProjectByAlias } from "../../db/repos/projects.ts";
import { getLabel } from "../../db/repos/labels.ts";
import { recountAll } from "../../db/repos/rank.ts";
import { buildFromExport } from "./import_json.ts";
import { fsError } from "../../fs.ts";
import { tmpdir } from "node:os";
import { sweepStaleImports, TEMP_PREFIX } from "./import_temp.ts";
import { isPgUrl, redactUrl } from "../../db/url.ts";
import { openStore } from "../../db/open.ts";
import { snapshotToSqlite } from "../doctor.ts";
import { mimeFromName, sanitizeFileName, validMime } from "../../domain/files.ts";

/** The services this module writes through. */
export type ImportDbDeps = Pick<Services, "ctx" | "db">;

/**
 * `backlog import <file>`: merges another workspace — a backlog.db of ours or of the original
 * (any schema version), or a `backlog export --format json` file — into this one.
 *
 * The source file is never modified: it is copied to a temporary file (with its -wal/-journal),
 * the copy is checked and migrated to our schema, then attached and merged with INSERT…SELECT in
 * one transaction (all or nothing, even on kill -9). On PostgreSQL the copy is opened read-only and
 * its tables loaded into temp tables inside that transaction instead of attached; the merge is the
 * same SQL. Matching makes a second run a no-op:
 * - projects by alias;
 * - tasks by ID, else by (project, source, external_ref) or the original importer's
 *   `imported:<id>` external_ref; unmatched tasks keep their ID and get the next TASK-N numbers;
 * - labels by (project, name); plans, comments, docs, memory, attachments by ID (plans of a task
 *   matched by reference also by title, its comments by body); plan and doc versions by number.
 * Original actors, timestamps, project_path and archived state are kept; claims are not.
 */

export interface ImportDbOptions {
  /** Import only this source project (alias). */
  project?: string;
  dryRun?: boolean;
  /** Progress lines for a terminal. */
  progress?: (msg: string) => void;
}

export interface ImportDbResult {
  dry_run: boolean;
  source: string;
  format: "sqlite" | "json" | "postgres";
  projects: number;
  projects_existing: number;
  tasks: number;
  tasks_existing: number;
  labels: number;
  task_labels: number;
  plans: number;
  plan_versions: number;
  comments: number;
  deps: number;
  memory: number;
  docs: number;
  doc_versions: number;
  attachments: number;
}

const SQLITE_MAGIC = "SQLite format 3\0";

/**
 * Imports another workspace file, or another server's workspace (a `postgres://` URL: read from one
 * snapshot into a temporary SQLite copy, then merged like a file). Raises invalid (bad, corrupted or
 * same file), not_found (-p), internal (a server that cannot be reached).
 */
export async function importWorkspace(
  svc: ImportDbDeps,
  path: string,
  opts: ImportDbOptions,
  actor: Actor,
): Promise<ImportDbResult> {
  const progress = opts.progress ?? (() => {});
  const kind = isPgUrl(path) ? "postgres" : sniff(path);
  const source = kind === "postgres" ? redactUrl(path) : path;
  if (kind === "postgres") refuseSameServer(source, svc.db.path);
  else refuseSelf(path, svc.db.path);
  sweepStaleImports(tmpdir());
  // The pid in the name lets a later run tell a copy left by a killed import from a running one's.
  const dir = Deno.makeTempDirSync({ prefix: `${TEMP_PREFIX}${Deno.pid}-` });
  try {
    const copy = `${dir}/source.db`;
    progress("reading source…");
    if (kind === "sqlite") await prepareSqliteCopy(path, copy);
    else if (kind === "postgres") await copyServer(path, copy);
    else await buildFromExport(Deno.readTextFileSync(path), path, copy, svc.ctx);
    return await merge(svc, copy, { ...opts, progress, source, format: kind }, actor);
  } finally {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* best effort */ }
  }
}

function sniff(path: string): "sqlite" | "json" {
  let head: Uint8Array;
  try {
    const f = Deno.openSync(path, { read: true });
    try {
      head = new Uint8Array(64);
      const n = f.readSync(head) ?? 0;
      head = head.subarray(0, n);
    } finally {
      f.close();
    }
  } catch (err) {
    throw fsError("import", "read", path, err);
  }
  const text = new TextDecoder().decode(head);
  if (text.startsWith(SQLITE_MAGIC)) return "sqlite";
  if (/^\uFEFF?\s*\{/.test(text)) return "json";
  throw new AppError("invalid", `import: "${path}" is not a SQLite database or a backlog JSON export`, {
    hint: "give the path of another workspace's backlog.db, or a `backlog export --format json` file",
  });
}

function refuseSelf(path: string, current: string): void {
  if (current === ":memory:") return;
  let same = false;
  try {
    same = Deno.realPathSync(path) === Deno.realPathSync(current);
    if (!same) {
      const a = Deno.statSync(path);
      const b = Deno.statSync(current);
      same = a.ino !== null && a.ino === b.ino && a.dev === b.dev;
    }
  } catch { /* the current database may not exist yet */ }
  if (same) {
    throw new AppError("invalid", `import: "${path}" is the current workspace database`, {
      hint: "give the path of another workspace's backlog.db",
    });
  }
}

function refuseSameServer(source: string, current: string): void {
  if (source !== current) return;
  throw new AppError("invalid", `import: "${source}" is the current workspace database`, {
    hint: "give the URL of another server's database, or the path of a backlog.db",
  });
}

/**
 * A server workspace as a SQLite copy: read without migrating it (nothing is written there), refused
 * when it is not a backlog workspace or newer than this backlog. Raises invalid, internal (unreachable).
 */
async function copyServer(url: string, copy: string): Promise<void> {
  const db = await openStore(url, { noMigrate: true });
  try {
    const label = `import: "${db.path}"`;
    if (!await repo.hasBacklogTables(db)) {
      throw new AppError("invalid", `${label} is not a backlog workspace`);
    }
    const v = await checkSchemaVersion(db, { label, code: "invalid" });
    const ours = migrationFiles().length;
    if (v < ours) {
      throw new AppError("invalid", `${label} has schema version ${v}, older than this backlog's (${ours})`, {
        hint: "run any backlog command against it once (that upgrades it), then import again",
      });
    }
    await snapshotToSqlite(db, copy);
  } finally {
    await db.close();
  }
}

/** Copies the file (and its WAL or hot journal) and checks and migrates the copy. Raises invalid. */
async function prepareSqliteCopy(path: string, copy: string): Promise<void> {
  Deno.copyFileSync(path, copy);
  for (const side of ["-wal", "-journal"]) {
    try {
      Deno.copyFileSync(path + side, copy + side);
    } catch { /* no side file */ }
  }
  let db: Store | undefined;
  try {
    db = new SqliteStore(copy);
    const problem = await repo.quickCheck(db);
    if (problem) throw new Error(problem);
    if (!await repo.hasBacklogTables(db)) {
      throw new AppError("invalid", `import: "${path}" is a SQLite database but not a backlog workspace`);
    }
    await checkSchemaVersion(db, { label: `import: "${path}"`, code: "invalid" });
    await migrate(db);
  } catch (err) {
    if (err instanceof AppError && err.code === "invalid") throw err;
    const why = (err as Error).message.replace(/^migrate: /, "");
    throw new AppError("invalid", `import: "${path}" is damaged or not a database (${why})`, { cause: err });
  } finally {
    db?.close();
  }
}

function emptyResult(source: string, format: ImportDbResult["format"], dryRun: boolean): ImportDbResult {
  return {
    dry_run: dryRun,
    source,
    format,
    projects: 0,
    projects_existing: 0,
    tasks: 0,
    tasks_existing: 0,
    labels: 0,
    task_labels: 0,
    plans: 0,
    plan_versions: 0,
    comments: 0,
    deps: 0,
    memory: 0,
    docs: 0,
    doc_versions: 0,
    attachments: 0,
  };
}

type MergeOptions = ImportDbOptions & {
  progress: (msg: string) => void;
  source: string;
  format: ImportDbResult["format"];
};

async function merge(
  svc: ImportDbDeps,
  copy: string,
  o: MergeOptions,
  actor: Actor,
): Promise<ImportDbResult> {
  const db = svc.db;
  // PostgreSQL reads the copy through its own read-only connection; SQLite attaches it.
  const source = db.dialect === "postgres" ? new SqliteStore(copy, { readOnly: true }) : undefined;
  if (!source) await repo.attachSource(db, copy);
  try {
    return await db.tx(async () => {
      const r = emptyResult(o.source, o.format, !!o.dryRun);
      if (source) await repo.loadSource(db, source);
      await repo.createImportMaps(db);
      await mergeProjects(svc, o.project ?? "", r);
      o.progress("merging labels…");
      await mergeLabels(svc, r);
      o.progress("merging tasks…");
      const mapped = await repo.mapTasks(db);
      r.tasks_existing = mapped.existing;
      r.tasks = await repo.copyTasks(db);
      r.task_labels = await repo.copyTaskLabels(db);
      o.progress("merging plans and comments…");
      const plans = await repo.copyPlans(db);
      r.plans = plans.plans;
      r.plan_versions = plans.versions;
      r.comments = await repo.copyComments(db);
      await repo.copyRuns(db); // measurements, not content: not counted in the summary
      r.deps = await mergeDeps(db);
      await recountAll(db); // the queue ranking stored per task (rank.ts) covers the merged graph
      o.progress("merging memory, docs and attachments…");
      r.memory = await repo.copyMemory(db);
      const docs = await repo.copyDocs(db);
      r.docs = docs.docs;
      r.doc_versions = docs.versions;
      r.attachments = await repo.copyAttachments(db, !o.project);
      if (r.attachments) await checkAttachmentNames(db);
      await logImport(svc, r, actor);
      await repo.dropImportMaps(db);
      return r;
    }, { rollback: !!o.dryRun });
  } finally {
    await repo.dropImportMaps(db);
    if (source) await source.close();
    else await repo.detachSource(db);
  }
}

async function mergeProjects(svc: ImportDbDeps, alias: string, r: ImportDbResult): Promise<void> {
  const db = svc.db;
  const projects = await repo.sourceProjects(db, alias);
  if (alias && !projects.length) throw notFound(`import: project "${alias}" not found in the source`);
  for (const p of projects) {
    const existing = await getProjectByAlias(db, p.alias);
    if (existing) {
      await repo.mapProject(db, p.id, existing.id, false);
      r.projects_existing++;
      continue;
    }
    const id = await repo.idTaken(db, "projects", p.id) ? svc.ctx.ids() : p.id;
    await repo.insertImportedProject(db, { ...p, id });
    await repo.mapProject(db, p.id, id, true);
    r.projects++;
  }
}

async function mergeLabels(svc: ImportDbDeps, r: ImportDbResult): Promise<void> {
  const db = svc.db;
  for (const l of await repo.sourceLabels(db)) {
    if (l.dst_id) {
      await repo.mapLabel(db, l.id, l.dst_id);
      continue;
    }
    // Two source labels may now land on one name: the second maps to the first.
    const again = await getLabel(db, l.dst_project, l.name);
    if (again) {
      await repo.mapLabel(db, l.id, again.id);
      continue;
    }
    const id = await repo.idTaken(db, "labels", l.id) ? svc.ctx.ids() : l.id;
    await repo.insertImportedLabel(db, id, l.dst_project, l.name, l.color);
    await repo.mapLabel(db, l.id, id);
    r.labels++;
  }
}

/** Copies dependencies, dropping any imported edge that would close a cycle. */
async function mergeDeps(db: Store): Promise<number> {
  const added = await repo.copyDeps(db);
  let kept = added.length;
  for (const e of added) {
    if (await repo.depReaches(db, e.blocked_by, e.task_id)) {
      await repo.deleteDep(db, e.task_id, e.blocked_by);
      kept--;
    }
  }
  return kept;
}

/** Imported attachments obey the rules of `attachment add`: a safe base name, a well-formed MIME type. */
async function checkAttachmentNames(db: Store): Promise<void> {
  for (const a of await repo.importedAttachmentNames(db)) {
    let name: string;
    try {
      name = sanitizeFileName(a.name);
    } catch {
      name = "attachment";
    }
    const mime = validMime(a.mime_type) ?? mimeFromName(name);
    if (name !== a.name || mime !== a.mime_type) await repo.setAttachmentName(db, a.id, name, mime);
  }
}

/** One activity row per project that gained something: who imported what, from where. */
async function logImport(svc: ImportDbDeps, r: ImportDbResult, actor: Actor): Promise<void> {
  const name = r.source.split("/").pop() ?? r.source;
  const perProject = new Map((await repo.newTasksPerProject(svc.db)).map((x) => [x.project_id, x.n]));
  const created = await repo.mappedProjects(svc.db);
  const other = r.plans + r.comments + r.memory + r.docs + r.attachments + r.labels + r.plan_versions +
    r.doc_versions + r.task_labels + r.deps;
  for (const p of created) {
    const n = perProject.get(p.dst_id) ?? 0;
    if (!p.created && n === 0 && other === 0) continue;
    await record(svc.ctx, {
      entity: "project",
      entity_id: p.dst_id,
      action: "imported",
      summary: n || p.created
        ? `Imported ${p.created ? "project and " : ""}${n} task${n === 1 ? "" : "s"} from ${name}`
        : `Imported plans, comments, docs or memory from ${name}`,
      project_id: p.dst_id,
    }, actor);
  }
}
