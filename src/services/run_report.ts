import type { RunFact } from "../db/repos/runs.ts";
import type { ReportRow, RunReport } from "../domain/views.ts";
export type { ReportRow, RunReport };

/** One day in nanoseconds. */
export const DAY = 86400e9;
/** Most rows per grouping and most days in `done_per_day`. */
export const REPORT_ROWS = 50;
export const REPORT_DAYS = 366;

/** A run as the report reads it, its outcome as shown now. */
export type ReportRun = RunFact;

/** The nearest-rank percentile of `xs` (p in 0..1), or null when empty. */
export function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.max(0, Math.ceil(p * s.length) - 1)]);
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const per = (v: number, n: number, digits: number) => n ? round(v / n, digits) : null;
const dayOf = (t: number) => new Date(Math.floor(t / 1e6)).toISOString().slice(0, 10);

/** Aggregates runs (already read, outcomes as shown now) into the report. */
export function runReport(
  runs: ReportRun[],
  w: { since: number; until: number },
): Omit<RunReport, "truncated"> {
  // "all" starts at the first run, so a rate per day means something.
  const from = w.since > 0 ? w.since : runs.reduce((m, r) => Math.min(m, r.started_at), w.until);
  const days = Math.max(1, Math.ceil((w.until - from) / DAY));
  const group = (key: (r: ReportRun) => string) => {
    const by = new Map<string, ReportRun[]>();
    for (const r of runs) {
      const k = key(r);
      const list = by.get(k);
      if (list) list.push(r);
      else by.set(k, [r]);
    }
    return [...by].map(([k, rs]) => row(k, rs, days))
      .sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key)).slice(0, REPORT_ROWS);
  };
  return {
    since: w.since,
    until: w.until,
    by_agent: group((r) => r.holder),
    by_project: group((r) => r.project),
    by_type: group((r) => r.type),
    done_per_day: perDay(runs, from, w.until),
  };
}

function row(key: string, rs: ReportRun[], days: number): ReportRow {
  const n = { done: 0, released: 0, expired: 0, taken_over: 0, open: 0 } as Record<string, number>;
  const ms: number[] = [];
  const doneTasks = new Set<string>();
  const perTask = new Map<string, number>();
  let tokens = 0;
  let cost = 0;
  for (const r of rs) {
    n[r.outcome]++;
    perTask.set(r.task_id, (perTask.get(r.task_id) ?? 0) + 1);
    tokens += r.input_tokens + r.output_tokens;
    cost += r.cost_usd;
    if (r.outcome !== "done") continue;
    ms.push((r.ended_at! - r.started_at) / 1e6);
    doneTasks.add(r.task_id);
  }
  let attempts = 0;
  for (const id of doneTasks) attempts += perTask.get(id)!;
  return {
    key,
    runs: rs.length,
    done: n.done,
    released: n.released,
    expired: n.expired,
    taken_over: n.taken_over,
    success_rate: per(n.done, rs.length - n.open, 4),
    median_claim_to_done_ms: percentile(ms, 0.5),
    p90_claim_to_done_ms: percentile(ms, 0.9),
    attempts_per_done: per(attempts, doneTasks.size, 2),
    tokens_per_done: per(tokens, doneTasks.size, 0),
    cost_per_done_usd: per(cost, doneTasks.size, 6),
    done_per_day: round(n.done / days, 2),
  };
}

/** Done runs per UTC day, every day of the window (the last 366 at most), zeros included. */
function perDay(runs: ReportRun[], from: number, until: number): { day: string; done: number }[] {
  const counts = new Map<number, number>(); // by day number since the epoch
  for (const r of runs) {
    if (r.outcome === "done") {
      const d = Math.floor(r.ended_at! / DAY);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
  }
  const last = Math.floor(until / DAY);
  const first = Math.max(Math.floor(from / DAY), last - (REPORT_DAYS - 1));
  const out: { day: string; done: number }[] = [];
  for (let d = first; d <= last; d++) out.push({ day: dayOf(d * DAY), done: counts.get(d) ?? 0 });
  return out;
}
