import type { ServiceContext } from "./context.ts";
import { SqliteStore } from "../db/connection.ts";
import type { Store } from "../db/store.ts";
import type { ProjectService } from "./projects.ts";
import { AppError, invalid } from "../domain/errors.ts";
import { formatUtc, parseDuration } from "../domain/time.ts";
import { describeFsError, statIf as exists, withAtomicFileAsync } from "../fs.ts";
import * as repo from "../db/repos/doctor.ts";
import { staleDoing, type TaskBrief } from "../db/repos/reports.ts";
import { migrate, migrationFiles, schemaVersion } from "../db/migrate.ts";
import { openStore } from "../db/open.ts";
import { isPgUrl, redactUrl } from "../db/url.ts";
import {
  rebuildTotals,
  recountAll,
  type Stale,
  staleBlockers,
  staleCounts,
  staleTotals,
} from "../db/repos/rank.ts";

export interface IntegrityReport {
  ok: boolean;
  path: string;
  schema_version: number;
  /** `["ok"]`, or the problems integrity_check found (or the error it raised). */
  integrity: string[];
  foreign_key_violations: { table: string; rowid: number | null; parent: string }[];
  /** Stored queue-ranking counts (tasks.unblocks, tasks.blockers_open) the graph disagrees with. */
  stale_ranking: { task: string; field: "unblocks" | "blockers_open"; stored: number; actual: number }[];
  /** task_counts rows (list totals) that drifted from the tasks table. */
  stale_totals: { project: string; status: string; archived: boolean; stored: number; actual: number }[];
}

/** `doctor repair`: how many stored counts were wrong (and are now rebuilt). */
export interface RepairResult {
  unblocks: number;
  blockers_open: number;
  task_counts: number;
}

/** The schema version that stores the ranking and totals (0013_queue_rank). */
const RANKED_SCHEMA = 13;

export interface BackupResult {
  path: string;
  bytes: number;
  duration_ms: number;
}

export interface DoctorIssue {
  severity: "info" | "warning" | "error";
  code: string;
  ref?: string;
  task_id?: string;
  title?: string;
  detail: string;
  evidence?: string;
}

/** `doctor project`: the original's report, field for field (issues is always an array). */
export interface ProjectDoctorReport {
  project: string;
  generated_at: number;
  stale_after: string;
  issue_count: number;
  total_detected: number;
  truncated: boolean;
  issues: DoctorIssue[];
}

const DETECT_LIMIT = 10_000;

/** A report of a database that could not be checked at all (it will not open, or cannot be reached). */
function unopened(path: string, problem: string): IntegrityReport {
  return {
    ok: false,
    path,
    schema_version: 0,
    integrity: [problem],
    foreign_key_violations: [],
    stale_ranking: [],
    stale_totals: [],
  };
}

/**
 * Checks a database file read-only, without migrating it (a check must not write); a file that will
 * not open counts as damaged. A `postgres://` URL is checked on the server (see checkServer). Raises
 * invalid (a directory, a malformed URL), no_workspace (no such file).
 */
