import type { Activity, Comment, Label, Page, Plan, PlanVersion, Project, Task } from "../domain/models.ts";
import { formatActor } from "../domain/actor.ts";
import { formatDuration, formatUtc } from "../domain/time.ts";
import { runLine } from "../domain/usage.ts";
import type { ReportRow, RunReport } from "../services/run_report.ts";
import type { TaskContext } from "../services/task_context.ts";
import type { Doc, Memory } from "../domain/knowledge.ts";

/**
 * Compact text renderings for tool results: what the model reads. One line per row, full IDs
 * (they are the arguments of the next call), UTC minutes for times.
 */

export const when = (ns: number) => formatUtc(ns).slice(0, 16);

const quote = (s: string) => JSON.stringify(s);

/** One task as MCP task lists show it: no description unless asked. */
export interface TaskListItem {
  ref: string;
  project: string;
  title: string;
  type: string;
  status: string;
  priority: number;
  version: number;
  assignee?: string;
  labels?: Label[];
  due_at?: number;
  lease_expires_at?: number;
  archived_at?: number;
  description?: string;
}

export function taskListItem(t: Task, full = false): TaskListItem {
  const r: TaskListItem = {
    ref: t.ref,
    project: t.project?.alias ?? "",
    title: t.title,
    type: t.type,
    status: t.status,
    priority: t.priority,
    version: t.version,
  };
  if (t.assignee) r.assignee = t.assignee;
  if (t.labels?.length) r.labels = t.labels;
  if (t.due_at !== undefined) r.due_at = t.due_at;
  if (t.lease_expires_at !== undefined) r.lease_expires_at = t.lease_expires_at;
  if (t.archived_at !== undefined) r.archived_at = t.archived_at;
  if (full && t.description) r.description = t.description;
  return r;
}

/** `TASK-3 doing P2 bug "Fix login" (api) #ui @ai:claude due 2026-02-01 v4` */
export function taskLine(t: TaskListItem | Task): string {
  const project = typeof t.project === "string" ? t.project : t.project?.alias;
  let s = `${t.ref} ${t.status} P${t.priority} ${t.type} ${quote(t.title)}`;
  if (project) s += ` (${project})`;
  for (const l of t.labels ?? []) s += ` #${l.name}`;
  if (t.assignee) s += ` @${t.assignee}`;
  if (t.due_at !== undefined) s += ` due ${when(t.due_at).slice(0, 10)}`;
  if (t.lease_expires_at !== undefined) s += ` lease until ${when(t.lease_expires_at)}`;
  if (t.archived_at !== undefined) s += " archived";
  return `${s} v${t.version}`;
}

/** The task as the model needs it to work on it: fields, description, plans, comments. */
export function taskText(
  t: Task,
  opts: {
    commentsTotal?: number;
    deps?: { blocked_by: { ref: string; status: string }[]; blocks: { ref: string; status: string }[] };
  } = {},
): string {
  const out = [taskLine(t), `id: ${t.id} · created ${when(t.created_at)} by ${formatActor(t.actor)}`];
  const extra: [string, string | undefined][] = [
    ["source", t.source],
    ["external_ref", t.external_ref],
    ["project_path", t.project_path],
    ["completed", t.completed_at ? when(t.completed_at) : undefined],
  ];
  for (const [k, v] of extra) if (v) out.push(`${k}: ${v}`);
  const refs = (ds: { ref: string; status: string }[]) => ds.map((d) => `${d.ref} (${d.status})`).join(", ");
  if (opts.deps?.blocked_by.length) out.push(`blocked by: ${refs(opts.deps.blocked_by)}`);
  if (opts.deps?.blocks.length) out.push(`blocks: ${refs(opts.deps.blocks)}`);
  if (t.description) out.push("", t.description);
  for (const p of t.plans ?? []) out.push("", planText(p));
  if (t.comments?.length) {
    const total = opts.commentsTotal ?? t.comments.length;
    const more = total > t.comments.length ? `, latest ${t.comments.length}; see comment_list` : "";
    out.push("", `comments (${total}${more}):`, ...t.comments.map(commentLine));
  }
  if (t.runs?.length) out.push("", `runs (${t.runs_total ?? t.runs.length}):`, ...t.runs.map(runLine));
  return out.join("\n");
}

export function planHead(p: Plan, v: PlanVersion): string {
  const note = v.change_note ? ` — ${v.change_note}` : "";
  return `plan ${p.id} v${v.version}/${p.current_version} ${quote(v.title)} by ${
    formatActor(v.actor)
  }${note}`;
}

export function planText(p: Plan): string {
  const v = p.version!;
  return `${planHead(p, v)}\n${v.body}`;
}

