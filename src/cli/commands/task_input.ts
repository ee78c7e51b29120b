import { AppError } from "../../domain/errors.ts";
import { parseDate, parseDueDate } from "../../domain/time.ts";
import { parseCount } from "../../domain/fields.ts";
import { checkUsage, type Usage } from "../../domain/usage.ts";
import type { TaskCreate } from "../../services/tasks.ts";
import type { RunCtx } from "../spec.ts";

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

/** Parses a task JSON file into a TaskCreate. Raises invalid naming the file and field. */
export function parseTaskFile(text: string, path: string): Partial<TaskCreate> {
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
    if (key === "due_date") out.due_at = typeof v === "string" ? parseDate(v, "--from-file due_date") : v;
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
  return out as Partial<TaskCreate>;
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

/** The task fields given as flags (only those given), for add and update. */
export function taskFlags(ctx: RunCtx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const map: [string, string][] = [
    ["title", "title"],
    ["description", "description"],
    ["type", "type"],
    ["status", "status"],
    ["priority", "priority"],
    ["assignee", "assignee"],
    ["source", "source"],
    ["external-ref", "external_ref"],
    ["project-path", "project_path"],
  ];
  for (const [flag, key] of map) if (ctx.given(flag)) out[key] = String(ctx.flags[flag] ?? "");
  if (ctx.given("due-date")) {
    out.due_at = parseDueDate(String(ctx.flags["due-date"] ?? ""), "--due-date");
  }
  return out;
}

/** The write guard flags: --expect-version N and --token T. */
export function guardFlags(ctx: RunCtx): { expectVersion?: number; claimToken?: string } {
  const g: { expectVersion?: number; claimToken?: string } = {};
  if (ctx.given("expect-version")) {
    g.expectVersion = parseCount(String(ctx.flags["expect-version"]), "--expect-version");
  }
  if (ctx.given("token")) g.claimToken = String(ctx.flags.token ?? "");
  return g;
}

/** --input-tokens, --output-tokens, --cost-usd, --model: usage reported with a write under a claim. */
export const USAGE_FLAGS = {
  "input-tokens": { type: "string" as const, desc: "input tokens spent (added to your run)", value: "<n>" },
  "output-tokens": { type: "string" as const, desc: "output tokens spent (added to your run)", value: "<n>" },
  "cost-usd": { type: "string" as const, desc: "cost in USD (added to your run)", value: "<usd>" },
  model: { type: "string" as const, desc: "model that did the work", value: "<name>" },
};

/** The usage flags given, validated. Raises invalid naming the flag. */
export function usageFlags(ctx: RunCtx): Usage | undefined {
  const u: Record<string, unknown> = {};
  for (const flag of ["input-tokens", "output-tokens", "cost-usd"]) {
    if (!ctx.given(flag)) continue;
    const v = String(ctx.flags[flag] ?? "").trim();
    if (!/^\d+(\.\d+)?$/.test(v)) {
      throw new AppError("invalid", `--${flag}: invalid number "${ctx.flags[flag]}" (use 0 or more)`);
    }
    u[flag.replaceAll("-", "_")] = Number(v);
  }
  if (ctx.given("model")) u.model = String(ctx.flags.model ?? "");
  return checkUsage(u as Usage, (f) => `--${f.replaceAll("_", "-")}`);
}

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
