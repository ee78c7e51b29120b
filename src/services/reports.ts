import type { ServiceContext } from "./context.ts";
import { transition } from "../domain/claims.ts";
import type { ProjectService } from "./projects.ts";
import { formatDuration, parseDuration, parseSince } from "../domain/time.ts";

export { parseSince };
import * as repo from "../db/repos/reports.ts";

/** A task named by a report (the original's TaskIssueRef). */
export interface TaskIssueRef {
  ref: string;
  id: string;
  title: string;
  status?: string;
  type?: string;
  actor?: string;
  detail?: string;
  updated_at?: number;
}

/** `activity analyze`: the original's report, field for field. Lists are always arrays. */
export interface ActivityAnalysis {
  project: string;
  since: string;
  since_at: number;
  generated_at: number;
  tasks: { created: number; completed: number; todo: number; doing: number; done: number };
  cycle_time_by_type: {
    type: string;
    count: number;
    average: string;
    average_nanos: number;
    minimum: string;
    minimum_nanos: number;
    maximum: string;
    maximum_nanos: number;
  }[];
  status_latency: {
    todo_to_doing_count: number;
    todo_to_doing_average: string;
    todo_to_doing_average_nanos: number;
    doing_to_done_count: number;
    doing_to_done_average: string;
    doing_to_done_average_nanos: number;
  };
  wip_by_actor: { actor_kind: string; actor_name: string; actor: string; count: number }[];
  no_completion_evidence: TaskIssueRef[];
  reopened_tasks: TaskIssueRef[];
  bug_followups: TaskIssueRef[];
  stale_doing_tasks: TaskIssueRef[];
  duplicates: { kind: string; scope: string; value: string; count: number; task_ref?: string }[];
  top_labels_by_churn: { label: string; count: number }[];
  human_vs_ai_closes: { actor_kind: string; count: number }[];
}

export interface AnalyzeOptions {
  /** 7d, 24h, 1h30m, all, YYYY-MM-DD or RFC3339 (default 7d). */
  since?: string;
  /** Duration after which a doing task is stale (default 7d). */
  stale_after?: string;
  /** Examples per section (default 10). */
  limit?: number;
}

/** `kind:name`, or whichever half is set. */
export const actorLabel = (kind: string, name: string) => kind && name ? `${kind}:${name}` : kind || name;

/** The brief columns as a report reference. */
export function issueRef(t: repo.TaskBrief, detail?: string): TaskIssueRef {
  const r: TaskIssueRef = { ref: `TASK-${t.seq}`, id: t.id, title: t.title };
  if (t.status) r.status = t.status;
  if (t.type) r.type = t.type;
  const actor = actorLabel(t.actor_kind, t.actor_name);
  if (actor) r.actor = actor;
  if (detail) r.detail = detail;
  if (t.updated_at) r.updated_at = t.updated_at;
  return r;
}

export { transition };

/** The first Go-quoted token of a summary, decoded (`Attached label "x" to …` → x). */
export function firstQuoted(summary: string): string {
  const m = /"((?:[^"\\]|\\.)*)"/.exec(summary);
  if (!m) return "";
  try {
    return JSON.parse(`"${m[1].replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1")}"`);
  } catch {
    return m[1];
  }
}

const avg = (xs: number[]) => xs.length ? Math.trunc(xs.reduce((a, b) => a + b, 0) / xs.length) : 0;

/** Read-only reports over a project's tasks and activity. */
export class ReportService {
  constructor(private ctx: ServiceContext, private projects: ProjectService) {}