export async function checkFile(path: string): Promise<IntegrityReport> {
  if (isPgUrl(path)) return await checkServer(path);
  try {
    if (Deno.statSync(path).isDirectory) {
      throw new AppError("invalid", `database path is a directory: ${path}`);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("no_workspace", `database file does not exist: ${path}`, {
      hint: "run `backlog init` to create a workspace, or pass --db <path>",
    });
  }
  try {
    const db = new SqliteStore(path, { readOnly: true });
    try {
      return await checkIntegrity(db);
    } finally {
      await db.close();
    }
  } catch (err) {
    const msg = String((err as Error).message ?? err).split("\n")[0].replace(/^open database [^:]*: /, "");
    return unopened(path, msg);
  }
}

/**
 * Checks a PostgreSQL store without migrating it: that the server answers (an unreachable server, a
 * refused login or a missing database is reported, not thrown), its schema version, then the same
 * report as a file's (pgIntegrityCheck and a foreign-key scan stand for the PRAGMAs). Raises invalid
 * (a malformed URL).
 */
async function checkServer(url: string): Promise<IntegrityReport> {
  let db: Store;
  try {
    db = await openStore(url, { noMigrate: true });
  } catch (err) {
    if (err instanceof AppError && err.code === "invalid") throw err;
    return unopened(redactUrl(url), oneLine(err));
  }
  try {
    return await checkIntegrity(db);
  } finally {
    await db.close();
  }
}

/** integrity_check + foreign_key_check on any open connection. */
export async function checkIntegrity(db: Store): Promise<IntegrityReport> {
  const report: IntegrityReport = {
    ok: false,
    path: db.path,
    schema_version: 0,
    integrity: [],
    foreign_key_violations: [],
    stale_ranking: [],
    stale_totals: [],
  };
  try {
    report.schema_version = await schemaVersion(db);
    report.integrity = await repo.integrityCheck(db);
    const ours = migrationFiles().length;
    if (report.schema_version > ours) {
      report.integrity = [
        ...report.integrity.filter((l) => l !== "ok"),
        `schema version ${report.schema_version} is newer than this backlog's (${ours}): upgrade backlog`,
      ];
    }
    report.foreign_key_violations = (await repo.foreignKeyCheck(db)).map(({ table, rowid, parent }) => ({
      table,
      rowid,
      parent,
    }));
    // Counts are only worth comparing in a sound file that has them.
    if (report.integrity[0] === "ok" && report.schema_version >= RANKED_SCHEMA) await staleStored(db, report);
  } catch (err) {
    report.integrity = [oneLine(err)];
  }
  report.ok = report.integrity.length === 1 && report.integrity[0] === "ok" &&
    report.foreign_key_violations.length === 0 && report.stale_ranking.length === 0 &&
    report.stale_totals.length === 0;
  return report;
}

/** Fills the report's stale stored counts: ranking per task, totals per project/status. */
async function staleStored(db: Store, report: IntegrityReport): Promise<void> {
  const ranking = (field: "unblocks" | "blockers_open") => (r: Stale) => ({
    task: `TASK-${r.seq}`,
    field,
    stored: r.stored,
    actual: r.actual,
  });
  report.stale_ranking = [
    ...(await staleCounts(db)).map(ranking("unblocks")),
    ...(await staleBlockers(db)).map(ranking("blockers_open")),
  ];
  report.stale_totals = (await staleTotals(db)).map((r) => ({
    project: r.project,
    status: r.status,
    archived: r.archived === 1,
    stored: r.stored,
    actual: r.actual,
  }));
}

/** Database health: integrity, backups, and the per-project workflow checks. */
export class DoctorService {
  constructor(private ctx: ServiceContext, private projects: ProjectService) {}

  /** Runs integrity_check and foreign_key_check; a damaged file is reported, not thrown. */
  async check(): Promise<IntegrityReport> {
    return await checkIntegrity(this.ctx.db);
  }

  /**
   * Rebuilds the stored counts (queue ranking and list totals) from the graph and the tasks table,
   * in one transaction. They are derived caches, not anyone's data, so no activity row is written.
   * Returns how many were wrong.
   */
  async repair(): Promise<RepairResult> {
    return await this.ctx.db.tx(async () => {
      const db = this.ctx.db;
      const fixed = {
        unblocks: (await staleCounts(db)).length,
        blockers_open: (await staleBlockers(db)).length,
        task_counts: (await staleTotals(db)).length,
      };
      await recountAll(db);
      await rebuildTotals(db);
      return fixed;
    });
  }

  /**
   * Writes a consistent snapshot (VACUUM INTO a temporary file, then renamed into place, so a
   * failed backup leaves nothing behind). A directory target gets `backlog.backup.db` inside; a
   * target ending in `/` names a directory, created (with its parents, like `mkdir -p`) when
   * missing, once the checks passed. On PostgreSQL the snapshot is a SQLite workspace file made
   * from one read-only snapshot of the server: it opens with `--db`, and `backlog import` restores
   * it into any store.
   * Raises conflict (target exists, no force), invalid (missing directory, a file where a directory
   * is named, target is the database).
   */
  async backup(to: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
    const named = to.replace(/\/+$/, "") || "/";
    const asDir = to.endsWith("/");
    const target = asDir || exists(named)?.isDirectory
      ? `${named === "/" ? "" : named}/backlog.backup.db`
      : named;
    const dir = target.includes("/") ? target.slice(0, target.lastIndexOf("/")) || "/" : ".";
    const found = exists(dir);
    if (found && !found.isDirectory) throw invalid(`backup destination is not a directory: ${dir}`);
    if (!found && !asDir) throw invalid(`backup directory does not exist: ${dir}`);
    const pg = this.ctx.db.dialect === "postgres";
    if (!pg && this.ctx.db.path !== ":memory:" && sameFile(target, this.ctx.db.path)) {
      throw invalid(`backup target is the database itself: ${target}`);
    }
    if (exists(target) && !opts.force) {
      throw new AppError("conflict", `backup target already exists: ${target}`, {
        hint: "pass --force to overwrite it, or --to <path> to write elsewhere",
      });
    }
    if (!found) makeDir(dir);
    const started = performance.now();
    await withAtomicFileAsync(
      target,
      "backup",
      async (tmp) => pg ? await snapshotToSqlite(this.ctx.db, tmp) : await repo.vacuumInto(this.ctx.db, tmp),
      (err) => new AppError("internal", `backup failed: ${oneLine(err)}`, { cause: err }),
    );
    return {
      path: target,
      bytes: Deno.statSync(target).size,
      duration_ms: Math.round(performance.now() - started),
    };
  }

  /**
   * The original's seven workflow checks over a project's live tasks, first `limit` issues kept
   * (default 100). Raises not_found (project), invalid (--stale-after).
   */
  async project(
    project: string,
    opts: { stale_after?: string; limit?: number } = {},
  ): Promise<ProjectDoctorReport> {
    const staleAfter = opts.stale_after?.trim() || "7d";
    const cutoff = this.ctx.clock() - parseDuration(staleAfter, "--stale-after");
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : 100;
    const p = await this.projects.get(project);
    const report: ProjectDoctorReport = {
      project: p.alias,
      generated_at: this.ctx.clock(),
      stale_after: staleAfter,
      issue_count: 0,
      total_detected: 0,
      truncated: false,
      issues: [],
    };
    for await (const issue of await this.#detect(p.id, staleAfter, cutoff)) {
      if (report.issues.length < limit) report.issues.push(issue);
      report.total_detected++;
    }
    report.issue_count = report.issues.length;
    report.truncated = report.total_detected > report.issue_count;
    return report;
  }

  async *#detect(pid: string, staleAfter: string, cutoff: number): AsyncGenerator<DoctorIssue> {
    const db = this.ctx.db;
    const n = DETECT_LIMIT;
    for (const t of await repo.neverStarted(db, pid, n)) {
      yield issue(t, "warning", "task_created_never_started", {
        detail: "Task is still todo and has never had a status transition.",
        evidence: "no task status_changed activity",
      });
    }
    for (const t of await staleDoing(db, pid, { cutoff, limit: n, oldestFirst: true })) {
      yield issue(t, "warning", "stale_doing_task", {
        detail: `Task is still doing and has not been updated within ${staleAfter}.`,
        evidence: `updated_at=${formatUtc(t.updated_at)}`,
      });
    }
    for (const t of await repo.withoutPlan(db, pid, n)) {
      yield issue(t, "info", "task_without_plan", { detail: "Open task has no attached plan." });
    }
    for (const t of await repo.doneWithoutComments(db, pid, n)) {
      yield issue(t, "warning", "done_without_comments", { detail: "Task is done but has no comments." });
    }
    for (const t of await repo.doneWithoutEvidenceWords(db, pid, n)) {
      yield issue(t, "warning", "done_without_completion_evidence", {
        detail: "Task is done but comments do not contain recognizable completion evidence.",
        evidence: "looked for verified/implemented/fixed/tested or receipt comments",
      });
    }
    for (const t of await repo.liveTasks(db, pid, n)) {
      const last = await repo.latestTaskActivity(db, pid, t);
      if (last?.entity !== "label") continue;
      yield issue(t, "info", "latest_activity_label_churn_only", {
        detail: "Latest task-related activity is label churn, not task progress.",
        evidence: last.summary,
      });
    }
    for (const t of await repo.finalAudits(db, pid)) {
      const open = await repo.openBefore(db, pid, t.id, t.closed_at);
      if (!open) continue;
      yield issue(t, "error", "final_audit_closed_with_open_work", {
        detail: "Final-audit task is done while child/project work remains open.",
        evidence: `${open} open task(s) existed before the audit closed`,
      });
    }
  }
}

