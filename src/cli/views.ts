import { runLine } from "../domain/usage.ts";
import {
  type Comment,
  labelNames,
  type Plan,
  type PlanVersion,
  type Project,
  type Task,
} from "../domain/models.ts";
import { type Actor, formatActor } from "../domain/actor.ts";
import { formatLocal, formatUtc, systemClock } from "../domain/time.ts";
import { lapsed } from "../domain/claims.ts";
import { displayId } from "../domain/refs.ts";
import { colors, detail, escapeControls, showBody, table, truncate } from "./format.ts";
import type { Io } from "./spec.ts";

/** Project detail view. */
export function projectView(p: Project): string {
  return detail([
    ["ID", p.id],
    ["Alias", p.alias],
    ["Name", p.name],
    ["Description", p.description],
    ["Repo", p.repo_path],
    ["Archived", p.archived_at ? formatLocal(p.archived_at) : undefined],
    ["Created", formatLocal(p.created_at)],
  ]);
}

/** `<when> [kind:name]: <body>` for a comment or a memory entry. */
export const noteLine = (when: string, m: { actor: Actor; body: string }) =>
  `${escapeControls(`${when} [${formatActor(m.actor)}]`)}: ${showBody(m.body)}`;

/** Task detail view (plans and comments sections when loaded). */
export function taskView(t: Task): string {
  // A lease that ran out still shows in the row until someone takes the task or writes to it.
  const lease = t.lease_expires_at &&
    `lease ${lapsed(t.lease_expires_at, systemClock()) ? "expired" : "until"} ${
      formatLocal(t.lease_expires_at)
    }`;
  const lines = detail([
    ["ID", t.id],
    ["Ref", t.ref],
    ["Project", t.project?.alias],
    ["Title", t.title],
    ["Type", t.type],
    ["Status", t.status + (lease ? ` (claimed by ${t.assignee}, ${lease})` : "")],
    ["Priority", `P${t.priority}`],
    ["Assignee", t.assignee],
    ["Path", t.project_path],
    ["Actor", formatActor(t.actor)],
    ["Source", t.source],
    ["External", t.external_ref],
    ["Labels", t.labels && labelNames(t).join(", ")],
    ["Due", t.due_at ? formatUtc(t.due_at).slice(0, 10) : undefined],
    ["Version", t.version],
    ["Created", formatLocal(t.created_at)],
    ["Completed", t.completed_at ? formatLocal(t.completed_at) : undefined],
    ["Archived", t.archived_at ? formatLocal(t.archived_at) : undefined],
  ]);
  const out = [lines];
  if (t.description) out.push("", "--- Description ---", showBody(t.description));
  if (t.plans) {
    out.push("", `--- Plans (${t.plans.length}) ---`);
    for (const p of t.plans) {
      out.push(
        escapeControls(
          `[v${p.current_version}] ${p.version?.title} (by ${formatActor(p.version!.actor)}) ${
            displayId(p.id)
          }`,
        ),
      );
    }
  }
  if (t.comments) {
    out.push("", `--- Comments (${t.comments.length}) ---`);
    for (const c of t.comments) out.push(noteLine(formatLocal(c.created_at), c));
  }
  if (t.runs?.length) {
    const of = t.runs_total! > t.runs.length ? `latest ${t.runs.length} of ${t.runs_total}` : t.runs.length;
    out.push("", `--- Runs (${of}) ---`, ...t.runs.map(runLine));
  }
  return out.join("\n");
}

/** The task list table. */
export function taskTable(tasks: Task[], io: Io): string {
  const c = colors(io);
  const pc: Record<number, (s: string) => string> = { 1: c.red, 2: c.yellow, 4: c.cyan, 5: c.grey };
  const sc: Record<string, (s: string) => string> = { doing: c.blue, done: c.green };
  return table(
    ["ref", "p", "type", "status", "title", "project", "labels", "actor"],
    tasks.map((t) => [
      t.ref,
      { text: `P${t.priority}`, paint: pc[t.priority] ?? String },
      t.type,
      { text: t.status, paint: sc[t.status] ?? String },
      truncate(t.title, 50),
      t.project?.alias ?? "",
      labelNames(t).join(","),
      t.actor.name,
    ]),
  );
}

/** Plan view: header, then the body. */
export function planView(p: Plan, v: PlanVersion): string {
  return detail([
    ["Plan ID", p.id],
    ["Version", `v${v.version} (current: v${p.current_version})`],
    ["Title", v.title],
    ["Actor", formatActor(v.actor)],
    ["Note", v.change_note],
    ["Created", formatLocal(v.created_at)],
  ]) + `\n\n${showBody(v.body)}`;
}

export function commentLines(cs: Comment[]): string {
  return cs.map((c) =>
    `${escapeControls(`[${formatLocal(c.created_at)}] ${formatActor(c.actor)} ${displayId(c.id)}`)}\n  ${
      showBody(c.body).replaceAll("\n", "\n  ")
    }\n`
  ).join("\n");
}

/** `showing N of M` when a page is partial. */
export function pageNote(count: number, total: number, offset = 0): string {
  if (total <= count) return "";
  return `showing ${offset + 1}-${offset + count} of ${total} (use --limit/--offset for more)`;
}
