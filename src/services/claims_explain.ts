import type { Store } from "../db/store.ts";
import { lapsed } from "../domain/claims.ts";
import type { Page, Task } from "../domain/models.ts";
import * as repo from "../db/repos/claims.ts";
import { goQuote } from "../domain/quote.ts";
import { formatUtc } from "../domain/time.ts";
import type { NextCandidate, QueueExplain, QueuePage } from "../domain/views.ts";
export type { NextCandidate, QueueExplain, QueuePage };

/** A page of ready tasks in `next` order with each one's reasons; the total is every ready task. */
export async function readyQueue(
  db: Store,
  filter: repo.QueueFilter,
  now: number,
  limit: number,
  offset: number,
  tasksOf: (ids: string[]) => Promise<Task[]>,
): Promise<QueuePage> {
  // One row above the page, so the first task on it can say why it ranks after that one.
  const from = Math.max(0, offset - 1);
  const rows = await repo.rankReady(db, filter, now, limit + offset - from, from);
  const shown = rows.slice(offset - from);
  const found = await tasksOf(shown.map((r) => r.id));
  const tasks = [];
  for (const [i, r] of shown.entries()) {
    const above = i + offset - from > 0 ? rows[i + offset - from - 1] : undefined;
    tasks.push({
      task: found[i],
      explain: {
        position: offset + i + 1,
        unblocks: r.unblocks,
        facts: facts(r, now),
        reason: above ? runnerUp(r, above) : "first in order",
      },
    });
  }
  const total = tasks.length < limit && (tasks.length || !offset)
    ? offset + tasks.length
    : await repo.countReady(db, filter, now);
  const page: Page = { total, count: tasks.length, has_more: offset + tasks.length < total, limit };
  if (offset) page.offset = offset;
  return { tasks, page };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Human-readable reasons for a `next` pick: the order used, what matched, what was skipped
 * (blocked, held by live claims) and why each runner-up ranked lower.
 */
export async function explainNext(
  db: Store,
  o: {
    filter: repo.QueueFilter;
    q: { project?: string; type?: string | string[]; label?: string | string[] };
    now: number;
    ranked: repo.RankedRow[];
  },
): Promise<{ explain: string[]; candidates: NextCandidate[] }> {
  const { ranked, now } = o;
  const c = await repo.queueCounts(db, o.filter, now);
  const lines: string[] = [];
  const top = ranked[0];
  const scope = describe(o.q);
  if (top) {
    lines.push(`picked TASK-${top.task_seq} ${goQuote(top.title)}: ${facts(top, now)}`);
  } else {
    lines.push(`no ready task${scope}`);
  }
  lines.push("order: priority, then open tasks unblocked (transitively), then age (oldest first)");
  lines.push(`${plural(c.ready, "ready task")}${scope}`);
  if (c.blocked) {
    const ex = (await repo.blockedExamples(db, o.filter, now, 3)).map((b) =>
      `TASK-${b.seq} waits on ${b.blockers}`
    );
    lines.push(
      `skipped ${plural(c.blocked, "blocked task")}: ${ex.join("; ")}${c.blocked > ex.length ? "; …" : ""}`,
    );
  }
  if (c.held) lines.push(`skipped ${plural(c.held, "task")} in progress under a live claim`);
  const candidates = ranked.map((r, i) => {
    const reason = i === 0 ? "first in order" : runnerUp(r, ranked[i - 1]);
    if (i > 0) lines.push(`then TASK-${r.task_seq} ${goQuote(r.title)}: ${reason}`);
    return {
      id: r.id,
      ref: `TASK-${r.task_seq}`,
      title: r.title,
      status: r.status,
      priority: r.priority,
      unblocks: r.unblocks,
      created_at: r.created_at,
      reason,
    };
  });
  return { explain: lines, candidates };
}

function facts(r: repo.RankedRow, now: number): string {
  const parts = [
    `P${r.priority}`,
    `unblocks ${plural(r.unblocks, "open task")}`,
    `created ${formatUtc(r.created_at)} UTC`,
  ];
  if (r.status === "doing" && lapsed(r.lease_expires_at, now)) {
    parts.push(
      `its lease (held by ${r.assignee || "nobody"}) expired at ${formatUtc(r.lease_expires_at!)} UTC`,
    );
  }
  return parts.join(", ");
}

/** Why a candidate ranks right after the one above it. */
function runnerUp(r: repo.RankedRow, above: repo.RankedRow): string {
  const ref = `TASK-${above.task_seq}`;
  if (r.priority > above.priority) return `P${r.priority}, lower priority than ${ref} (P${above.priority})`;
  if (r.unblocks < above.unblocks) {
    return `P${r.priority}, unblocks ${r.unblocks}, fewer than ${ref} (${above.unblocks})`;
  }
  return `P${r.priority}, unblocks ${r.unblocks}, created after ${ref} (${formatUtc(r.created_at)} UTC)`;
}

function describe(q: { project?: string; type?: string | string[]; label?: string | string[] }): string {
  const parts: string[] = [];
  const join = (v: string | string[]) => (Array.isArray(v) ? v : [v]).join(",");
  if (q.project) parts.push(`project ${q.project}`);
  if (q.type?.length) parts.push(`type ${join(q.type)}`);
  if (q.label?.length) parts.push(`label ${join(q.label)}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}