function issue(
  t: TaskBrief,
  severity: DoctorIssue["severity"],
  code: string,
  text: { detail: string; evidence?: string },
): DoctorIssue {
  const i: DoctorIssue = {
    severity,
    code,
    ref: `TASK-${t.seq}`,
    task_id: t.id,
    title: t.title,
    detail: text.detail,
  };
  if (text.evidence) i.evidence = text.evidence;
  return i;
}

/**
 * Writes a new SQLite workspace at `file` holding everything a PostgreSQL store has, read from one
 * read-only snapshot. The file is made afresh inside the snapshot's transaction, so however often the
 * store runs it, one complete copy results.
 */
export async function snapshotToSqlite(db: Store, file: string): Promise<void> {
  await db.tx(async () => {
    for (const side of ["", "-wal", "-shm", "-journal"]) {
      try {
        Deno.removeSync(file + side);
      } catch { /* not there */ }
    }
    const out = new SqliteStore(file);
    try {
      await migrate(out);
      await out.tx(async () => void await repo.copyIntoSqlite(db, out));
    } finally {
      await out.close();
    }
  }, { readOnly: true });
}

function sameFile(a: string, b: string): boolean {
  try {
    return Deno.realPathSync(a) === Deno.realPathSync(b);
  } catch {
    return false;
  }
}

/** `mkdir -p` for a backup directory. Raises invalid naming the directory and the reason. */
function makeDir(dir: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw invalid(`backup: cannot create directory "${dir}": ${describeFsError(err)}`);
  }
}

/** The first line of an error message (SQLite messages can be long). */
function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0];
}