export function versionLine(
  v: {
    version: number;
    title: string;
    actor: PlanVersion["actor"];
    created_at: number;
    change_note?: string;
  },
): string {
  const note = v.change_note ? ` — ${v.change_note}` : "";
  return `v${v.version} ${when(v.created_at)} ${formatActor(v.actor)} ${quote(v.title)}${note}`;
}

export function commentLine(c: Comment): string {
  return `- ${when(c.created_at)} ${formatActor(c.actor)} (${c.id}): ${c.body}`;
}

export function projectLine(p: Project): string {
  const d = p.description ? ` — ${p.description}` : "";
  return `${p.alias} ${quote(p.name)}${p.archived_at ? " archived" : ""}${d}`;
}

export function activityLine(a: Omit<Activity, "payload">): string {
  return `${when(a.created_at)} ${formatActor(a.actor)} ${a.entity}.${a.action}: ${a.summary}`;
}

/** Rows plus a page marker line: `3 of 57; more: offset=20`. */
export function listText(rows: string[], page: Page, empty: string): string {
  if (!rows.length) {
    return page.total ? `${empty} at offset ${page.offset ?? 0} (total ${page.total})` : empty;
  }
  const more = page.has_more ? `; more: offset=${(page.offset ?? 0) + page.count}` : "";
  return `${rows.join("\n")}\n(${page.count} of ${page.total}${more})`;
}

/** `task_show context=true`: the task, its deps, current plan, latest comments and project memory. */
export function contextText(c: TaskContext): string {
  const out = [
    taskText({ ...c.task, plans: c.plan ? [c.plan] : undefined, comments: undefined }, { deps: c }),
  ];
  const more = (n: number, shown: number, what: string) => n > shown ? ` (${shown} of ${n} ${what})` : "";
  if (c.totals.plans > 1) out.push(`(latest of ${c.totals.plans} plans; see task_show)`);
  if (c.comments.length) {
    out.push(
      "",
      `comments${more(c.totals.comments, c.comments.length, "shown")}:`,
      ...c.comments.map(commentLine),
    );
  }
  if (c.memory.length) {
    out.push("", `project memory${more(c.totals.memory, c.memory.length, "shown")}:`);
    for (const m of c.memory) {
      out.push(`- ${when(m.created_at)} ${formatActor(m.actor)}${m.tags ? ` [${m.tags}]` : ""}: ${m.body}`);
    }
  }
  if (c.runs.length) {
    out.push("", `runs${more(c.totals.runs, c.runs.length, "shown")}:`, ...c.runs.map(runLine));
  }
  return out.join("\n");
}

/** `backlog report` as lines: one per agent, project and type, then done per day. */
export function reportText(r: RunReport): string {
  const n = (v: number | null, f = (x: number) => String(x)) => v === null ? "-" : f(v);
  const dur = (ms: number | null) => n(ms, (x) => formatDuration(x * 1e6));
  const line = (what: string) => (x: ReportRow) =>
    `${what} ${x.key}: ${x.runs} run${
      x.runs === 1 ? "" : "s"
    }, ${x.done} done, ${x.released} released, ${x.expired} expired, ` +
    `${x.taken_over} taken over, ok ${n(x.success_rate, (v) => `${Math.round(v * 100)}%`)}, ` +
    `median ${dur(x.median_claim_to_done_ms)}, p90 ${dur(x.p90_claim_to_done_ms)}, ` +
    `per done: ${n(x.attempts_per_done)} tries, ${n(x.tokens_per_done)} tokens, $${n(x.cost_per_done_usd)}`;
  const days = r.done_per_day.filter((d) => d.done).map((d) => `${d.day}=${d.done}`).join(" ");
  return [
    `runs started ${when(r.since)} to ${when(r.until)}${r.truncated ? " (newest only)" : ""}`,
    ...r.by_agent.map(line("agent")),
    ...r.by_project.map(line("project")),
    ...r.by_type.map(line("type")),
    `done per day: ${days || "none"}`,
  ].join("\n");
}

export function memoryLine(m: Memory): string {
  const project = m.project ? ` (${m.project.alias})` : "";
  const tags = m.tags ? ` [${m.tags}]` : "";
  return `${m.id} ${when(m.created_at)} ${formatActor(m.actor)}${project}${tags}: ${m.body}`;
}

export function docLine(d: Doc): string {
  const project = d.project ? ` (${d.project.alias})` : "";
  return `${d.id} v${d.current_version} ${quote(d.title)}${project} updated ${when(d.updated_at)}`;
}

export function docHead(d: Doc): string {
  const v = d.version!;
  const note = v.change_note ? ` — ${v.change_note}` : "";
  return `doc ${d.id} v${v.version}/${d.current_version} ${quote(v.title)} by ${formatActor(v.actor)}${note}`;
}
