// The cockpit's wire shapes (the services' own types for runs, claims and the report) and its clock:
// durations, money, tokens and a ticking "now".
import { useEffect, useState } from "preact/hooks";
import type { Run } from "../../src/domain/models.ts";
import type { ClaimsBoard, ReportRow, RunReport } from "../../src/domain/views.ts";

export type { ReportRow, Run };
export type RunOutcome = Run["outcome"];
/** `GET /api/claims`: workspace-wide (agents work across projects). */
export type Claims = ClaimsBoard;
/** `GET /api/report`. */
export type Report = RunReport;

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