  /** The activity analysis of a project. Raises not_found (project), invalid (--since, --stale-after, limit). */
  async analyze(project: string, opts: AnalyzeOptions = {}): Promise<ActivityAnalysis> {
    const now = this.ctx.clock();
    const since = parseSince(opts.since, now, "since");
    const stale = parseDuration(opts.stale_after?.trim() || "7d", "--stale-after");
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : 10;
    const p = await this.projects.get(project);
    const db = this.ctx.db;
    const events = await repo.statusEvents(db, p.id, since.at);
    return {
      project: p.alias,
      since: since.label,
      since_at: since.at,
      generated_at: now,
      tasks: { ...await repo.taskCounts(db, p.id, since.at) },
      cycle_time_by_type: (await repo.cycleTimes(db, p.id, since.at)).map((r) => {
        const a = Math.trunc(r.avg);
        return {
          type: r.type,
          count: r.count,
          average: formatDuration(a),
          average_nanos: a,
          minimum: formatDuration(r.min),
          minimum_nanos: r.min,
          maximum: formatDuration(r.max),
          maximum_nanos: r.max,
        };
      }),
      status_latency: latency(events),
      wip_by_actor: (await repo.wipByCreator(db, p.id)).map((r) => ({
        actor_kind: r.actor_kind,
        actor_name: r.actor_name,
        actor: actorLabel(r.actor_kind, r.actor_name),
        count: r.count,
      })),
      no_completion_evidence: (await repo.doneWithoutEvidence(db, p.id, since.at, limit))
        .map((t) => issueRef(t, "done without comments or plans")),
      reopened_tasks: events.filter((e) => transition(e.summary)?.from === "done")
        .sort((a, b) => b.at - a.at).slice(0, limit).map((e) => issueRef(e, e.summary)),
      bug_followups: (await repo.bugsCreated(db, p.id, since.at, limit)).map((t) => issueRef(t)),
      stale_doing_tasks: (await repo.staleDoing(db, p.id, { cutoff: now - stale, limit })).map((t) =>
        issueRef(t)
      ),
      duplicates: await this.#duplicates(p.id, limit),
      top_labels_by_churn: await this.#labelChurn(p.id, since.at, limit),
      human_vs_ai_closes: closes(await repo.statusChanges(db, p.id, since.at)),
    };
  }

  async #duplicates(projectId: string, limit: number): Promise<ActivityAnalysis["duplicates"]> {
    const db = this.ctx.db;
    const onTask = (kind: string) => (r: { seq: number; value: string; count: number }) => ({
      kind,
      scope: `TASK-${r.seq}`,
      value: r.value,
      count: r.count,
      task_ref: `TASK-${r.seq}`,
    });
    return [
      ...(await repo.duplicateLabels(db, projectId, limit)).map((r) => ({
        kind: "label",
        scope: "project",
        value: r.names,
        count: r.count,
      })),
      ...(await repo.duplicatePlans(db, projectId, limit)).map(onTask("plan")),
      ...(await repo.duplicateComments(db, projectId, limit)).map(onTask("comment")),
    ];
  }

  async #labelChurn(
    projectId: string,
    since: number,
    limit: number,
  ): Promise<ActivityAnalysis["top_labels_by_churn"]> {
    const counts = new Map<string, number>();
    for (const e of await repo.labelEvents(this.ctx.db, projectId, since)) {
      const name = e.name ?? (firstQuoted(e.summary) || "unknown");
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return [...counts].map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .slice(0, limit);
  }
}

/** todo→doing (from creation) and doing→done (from the first start) samples, per task in time order. */
function latency(events: repo.StatusEvent[]): ActivityAnalysis["status_latency"] {
  const started = new Map<string, number>();
  const toDoing: number[] = [];
  const toDone: number[] = [];
  for (const e of events) {
    const tr = transition(e.summary);
    if (!tr) continue;
    if (tr.from === "todo" && tr.to === "doing") {
      if (e.at >= e.task_created_at) toDoing.push(e.at - e.task_created_at);
      if (!started.has(e.id)) started.set(e.id, e.at);
    }
    const s = started.get(e.id);
    if (tr.to === "done" && s !== undefined && e.at >= s) toDone.push(e.at - s);
  }
  const a = avg(toDoing);
  const b = avg(toDone);
  return {
    todo_to_doing_count: toDoing.length,
    todo_to_doing_average: formatDuration(a),
    todo_to_doing_average_nanos: a,
    doing_to_done_count: toDone.length,
    doing_to_done_average: formatDuration(b),
    doing_to_done_average_nanos: b,
  };
}

/** Closes (status changes to done) by the mover's actor kind. */
function closes(rows: { summary: string; actor_kind: string }[]): ActivityAnalysis["human_vs_ai_closes"] {
  const by = new Map<string, number>();
  for (const r of rows) {
    if (transition(r.summary)?.to === "done") by.set(r.actor_kind, (by.get(r.actor_kind) ?? 0) + 1);
  }
  return [...by].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([actor_kind, count]) => ({
    actor_kind,
    count,
  }));
}
