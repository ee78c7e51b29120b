// Small pieces the cockpit shares: lease countdowns, holders, run outcomes, and the blocked/held/due marks
// that board, list and timeline put on a task.
import { api, type Query } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import type { Task, TaskList } from "./types.ts";
import { localDateTime } from "./format.ts";
import { duration, leaseText, type Run, type RunOutcome, since, useNow } from "./cockpit.ts";

/** The lease remaining, ticking every second; turns red in the last minute and says when it expired. */
export function Countdown({ until }: { until: number | null | undefined }) {
  const now = useNow();
  if (!until) return <span class="muted">no lease</span>;
  const left = until / 1e6 - now;
  const cls = left <= 0 ? "expired" : left < 60_000 ? "soon" : "";
  return (
    <time
      class={`countdown ${cls}`}
      dateTime={new Date(until / 1e6).toISOString()}
      title={localDateTime(until)}
    >
      {leaseText(until, now)}
    </time>
  );
}

/** How long ago `from` was, ticking every second. */
export function Elapsed({ from }: { from: number | null | undefined }) {
  const now = useNow();
  return <span class="elapsed" title={localDateTime(from ?? undefined)}>{since(from, now)}</span>;
}

/** How long a run took, or (still open) how long it has been held, ticking. */
export function RunTook({ r }: { r: Run }) {
  return r.ended_at
    ? <span>{duration((r.ended_at - r.started_at) / 1e6)}</span>
    : <Elapsed from={r.started_at} />;
}

/** `ai:claude` with a small avatar that tells agents from humans. */
export function Holder({ holder }: { holder: string }) {
  // A bare name (an assignee from before runs were recorded) has no kind to show.
  const i = holder.indexOf(":");
  const kind = i > 0 ? holder.slice(0, i) : "";
  const name = i > 0 ? holder.slice(i + 1) : holder;
  return (
    <span class="holder">
      <span class={`avatar ${kind}`} aria-hidden="true">{(name[0] ?? "?").toUpperCase()}</span>
      <span class="mono">{holder}</span>
    </span>
  );
}

const OUTCOME: Record<RunOutcome, string> = {
  open: "holding",
  done: "done",
  released: "released",
  expired: "expired",
  taken_over: "taken over",
};

export const OutcomeBadge = ({ o }: { o: RunOutcome }) => (
  <span class={`badge oc-${o}`}>{OUTCOME[o] ?? o}</span>
);

/** A live claim: doing, with a lease that has not run out. */
export const isHeld = (t: Task, now: number) =>
  t.status === "doing" && !!t.lease_expires_at && t.lease_expires_at / 1e6 > now;

const shortDay = (ns: number) =>
  new Date(ns / 1e6).toLocaleDateString(undefined, { month: "short", day: "numeric" });

/** Blocked, held and due marks: each a badge whose text says what it means. */
export function TaskMarks({ t, blocked, now }: { t: Task; blocked: boolean; now: number }) {
  const held = isHeld(t, now);
  const lapsed = t.status === "doing" && !!t.lease_expires_at && !held;
  const overdue = !!t.due_at && t.status !== "done" && t.due_at / 1e6 < now;
  return (
    <>
      {blocked && (
        <span class="badge mark blocked" title="Waits on open tasks">
          <i class="dot" aria-hidden="true" />Blocked
        </span>
      )}
      {held && (
        <span class="badge mark held" title={`Claimed until ${localDateTime(t.lease_expires_at)}`}>
          <i class="dot" aria-hidden="true" />Held{t.assignee ? ` by ${t.assignee}` : ""}
        </span>
      )}
      {lapsed && <span class="badge mark lapsed" title="The claim's lease ran out">Lease expired</span>}
      {t.due_at && (
        <span
          class={`badge mark due${overdue ? " overdue" : ""}`}
          title={`Due ${localDateTime(t.due_at)}`}
        >
          {overdue ? "Overdue: " : "Due "}
          {shortDay(t.due_at)}
        </span>
      )}
    </>
  );
}

/**
 * The blocked tasks, up to one page, among what a view shows: one bounded request however many rows
 * the view has (the list view's pages are as large).
 */
const BLOCKED_SCAN = 100;

/** Ids of the tasks matching `params` that wait on an open task. */
export async function loadBlockedIds(params: Query): Promise<Set<string>> {
  const r = await api.get<TaskList>("/api/tasks", {
    ...params,
    blocked: true,
    sort: undefined,
    order: undefined,
    limit: BLOCKED_SCAN,
  });
  return new Set(r.tasks.map((t) => t.id));
}

/**
 * loadBlockedIds, refreshed on every task change, for a view that loads its rows apart (the list's
 * pages); `loading` until the first answer, so the view can say it is not complete yet.
 */
export function useBlockedIds(params: Query): { ids: Set<string>; loading: boolean } {
  const res = useAsync(() => loadBlockedIds(params), [JSON.stringify(params)]);
  useLive(["task"], res.reload);
  return { ids: res.data ?? new Set(), loading: res.loading };
}
