import { defineCommand } from "../spec.ts";
import { str } from "./num_flags.ts";
import { parseFlags } from "./op_flags.ts";
import { table } from "../format.ts";
import { formatDuration, formatUtc } from "../../domain/time.ts";
import type { ReportRow, RunReport } from "../../services/run_report.ts";

/** Days of `done per day` printed as text (JSON has every day of the window). */
const TEXT_DAYS = 31;

const dash = (v: number | null, f: (n: number) => string) => v === null ? "-" : f(v);
const ms = (v: number | null) => dash(v, (n) => formatDuration(n * 1e6));

/** Column heads (README "backlog report" explains each). */
const HEAD = [
  "runs",
  "done",
  "rel",
  "exp",
  "taken",
  "ok",
  "median",
  "p90",
  "tries",
  "tok/done",
  "$/done",
  "/day",
];

function rowsTable(key: string, rows: ReportRow[]): string[] {
  if (!rows.length) return [`no runs by ${key}`];
  return [
    table(
      [key, ...HEAD],
      rows.map((r) => [
        r.key,
        String(r.runs),
        String(r.done),
        String(r.released),
        String(r.expired),
        String(r.taken_over),
        dash(r.success_rate, (n) => `${Math.round(n * 100)}%`),
        ms(r.median_claim_to_done_ms),
        ms(r.p90_claim_to_done_ms),
        dash(r.attempts_per_done, String),
        dash(r.tokens_per_done, String),
        dash(r.cost_per_done_usd, (n) => n.toFixed(2)),
        String(r.done_per_day),
      ]),
    ),
  ];
}

/** The report as text: three tables, then done per day as bars. */
export function reportText(r: RunReport): string {
  const out = [`Runs started ${formatUtc(r.since)} – ${formatUtc(r.until)} UTC`];
  if (r.truncated) out.push("(only the newest runs were read: narrow --since or -p)");
  out.push("", ...rowsTable("agent", r.by_agent), "", ...rowsTable("project", r.by_project));
  out.push("", ...rowsTable("type", r.by_type), "", "Done per day");
  const days = r.done_per_day.slice(-TEXT_DAYS);
  const max = Math.max(1, ...days.map((d) => d.done));
  for (const d of days) {
    out.push(
      `${d.day} ${String(d.done).padStart(4)} ${"█".repeat(Math.ceil((d.done / max) * 30))}`.trimEnd(),
    );
  }
  return out.join("\n");
}

export const reportCommand = defineCommand({
  name: "report",
  summary: "How agents do: runs, done, success rate, claim-to-done time, tokens and cost per done task",
  description:
    "Every claim is a run; a run ends done, released, expired or taken over. The report groups the runs " +
    "started in the window by agent, project and task type (at most 50 rows each).",
  flags: {
    project: str("only this project (default: every project)", { short: "p" }),
    since: str("window: 7d, 24h, 90m, all, YYYY-MM-DD or RFC3339 (default 7d)", { value: "<window>" }),
  },
  examples: ["backlog report --since 30d", "backlog report -p api --since 7d --json"],
  async run(ctx) {
    const q = parseFlags(ctx, "report_query", { since: "since", project: "project" });
    const r = await ctx.app().runs.report({ since: q.since, project: q.project?.trim() || undefined });
    return { data: r, text: reportText(r) };
  },
});
