import { AppError } from "../../domain/errors.ts";
import type { TaskCreate } from "../../services/tasks.ts";
import type { RunCtxWith } from "../spec.ts";
import { type FlagMap, parseFlags } from "./op_flags.ts";

/** Keys accepted in a `--from-file` JSON: snake_case, or the original's Go field names (any case). */
const KEYS: Record<string, keyof TaskCreate | "project_id" | "due_date"> = {
  project: "project",
  projectid: "project",
  title: "title",
  description: "description",
  type: "type",
  status: "status",
  priority: "priority",
  assignee: "assignee",
  dueat: "due_at",
  duedate: "due_date",
  source: "source",
  externalref: "external_ref",
  projectpath: "project_path",
  labels: "labels",
  plans: "plans",
};

/** A task JSON file's fields: task_input's, and `due_at` (Unix ns) as the original wrote it. */
export type FileTask = Partial<TaskCreate> & { due_date?: string };

/** Parses a task JSON file into task_input fields. Raises invalid naming the file and field. */
export function parseTaskFile(text: string, path: string): FileTask {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AppError("invalid", `--from-file: ${path}: invalid JSON: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new AppError("invalid", `--from-file: ${path}: expected a JSON object`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = KEYS[k.toLowerCase().replaceAll("_", "")];
    if (!key) continue;
    if (key === "due_date") out[typeof v === "string" ? "due_date" : "due_at"] = v;
    else if (key === "plans" && Array.isArray(v)) out.plans = v.map(normalisePlan);
    else out[key] = v;
  }
  for (
    const k of [
      "title",
      "description",
      "type",
      "status",
      "assignee",
      "source",
      "external_ref",
      "project_path",
      "project",
    ]
  ) {
    if (out[k] !== undefined && typeof out[k] !== "string") {
      throw new AppError("invalid", `--from-file: ${path}: "${k}" must be a string`);
    }
  }
  if (
    out.labels !== undefined && !(Array.isArray(out.labels) && out.labels.every((l) => typeof l === "string"))
  ) {
    throw new AppError("invalid", `--from-file: ${path}: "labels" must be an array of strings`);
  }
  return out as FileTask;
}

function normalisePlan(p: Record<string, unknown>) {
  const get = (name: string) => {
    for (const [k, v] of Object.entries(p ?? {})) {
      if (k.toLowerCase().replaceAll("_", "") === name) return v as string;
    }
    return undefined;
  };
  return {
    title: get("title") ?? "",
    body: get("body") ?? "",
    source: get("source"),
    change_note: get("changenote"),
  };
}

/** The flag of each task field add and update share (the operations' fields: domain/schemas.ts). */
export const TASK_FIELD_FLAGS = {
  title: "title",
  description: "description",
  type: "type",
  status: "status",
  priority: "priority",
  assignee: "assignee",
  source: "source",
  external_ref: "external-ref",
  project_path: "project-path",
  due_date: "due-date",
} as const satisfies FlagMap<"task_input"> & FlagMap<"task_update">;

/**
 * The write guard flags of task `id`, --expect-version N and --token T (archive, unarchive, delete,
 * move), parsed through task_guard (HTTP: If-Match and X-Claim-Token). Raises invalid.
 */
export function guardFlags(
  ctx: RunCtxWith<keyof typeof GUARD_FLAGS>,
  id: string,
): { expectVersion?: number; claimToken?: string } {
  const map = { expected_version: "expect-version", claim_token: "token" } as const;
  const g = parseFlags(ctx, "task_guard", map, { extra: { id } });
  return {
    ...(g.expected_version !== undefined ? { expectVersion: g.expected_version } : {}),
    ...(g.claim_token !== undefined ? { claimToken: g.claim_token } : {}),
  };
}

/** --input-tokens, --output-tokens, --cost-usd, --model: usage reported with a write under a claim. */
export const USAGE_FLAGS = {
  "input-tokens": { type: "string" as const, desc: "input tokens spent (added to your run)", value: "<n>" },
  "output-tokens": { type: "string" as const, desc: "output tokens spent (added to your run)", value: "<n>" },
  "cost-usd": { type: "string" as const, desc: "cost in USD (added to your run)", value: "<usd>" },
  model: { type: "string" as const, desc: "model that did the work", value: "<name>" },
};

/** The usage fields' flags (task move, renew and release take UsageFields). */
export const USAGE_FIELD_FLAGS = {
  input_tokens: "input-tokens",
  output_tokens: "output-tokens",
  cost_usd: "cost-usd",
  model: "model",
} as const satisfies FlagMap<"task_move">;

export const GUARD_FLAGS = {
  "expect-version": {
    type: "string" as const,
    desc: "fail with exit 4 unless the task is at this version",
    value: "<n>",
  },
  token: {
    type: "string" as const,
    desc: "claim token from `task claim` (fail with exit 4 if superseded)",
    value: "<token>",
  },
};
