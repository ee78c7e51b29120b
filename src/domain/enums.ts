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

/** A lower-cased choice from `valid`, or undefined when empty. Raises invalid naming the field. */
export function parseChoice<T extends string>(
  v: string | undefined,
  field: string,
  valid: readonly T[],
): T | undefined {
  const x = (v ?? "").trim().toLowerCase();
  if (!x) return undefined;
  if (!(valid as readonly string[]).includes(x)) {
    throw invalid(`${field}: invalid value ${quoteInput(v!)} (valid: ${valid.join(", ")})`);
  }
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

/** Validates a task type. Raises invalid. */
export function parseTaskType(v: string): TaskType {
  const t = v.trim().toLowerCase();
  if ((TASK_TYPES as readonly string[]).includes(t)) return t as TaskType;
  throw invalid(`invalid type ${quoteInput(v)} (valid: ${TASK_TYPES.join(", ")})`);
}

/** Validates a task status. Raises invalid. */
export function parseStatus(v: string): TaskStatus {
  const t = v.trim().toLowerCase();
  if ((TASK_STATUSES as readonly string[]).includes(t)) return t as TaskStatus;
  throw invalid(`invalid status ${quoteInput(v)} (valid: ${TASK_STATUSES.join(", ")})`);
}

/** Accepts 1-5, "P1".."P5" (any case, spaces trimmed). Raises invalid. */
export function parsePriority(v: string | number): number {
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 1 && v <= 5) return v;
    throw invalid(`invalid priority ${quoteInput(v)} (use P1-P5 or 1-5)`);
  }
  const s = v.trim().toUpperCase().replace(/^P/, "");
  if (/^[1-5]$/.test(s)) return Number(s);
  throw invalid(`invalid priority ${quoteInput(v)} (use P1-P5 or 1-5)`);
}

/** Validates a sort key. Raises invalid. */
export function parseSort(v: string): SortKey {
  const t = v.trim().toLowerCase();
  if ((SORT_KEYS as readonly string[]).includes(t)) return t as SortKey;
  throw invalid(`invalid sort ${quoteInput(v)} (valid: ${SORT_KEYS.join(", ")})`);
}

/** Validates a sort order. Raises invalid. */
export function parseOrder(v: string): "asc" | "desc" {
  const t = v.trim().toLowerCase();
  if (t === "asc" || t === "desc") return t;
  throw invalid(`invalid order ${quoteInput(v)} (use asc or desc)`);
}
