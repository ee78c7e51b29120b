import { invalid } from "./errors.ts";
import { quoteInput } from "./quote.ts";

export const TASK_TYPES = [
  "task",
  "bug",
  "issue",
  "improvement",
  "feature",
  "vulnerability",
  "chore",
  "spike",
  "bucket-list",
] as const;
export type TaskType = typeof TASK_TYPES[number];

export const TASK_STATUSES = ["todo", "doing", "done"] as const;
export type TaskStatus = typeof TASK_STATUSES[number];

export const ACTOR_KINDS = ["human", "ai"] as const;
export type ActorKind = typeof ACTOR_KINDS[number];

/** What the activity log records events about (the `kind` / `entity` filter). */
export const ACTIVITY_ENTITIES = [
  "project",
  "task",
  "plan",
  "comment",
  "label",
  "memory",
  "doc",
  "attachment",
  "token",
] as const;

/** The problem of a value that is not one of `valid`: `invalid <what> "<input>" (valid: …)`. */
export function oneOfProblem(what: string, v: unknown, valid: readonly string[]): string {
  return `invalid ${what} ${quoteInput(v)} (valid: ${valid.join(", ")})`;
}

/** A priority as text: 1-5 or P1-P5, any case, spaces around. */
export const PRIORITY = /^\s*[pP]?[1-5]\s*$/;

/** The problem of a priority that is not 1-5 or P1-P5. */
export const priorityProblem = (v: unknown) => `invalid priority ${quoteInput(v)} (use P1-P5 or 1-5)`;

/** The problem of a value that is not one of `valid` (any case), as every surface words it. */
export function choiceProblem(v: unknown, field: string, valid: readonly string[]): string {
  return `${field}: invalid value ${quoteInput(v)} (valid: ${valid.join(", ")})`;
}

/** A lower-cased choice from `valid`, or undefined when empty. Raises invalid naming the field. */
export function parseChoice<T extends string>(
  v: string | undefined,
  field: string,
  valid: readonly T[],
): T | undefined {
  const x = (v ?? "").trim().toLowerCase();
  if (!x) return undefined;
  if (!(valid as readonly string[]).includes(x)) throw invalid(choiceProblem(v, field, valid));
  return x as T;
}

export const SORT_KEYS = ["priority", "created", "updated", "seq", "title"] as const;
export type SortKey = typeof SORT_KEYS[number];

export const PRIORITY_LABELS: Record<number, string> = {
  1: "Critical",
  2: "High",
  3: "Normal",
  4: "Low",
  5: "Backlog",
};

/** One of `valid` (any case, spaces trimmed). Raises invalid: `invalid <what> "v" (valid: …)`. */
export function parseOneOf<T extends string>(what: string, v: string, valid: readonly T[]): T {
  const t = v.trim().toLowerCase();
  if ((valid as readonly string[]).includes(t)) return t as T;
  throw invalid(oneOfProblem(what, v, valid));
}

/** Validates a task type. Raises invalid. */
export const parseTaskType = (v: string): TaskType => parseOneOf("type", v, TASK_TYPES);

/** Validates a task status. Raises invalid. */
export const parseStatus = (v: string): TaskStatus => parseOneOf("status", v, TASK_STATUSES);

/** Accepts 1-5, "P1".."P5" (any case, spaces trimmed). Raises invalid. */
export function parsePriority(v: string | number): number {
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 1 && v <= 5) return v;
    throw invalid(priorityProblem(v));
  }
  const s = v.trim().toUpperCase().replace(/^P/, "");
  if (/^[1-5]$/.test(s)) return Number(s);
  throw invalid(priorityProblem(v));
}

/** Validates a sort key. Raises invalid. */
export const parseSort = (v: string): SortKey => parseOneOf("sort", v, SORT_KEYS);

/** Validates a sort order. Raises invalid. */
export const parseOrder = (v: string): "asc" | "desc" => parseOneOf("order", v, ["asc", "desc"] as const);
