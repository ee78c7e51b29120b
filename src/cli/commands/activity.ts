import { defineCommand } from "../spec.ts";
import { pageNote } from "../views.ts";
import { escapeControls } from "../format.ts";
import { DEFAULT_PAGE, pageFlags, str } from "./num_flags.ts";
import { formatActor } from "../../domain/actor.ts";
import { formatUtc } from "../../domain/time.ts";
import { goQuote } from "../../domain/quote.ts";
import type { Activity } from "../../domain/models.ts";
import { ACTIVITY_ENTITIES } from "../../domain/enums.ts";
import type { ActivityAnalysis, TaskIssueRef } from "../../services/reports.ts";
import { parseFlags } from "./op_flags.ts";

const PROJECT = str("project alias (default: the default project)", { short: "p" });

/** One line per event: `<UTC>  [<entity>] <summary> by <kind>:<name>`. */
export function activityLines(events: Activity[]): string {
  return events.map((e) =>
    escapeControls(
      `${formatUtc(e.created_at)}  [${e.entity}] ${e.summary || e.action} by ${formatActor(e.actor)}`,
    )
  ).join("\n");
}

const refs = (label: string, rows: TaskIssueRef[]) =>
  `- ${label}: ${rows.length ? rows.map((r) => r.ref).join(", ") : "none"}`;

/** The original's text report for `activity analyze`. */
export function analysisText(r: ActivityAnalysis): string {
  const out = [`Activity analysis for ${r.project} since ${r.since}`, ""];
  const t = r.tasks;
  out.push(
    `Tasks: created=${t.created} completed=${t.completed} todo=${t.todo} doing=${t.doing} done=${t.done}`,
  );
  out.push("", "Cycle time by type:");
  if (!r.cycle_time_by_type.length) out.push("- no completed tasks in window");
  for (const c of r.cycle_time_by_type) {
    out.push(`- ${c.type}: ${c.count} completed, avg ${c.average} (min ${c.minimum}, max ${c.maximum})`);
  }
  const l = r.status_latency;
  out.push("", "Status latency:");
  out.push(`- todo -> doing: ${l.todo_to_doing_count} samples, avg ${l.todo_to_doing_average}`);
  out.push(`- doing -> done: ${l.doing_to_done_count} samples, avg ${l.doing_to_done_average}`);
  out.push("", "WIP by actor:");
  if (!r.wip_by_actor.length) out.push("- none");
  for (const w of r.wip_by_actor) out.push(`- ${w.actor}: ${w.count}`);
  out.push("", "Quality signals:");
  out.push(refs("no completion evidence", r.no_completion_evidence));
  out.push(refs("reopened tasks", r.reopened_tasks));
  out.push(refs("bug followups", r.bug_followups));
  out.push(refs("stale doing tasks", r.stale_doing_tasks));
  if (!r.duplicates.length) out.push("- duplicate labels/plans/comments: none");
  else out.push("- duplicate labels/plans/comments:");
  for (const d of r.duplicates) {
    out.push(`  - ${d.kind} in ${d.task_ref || d.scope}: ${goQuote(d.value)} (${d.count})`);
  }
  const churn = r.top_labels_by_churn.map((c) => `${c.label}=${c.count}`).join(", ");
  out.push(`- top labels by churn: ${churn || "none"}`);
  out.push("", "Human vs AI closes:");
  if (!r.human_vs_ai_closes.length) out.push("- no closes in window");
  for (const c of r.human_vs_ai_closes) out.push(`- ${c.actor_kind}: ${c.count}`);
  return out.join("\n");
}

const analyzeCommand = defineCommand({
  name: "analyze",
  db: "read",
  summary: "Summarize project activity and workflow health",
  flags: {
    project: PROJECT,
    since: str("window: 7d, 24h, 90m, all, YYYY-MM-DD or RFC3339 (default 7d)", { value: "<window>" }),
    "stale-after": str("doing tasks untouched this long are stale (default 7d)", { value: "<duration>" }),
    limit: str("examples per section (default 10)", { value: "<n>" }),
  },
  examples: ["backlog activity analyze -p api --since 30d", "backlog activity analyze --since all --json"],
  async run(ctx) {
    const map = { since: "since", stale_after: "stale-after", limit: "limit" } as const;
    const { project, ...q } = parseFlags(ctx, "activity_analyze", map, {
      extra: { project: ctx.requireProject() },
    });
    const report = await ctx.app().reports.analyze(project, q);
    return { data: report, text: analysisText(report) };
  },
});

export const activityCommand = defineCommand({
  name: "activity",
  db: "read",
  summary: "The activity log: every write, who made it and when (and `activity analyze`)",
  flags: {
    project: PROJECT,
    kind: str(`entity: ${ACTIVITY_ENTITIES.join("|")}`),
    actor: str("kind:name, or a name (any kind)", { value: "<actor>" }),
    "actor-kind": str("human|ai"),
    "actor-name": str("actor name"),
    since: str("only events in this window: 7d, 24h, all, YYYY-MM-DD or RFC3339", { value: "<window>" }),
    ...pageFlags(),
  },
  examples: ["backlog activity -p api --since 24h", "backlog activity --actor-kind ai --kind task --json"],
  async run(ctx) {
    const app = ctx.app();
    const map = {
      entity: "kind",
      actor: "actor",
      actor_kind: "actor-kind",
      actor_name: "actor-name",
      since: "since",
      limit: "limit",
      offset: "offset",
    } as const;
    // Token events belong to no project: the default project does not hide them (`-p` still filters).
    const project = ctx.flags.kind === "token" && !ctx.given("project")
      ? undefined
      : ctx.project() || undefined;
    const q = parseFlags(ctx, "activity_query", map, { extra: { project } });
    const { events, page } = await app.activity.list({ ...q, limit: q.limit ?? DEFAULT_PAGE });
    const text = events.length
      ? [activityLines(events), pageNote(events.length, page.total, page.offset)].filter(Boolean).join("\n")
      : "no activity recorded";
    return { data: { events, page }, text };
  },
  subcommands: [analyzeCommand],
});
