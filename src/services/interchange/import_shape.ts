import { escapeControls } from "../../domain/text.ts";
import { quoteInput } from "../../domain/quote.ts";
import { AppError } from "../../domain/errors.ts";
import { jsonPosition } from "./import_jsonpos.ts";
import type { TaskStatus, TaskType } from "../../domain/enums.ts";

/**
 * The one intermediate shape every peer format (Backlog.md, Task Master, beads, GitHub issues) is
 * converted into; `import_apply.ts` writes it idempotently. Parsers decide the mapping, the writer
 * decides nothing about formats.
 */

export type PeerFormat = "backlog.md" | "taskmaster" | "beads" | "github";

export interface PeerTask {
  /** The source's own id or URL: stored as `external_ref`, the key of a re-import. */
  key: string;
  title: string;
  /** Description, acceptance criteria and every field without a home (under headings). */
  description: string;
  type: TaskType;
  status: TaskStatus;
  priority: number;
  assignee: string;
  labels: string[];
  created_at?: number;
  updated_at?: number;
  completed_at?: number;
  archived?: boolean;
  /** Versioned plans, matched by title on a re-import. */
  plans: { title: string; body: string }[];
  /** Comments, matched by body on a re-import. */
  comments: { body: string; created_at?: number }[];
  /** Keys of tasks this one waits on. */
  blocked_by: string[];
}

export interface PeerDoc {
  /** Title: the match key of a re-import within the project. */
  title: string;
  body: string;
}

export interface PeerBundle {
  format: PeerFormat;
  /** What was read (a path or an upload name), for messages. */
  file: string;
  /** The default target project (one per source). */
  project: { alias: string; name: string };
  tasks: PeerTask[];
  docs: PeerDoc[];
  /** Fields written under a heading in a description because nothing else holds them. */
  unplaced: number;
}

export type Obj = Record<string, unknown>;

/** Whether a parsed JSON value is an object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** A virtual file set: a folder read from disk or uploaded (relative path → text). */
export type FileSet = Map<string, string>;

/**
 * An invalid-input error naming the file, the line (and column) or the JSON path, and what was
 * expected. `withPosition` later adds the line and column of a JSON path.
 */
export function badInput(
  file: string,
  what: string,
  at?: { line?: number; column?: number; path?: string },
): AppError {
  const where = at?.line ? `:${at.line}${at.column ? `:${at.column}` : ""}` : "";
  const path = at?.path ? `${at.path}: ` : "";
  // File names come from disk or an upload: made visible, never echoed raw (HTTP errors included).
  return new AppError("invalid", `${escapeControls(file)}${where}: ${path}${what}`, {
    details: { file, line: at?.line, column: at?.column, path: at?.path, what },
  });
}

/** The same error with the line and column of its JSON path in `text` (other errors pass through). */
export function withPosition(err: unknown, text: string): unknown {
  if (!(err instanceof AppError)) return err;
  const d = err.details as { file?: string; path?: string; line?: number; what?: string } | undefined;
  if (!d?.path || d.line || !d.file || !d.what) return err;
  return badInput(d.file, d.what, { ...jsonPosition(text, d.path), path: d.path });
}

/** Nanoseconds from an ISO date or a `YYYY-MM-DD[ HH:MM]` string (UTC); undefined when absent or unreadable. */
export function toNs(v: unknown): number | undefined {
  if (typeof v !== "string" || !v.trim()) return undefined;
  const s = v.trim();
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(s) ? `${s.replace(" ", "T")}Z` : s;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isFinite(ms) ? ms * 1_000_000 : undefined;
}

/** A project alias from free text (lowercase, hyphens), never empty. */
export function aliasFrom(text: string, fallback: string): string {
  const a = text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 64).replace(/-+$/, "");
  return a || fallback;
}

/** Collects a task's description parts and the fields that have no home, counting the latter. */
export class Body {
  #parts: string[] = [];
  #other: string[] = [];

  constructor(text?: string) {
    if (text?.trim()) this.#parts.push(text.trim());
  }

  /** A section under a heading (skipped when empty). */
  section(heading: string, text: string | undefined): this {
    if (text?.trim()) this.#parts.push(`## ${heading}\n\n${text.trim()}`);
    return this;
  }

  /** A field with no home: listed under "Other fields" and counted. */
  other(name: string, value: unknown): this {
    if (value === undefined || value === null || value === "") return this;
    if (Array.isArray(value) && !value.length) return this;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    this.#other.push(text.includes("\n") ? `- ${name}:\n\n${indent(text)}` : `- ${name}: ${text}`);
    return this;
  }

  get unplaced(): number {
    return this.#other.length;
  }

  toString(): string {
    const all = [...this.#parts];
    if (this.#other.length) all.push(`## Other fields\n\n${this.#other.join("\n")}`);
    return all.join("\n\n");
  }
}

function indent(text: string): string {
  return text.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n");
}

/** Unknown keys of a source object (those the mapping does not name), for Body.other. */
export function extraKeys(obj: Record<string, unknown>, known: readonly string[]): [string, unknown][] {
  return Object.entries(obj).filter(([k]) => !known.includes(k));
}

/**
 * Dependencies on tasks missing from the source cannot become edges: they are written into the
 * waiting task's description under "Other fields" and counted.
 */
export function settleDangling(b: PeerBundle): void {
  const keys = new Set(b.tasks.map((t) => t.key));
  for (const t of b.tasks) {
    const missing = t.blocked_by.filter((k) => !keys.has(k) || k === t.key);
    if (!missing.length) continue;
    t.blocked_by = t.blocked_by.filter((k) => keys.has(k) && k !== t.key);
    addOther(b, t, `depends on (not in this import): ${missing.join(", ")}`);
  }
}

/** One more "Other fields" line, under the description's own heading when it already ends with one. */
export function addOther(b: PeerBundle, t: PeerTask, line: string): void {
  const last = t.description.lastIndexOf("## ");
  const under = last >= 0 && t.description.startsWith("## Other fields\n", last) &&
    (last === 0 || t.description[last - 1] === "\n");
  t.description += under ? `\n- ${line}` : `${t.description ? "\n\n" : ""}## Other fields\n\n- ${line}`;
  b.unplaced++;
}

/**
 * A date the source gives, in nanoseconds; undefined when absent. A value that is there but not a
 * date is refused (file and position), never dropped silently.
 */
export function dateAt(
  v: unknown,
  file: string,
  at: { line?: number; path?: string },
): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const ns = toNs(v);
  if (ns === undefined) {
    throw badInput(
      file,
      `expected a date (ISO 8601 or YYYY-MM-DD), not ${
        quoteInput(typeof v === "string" ? v : JSON.stringify(v))
      }`,
      at,
    );
  }
  return ns;
}
