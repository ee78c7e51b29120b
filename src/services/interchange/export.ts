import { stringify } from "csv-stringify/sync";
import { quoteInput } from "../../domain/quote.ts";
import type { Services } from "../services.ts";
import { usage } from "../../domain/errors.ts";
import type { Task } from "../../domain/models.ts";
import { toTask, withLabels } from "../../db/repos/tasks.ts";
import * as repo from "../../db/repos/interchange.ts";

/** The services this module writes through. */
export type ExportDeps = Pick<Services, "db" | "projects">;

/**
 * `backlog export`: the original's JSON envelope, CSV and Markdown, produced as a stream of text
 * chunks (rows are read from one statement in batches), so a large workspace is never built as
 * one string. Order: priority, then newest first; archived tasks only with `includeArchived`.
 */

export const EXPORT_FORMATS = ["json", "csv", "md"] as const;
export type ExportFormat = typeof EXPORT_FORMATS[number];

/** Raises usage for anything but json, csv or md. */
export function parseExportFormat(v: string): ExportFormat {
  const f = v.trim().toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(f)) return f as ExportFormat;
  throw usage(`unknown format ${quoteInput(v)} (use json|csv|md)`);
}

export interface ExportOptions {
  format: ExportFormat;
  /** Project alias; all projects when empty. */
  project?: string;
  includeArchived?: boolean;
  /** Flush when a chunk reaches this many characters (default 64 KiB). */
  chunkSize?: number;
  /** Rows fetched per batch (default 500). */
  batch?: number;
  progress?: (done: number, total: number) => void;
}

export const CSV_HEADER = [
  "id",
  "project",
  "title",
  "type",
  "status",
  "priority",
  "assignee",
  "actor_kind",
  "actor_name",
  "source",
  "external_ref",
  "created_at",
];

/** Go's encoding/csv quoting (RFC 4180): comma, quote, CR or LF anywhere, or a leading space. */
const CSV_OPTIONS = { quoted_match: [/\r/, /^\s/], record_delimiter: "unix" as const };

/** The filter an export uses. Raises not_found for an unknown project. */
async function filter(svc: ExportDeps, o: ExportOptions): Promise<repo.ExportFilter> {
  return {
    project_id: o.project ? (await svc.projects.get(o.project)).id : undefined,
    include_archived: !!o.includeArchived,
  };
}

/** How many tasks the export will write. Raises not_found. */
export async function exportCount(svc: ExportDeps, o: ExportOptions): Promise<number> {
  return await repo.countExportTasks(svc.db, await filter(svc, o));
}

/**
 * Writes the export as text chunks to sink, from one read-only snapshot (so a task written meanwhile
 * is either wholly in or wholly out), reading tasks in keyset batches. sink must not touch the
 * database. Resolves to the number of tasks written. Raises not_found (project).
 */
export async function exportTo(
  svc: ExportDeps,
  o: ExportOptions,
  sink: (chunk: string) => void | Promise<void>,
): Promise<number> {
  return await svc.db.tx(async () => {
    const f = await filter(svc, o);
    const limit = o.chunkSize ?? 64 * 1024;
    const size = o.batch ?? 500;
    const fmt = FORMATS[o.format];
    const total = o.progress ? await repo.countExportTasks(svc.db, f) : 0;
    let buf = fmt.head();
    let n = 0;
    let after: repo.ExportRow | undefined;
    for (;;) {
      const rows = await repo.exportBatch(svc.db, f, after, size);
      if (!rows.length) break;
      const tasks = await withLabels(svc.db, rows.map(toTask));
      buf += fmt.rows(tasks, n);
      n += tasks.length;
      o.progress?.(n, total);
      if (buf.length >= limit) {
        await sink(buf);
        buf = "";
      }
      if (rows.length < size) break;
      after = rows[rows.length - 1];
    }
    buf += fmt.tail(n);
    if (buf) await sink(buf);
    return n;
  }, { readOnly: true });
}

interface Format {
  head(): string;
  rows(tasks: Task[], before: number): string;
  tail(count: number): string;
}

const FORMATS: Record<ExportFormat, Format> = {
  json: {
    head: () => '{\n  "tasks": [',
    rows: (tasks, before) =>
      tasks.map((t, i) =>
        (before + i ? ",\n    " : "\n    ") + JSON.stringify(jsonTask(t), null, 2).replaceAll("\n", "\n    ")
      )
        .join(""),
    tail: (n) => n ? "\n  ]\n}\n" : "]\n}\n",
  },
  csv: {
    head: () => stringify([CSV_HEADER], CSV_OPTIONS),
    rows: (tasks) => stringify(tasks.map(csvRow), CSV_OPTIONS),
    tail: () => "",
  },
  md: {
    head: () => "# Backlog Export\n\n",
    rows: (tasks) => tasks.map(mdTask).join(""),
    tail: () => "",
  },
};

/** The task in the original's field order, with the list's partial project object. */
export function jsonTask(t: Task): Record<string, unknown> {
  const p = t.project;
  const project = p
    ? { id: p.id, alias: p.alias, name: p.name, description: "", repo_path: "", created_at: 0, updated_at: 0 }
    : undefined;
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  put("id", t.id);
  put("seq", t.seq);
  put("ref", t.ref);
  put("project_id", t.project_id);
  put("project", project);
  put("title", t.title);
  put("description", t.description);
  put("type", t.type);
  put("status", t.status);
  put("priority", t.priority);
  put("assignee", t.assignee);
  put("due_at", t.due_at);
  put("actor", t.actor);
  put("source", t.source);
  put("external_ref", t.external_ref);
  put("completed_at", t.completed_at);
  put("archived_at", t.archived_at);
  put("created_at", t.created_at);
  put("updated_at", t.updated_at);
  put("project_path", t.project_path);
  put("version", t.version);
  put("labels", t.labels);
  return out;
}

function csvRow(t: Task): string[] {
  return [
    t.id,
    t.project?.alias ?? "",
    t.title,
    t.type,
    t.status,
    `P${t.priority}`,
    t.assignee ?? "",
    t.actor.kind,
    t.actor.name,
    t.source ?? "",
    t.external_ref ?? "",
    rfc3339Nano(t.created_at),
  ];
}

function mdTask(t: Task): string {
  const desc = t.description ? `${t.description}\n\n` : "";
  return `## [P${t.priority}][${t.status}] [${t.project?.alias ?? ""}] ${t.title}\n\n${desc}` +
    `- ID: \`${t.id}\`\n- Type: ${t.type}\n- Actor: ${t.actor.kind}:${t.actor.name}\n\n---\n\n`;
}

/** Go's RFC3339Nano in UTC: fractional seconds without trailing zeros, none when zero. */
export function rfc3339Nano(ns: number): string {
  const big = BigInt(Math.round(ns));
  const secs = big / 1_000_000_000n;
  const frac = big % 1_000_000_000n;
  const base = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  const digits = frac ? "." + frac.toString().padStart(9, "0").replace(/0+$/, "") : "";
  return `${base}${digits}Z`;
}
