import { invalid } from "./errors.ts";
import type { RunBrief } from "./models.ts";
import { formatDuration, formatUntil, formatUtc } from "./time.ts";

/** What a holder may report about the work done under its claim; every field optional. */
export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  model?: string;
}

/** The usage fields, as every surface names them (CLI flags use dashes). */
export const USAGE_FIELDS = ["input_tokens", "output_tokens", "cost_usd", "model"] as const;

/** The usage fields of a decoded body or argument object (undefined when none was given). */
export function usageOf(b: Usage): Usage | undefined {
  const u: Usage = {};
  for (const k of USAGE_FIELDS) if (b[k] !== undefined) (u as Record<string, unknown>)[k] = b[k];
  return Object.keys(u).length ? u : undefined;
}

const MAX_TOKENS = 1e15;
const MAX_COST = 1e9;

/**
 * The problem of one reported usage value, or undefined: token counts are whole numbers ≥ 0, the cost
 * a number ≥ 0 (USD), the model a short name (1-64 characters, no control characters).
 */
export function usageProblem(k: keyof Usage, v: unknown, flag = (f: string) => f): string | undefined {
  if (k === "model") {
    const m = typeof v === "string" ? v.trim() : "";
    // deno-lint-ignore no-control-regex
    if (!m || m.length > 64 || /[\u0000-\u001f\u007f-\u009f]/.test(m)) {
      return `${flag("model")}: must be a model name of 1-64 characters without control characters`;
    }
  } else if (k === "cost_usd") {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > MAX_COST) {
      return `${flag("cost_usd")}: must be an amount in USD, 0 or more (got ${JSON.stringify(v)})`;
    }
  } else if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_TOKENS) {
    return `${flag(k)}: must be a whole number of tokens, 0 or more (got ${JSON.stringify(v)})`;
  }
}

/** Validates reported usage (usageProblem); undefined when nothing was reported. Raises invalid naming the field. */
export function checkUsage(u: Usage | undefined, flag = (f: string) => f): Usage | undefined {
  if (!u) return undefined;
  const out: Usage = {};
  for (const k of USAGE_FIELDS) {
    const v = u[k];
    if (v === undefined) continue;
    const problem = usageProblem(k, v, flag);
    if (problem) throw invalid(problem);
    (out as Record<string, unknown>)[k] = k === "model" ? (v as string).trim() : v;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * One run as a line of text (CLI and MCP): when, who, outcome, time held, usage.
 * `2026-01-01 10:00:00 ai:claude done in 20.0m · 1500+200 tokens · $0.3 · claude-x · 1 renewal`.
 */
export function runLine(r: RunBrief): string {
  const parts = [`${formatUtc(r.started_at)} ${r.holder} ${r.outcome}`];
  if (r.ended_at !== null) parts[0] += ` in ${formatDuration(r.ended_at - r.started_at)}`;
  else if (r.lease_expires_at !== null) parts[0] += ` (lease until ${formatUntil(r.lease_expires_at)})`;
  if (r.input_tokens || r.output_tokens) parts.push(`${r.input_tokens}+${r.output_tokens} tokens`);
  if (r.cost_usd) parts.push(`$${r.cost_usd}`);
  if (r.model) parts.push(r.model);
  if (r.renewals) parts.push(`${r.renewals} renewal${r.renewals === 1 ? "" : "s"}`);
  return parts.join(" · ");
}
