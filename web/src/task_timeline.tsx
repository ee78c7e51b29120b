// Timeline view: tasks by the local day they were created, newest first, loaded a page at a time.
import { useState } from "preact/hooks";
import { api, type Query } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { PriorityBadge, StatusBadge, TypeBadge } from "./ui.tsx";
import type { Task, TaskList } from "./types.ts";
import { dayKey, dayLabel, localTime } from "./format.ts";

const PAGE = 100;

/** Groups rows by the local day of `at(row)`, keeping their order. */
export function byDay<T>(rows: T[], at: (r: T) => number): [string, T[]][] {
  const out: [string, T[]][] = [];
  for (const r of rows) {
    const k = dayKey(at(r));
    const last = out[out.length - 1];
    if (last && last[0] === k) last[1].push(r);
    else out.push([k, [r]]);
  }
  return out;
}

export function TaskTimeline({ params, onOpen, onTotal }: {
  params: Query;
  onOpen: (t: Task) => void;
  onTotal: (n: number) => void;
}) {
  const key = JSON.stringify(params);
  const [shown, setShown] = useState({ key, limit: PAGE });
  const limit = shown.key === key ? shown.limit : PAGE;
  const res = useAsync(async () => {
    const r = await api.get<TaskList>("/api/tasks", { ...params, sort: "created", order: "desc", limit });
    onTotal(r.page.total);
    return r;
  }, [key, limit]);
  useLive(["task"], res.reload);
  const tasks = res.data?.tasks ?? [];
  const total = res.data?.page.total ?? 0;
  return (
    <div class="timeline scroll-pane">
      {byDay(tasks, (t) => t.created_at).map(([day, rows]) => (
        <section key={day} class="day">
          <h3 class="day-title">{dayLabel(rows[0].created_at)}</h3>
          <ul class="day-rows">
            {rows.map((t) => (
              <li key={t.id} data-ref={t.ref} onClick={() => onOpen(t)}>
                <span class="muted small time">{localTime(t.created_at)}</span>
                <span class="ref mono">{t.ref}</span>
                <span class="tl-title">{t.title}</span>
                <TypeBadge t={t.type} />
                <StatusBadge s={t.status} />
                <PriorityBadge p={t.priority} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {!res.loading && tasks.length === 0 && <div class="empty">No tasks match.</div>}
      {tasks.length < total && (
        <button
          type="button"
          class="ghost more"
          onClick={() => setShown({ key, limit: limit + PAGE })}
        >
          Load more ({(total - tasks.length).toLocaleString()} remaining)
        </button>
      )}
    </div>
  );
}
