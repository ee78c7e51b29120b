// The cockpit's wire shapes (runs, claims, the queue, the report) and its clock: durations and a ticking "now".
import { useEffect, useState } from "preact/hooks";
import type { Task } from "./types.ts";

export type RunOutcome = "open" | "done" | "released" | "expired" | "taken_over";

/** One claim of one task by one holder, with the usage the holder reported (times in Unix ns). */
export interface Run {
  id: string;
  task_id: string;
  ref: string;
  title: string;
  holder: string;
  started_at: number;
  ended_at: number | null;
  lease_expires_at: number | null;
  renewals: number;
  outcome: RunOutcome;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  model: string | null;
}

export interface LiveClaim {
  run: Run;
  task: Task;
  last_activity_at: number;
}

export interface AgentRow {
  holder: string;
  /** The ref of the task the agent holds now. */
  current_task: string | null;
  done_today: number;
  median_claim_to_done_ms: number | null;
}

/** `GET /api/claims`: workspace-wide (agents work across projects). */
export interface Claims {
  live: LiveClaim[];
  recent: Run[];
  agents: AgentRow[];
}

/** One row of `GET /api/report`, per agent, project or task type. */
export interface ReportRow {
  key: string;
  runs: number;
  done: number;
  released: number;
  expired: number;
  taken_over: number;
  success_rate: number | null;
  median_claim_to_done_ms: number | null;
  p90_claim_to_done_ms: number | null;
  attempts_per_done: number | null;
  tokens_per_done: number | null;
  cost_per_done_usd: number | null;
  done_per_day: number;
}

export interface Report {
  since: number;
  until: number;
  by_agent: ReportRow[];
  by_project: ReportRow[];
  by_type: ReportRow[];
  done_per_day: { day: string; done: number }[];
  /** More runs started in the window than one report reads. */
  truncated?: boolean;
}

/** A label as the API sends it: a name (older servers) or a label object. */
export const labelName = (l: string | { name: string }) => (typeof l === "string" ? l : l.name);

/** "350ms", "45s", "12m 03s", "3h 05m", "2d 4h": the two largest units of a duration. */
export function duration(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${p(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${p(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
}

/** The time since `ns` (Unix ns) as a duration, "—" when unknown. */
export const since = (ns: number | null | undefined, now: number) => ns ? duration(now - ns / 1e6) : "—";

/** "12m 03s left" or "expired 4s ago". */
export function leaseText(expiresNs: number, now: number): string {
  const left = expiresNs / 1e6 - now;
  return left > 0 ? `${duration(left)} left` : `expired ${duration(-left)} ago`;
}

/** Milliseconds as a short duration, "—" when there is no value. */
export const msText = (
  ms: number | null | undefined,
) => (ms === null || ms === undefined ? "—" : duration(ms));

export const pct = (
  r: number | null | undefined,
) => (r === null || r === undefined ? "—" : `${Math.round(r * 100)}%`);

export const usd = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : `$${n < 1 ? n.toFixed(3) : n.toFixed(2)}`;

export const tokens = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n.toLocaleString();

/** Date.now(), re-read every `ms` while the component is shown: drives countdowns and "held for". */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
