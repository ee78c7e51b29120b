// Timeline view: each task a bar on a time axis, from when it was claimed (live claims) or created to when
// it was done (or now); due dates are marked, a line shows today. Zoom by day or week. Rows are windowed,
// so the 1,000 newest tasks of any filter stay smooth.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Query } from "./api.ts";
import { useAsync, usePref } from "./hooks.ts";
import { useLive } from "./live.ts";
import type { Task, TaskList } from "./types.ts";
import { dayKey, localDateTime } from "./format.ts";
import { type Claims, useNow } from "./cockpit.ts";
import { loadBlockedIds, TaskMarks } from "./cockpit_ui.tsx";

/** The most tasks the timeline draws; more is a note asking for narrower filters. */
export const TIMELINE_CAP = 1000;
const ROW = 30;
const HEAD = 44;
const LABEL_W = 280;
const OVERSCAN = 10;
const DAY_MS = 86_400_000;
type Zoom = "day" | "week";
const PX_PER_DAY: Record<Zoom, number> = { day: 44, week: 14 };

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

interface Span {
  t: Task;
  start: number;
  end: number;
  claimed: boolean;
}

const startOfDay = (ms: number) => {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/** Bars in ms: live claims start at the claim, others at creation; open tasks run to now. */
function spans(tasks: Task[], claimedAt: Map<string, number>, now: number): Span[] {
  return tasks.map((t) => {
    const c = claimedAt.get(t.id);
    const start = (c ?? t.created_at) / 1e6;
    const end = t.completed_at ? t.completed_at / 1e6 : Math.max(now, start);
    return { t, start, end, claimed: c !== undefined };
  });
}

/** The axis: local midnights around every bar, due date and today, at least `minDays` long. */
function axis(rows: Span[], now: number, minDays: number): { from: number; days: number } {
  let lo = now, hi = now;
  for (const r of rows) {
    const due = r.t.due_at ? r.t.due_at / 1e6 : r.start;
    lo = Math.min(lo, r.start, due);
    hi = Math.max(hi, r.end, due);
  }
  const from = startOfDay(lo - DAY_MS);
  return { from, days: Math.max(minDays, Math.ceil((startOfDay(hi) + 2 * DAY_MS - from) / DAY_MS)) };
}

export function TaskTimeline({ params, onOpen, onTotal }: {
  params: Query;
  onOpen: (t: Task) => void;
  onTotal: (n: number) => void;
}) {
  const [zoom, setZoom] = usePref<Zoom>("timelineZoom", "day");
  const key = JSON.stringify(params);
  // Rows, claims and blocked marks in one load: a row never shows without the marks it has.
  const res = useAsync(async () => {
    const [r, claims, blocked] = await Promise.all([
      api.get<TaskList>("/api/tasks", { ...params, sort: "created", order: "desc", limit: TIMELINE_CAP }),
      api.get<Claims>("/api/claims").catch(() => null),
      // Marks are extras: without them the rows still show, as without claims.
      loadBlockedIds(params).catch(() => new Set<string>()),
    ]);
    onTotal(r.page.total);
    const claimedAt = new Map((claims?.live ?? []).map((c) => [c.task.id, c.run.started_at]));
    return { ...r, claimedAt, blocked };
  }, [key]);
  useLive(["task"], res.reload);
  const blocked = res.data?.blocked ?? new Set<string>();
  const now = useNow(60_000);
  const tasks = res.data?.tasks ?? [];
  const total = res.data?.page.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewW, setViewW] = useState(1000);
  const px = PX_PER_DAY[zoom];
  const rows = spans(tasks, res.data?.claimedAt ?? new Map(), now);
  // The axis fills the pane: a short history still shows the days ahead of it.
  const { from, days } = axis(rows, now, Math.ceil((viewW - LABEL_W) / px));
  const x = (ms: number) => LABEL_W + ((ms - from) / DAY_MS) * px;

  const [range, setRange] = useState<[number, number]>([0, 40]);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const first = Math.max(0, Math.floor((el.scrollTop - HEAD) / ROW) - OVERSCAN);
    const next: [number, number] = [first, first + Math.ceil(el.clientHeight / ROW) + 2 * OVERSCAN];
    if (next[0] !== range[0] || next[1] !== range[1]) setRange(next);
  };
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // Open on today, with a few days of history to its left.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = Math.max(0, x(now) - LABEL_W - 6 * px);
    onScroll();
  }, [zoom, key, tasks.length > 0]);

  return (
    <div class="timeline-wrap">
      <div class="board-bar">
        <div class="segmented" role="group" aria-label="Zoom">
          {(["day", "week"] as Zoom[]).map((z) => (
            <button
              type="button"
              key={z}
              class={zoom === z ? "on" : ""}
              aria-pressed={zoom === z}
              onClick={() => setZoom(z)}
            >
              {z === "day" ? "Days" : "Weeks"}
            </button>
          ))}
        </div>
        <span class="legend muted small">
          <i class="tl-key created" /> waiting <i class="tl-key claimed" /> claimed <i class="tl-key done" />
          {" "}
          done
          <i class="tl-key due" /> due <i class="tl-key today" /> today
        </span>
        {total > tasks.length && (
          <span class="muted small" data-testid="timeline-cap">
            Showing the {tasks.length.toLocaleString()} newest of {total.toLocaleString()}{" "}
            tasks: filter to see others.
          </span>
        )}
      </div>
      <div class="timeline" ref={scroller} onScroll={onScroll} data-zoom={zoom} aria-busy={res.loading}>
        <div
          class="tl-canvas"
          style={{ width: LABEL_W + days * px, height: HEAD + rows.length * ROW }}
          role="list"
          aria-label={`Timeline, ${rows.length} tasks`}
        >
          <Axis from={from} days={days} px={px} zoom={zoom} />
          <div
            class="tl-grid"
            style={{
              left: LABEL_W,
              top: HEAD,
              backgroundSize: `${zoom === "day" ? px : px * 7}px 100%`,
              // Week lines fall on Mondays, like the week ticks.
              backgroundPosition: `${zoom === "day" ? 0 : ((8 - new Date(from).getDay()) % 7) * px}px 0`,
            }}
          />
          <div
            class="tl-today"
            style={{ left: x(now), top: HEAD }}
            title={`Now: ${localDateTime(now * 1e6)}`}
          />
          {rows.slice(range[0], range[1]).map((r, i) => (
            <Row
              key={r.t.id}
              r={r}
              top={HEAD + (range[0] + i) * ROW}
              x={x}
              onOpen={onOpen}
              blocked={blocked}
              now={now}
            />
          ))}
          {!res.loading && rows.length === 0 && <div class="empty tl-empty">No tasks match.</div>}
        </div>
      </div>
    </div>
  );
}

function Axis({ from, days, px, zoom }: { from: number; days: number; px: number; zoom: Zoom }) {
  const ticks = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(from + i * DAY_MS + DAY_MS / 2);
    const monday = d.getDay() === 1;
    if (zoom === "week" && !monday) continue;
    const label = zoom === "day"
      ? `${d.toLocaleDateString(undefined, { weekday: "narrow" })} ${d.getDate()}`
      : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
    ticks.push(
      <span
        key={i}
        class={`tl-tick${d.getDate() === 1 || (zoom === "day" && monday) ? " major" : ""}`}
        style={{ left: LABEL_W + i * px, width: zoom === "day" ? px : px * 7 }}
      >
        {label}
      </span>,
    );
  }
  return (
    <div class="tl-head" style={{ height: HEAD }} aria-hidden="true">
      <span class="tl-month">
        {new Date(from).toLocaleDateString(undefined, { month: "long", year: "numeric" })}
      </span>
      {ticks}
    </div>
  );
}

function Row({ r, top, x, onOpen, blocked, now }: {
  r: Span;
  top: number;
  x: (ms: number) => number;
  onOpen: (t: Task) => void;
  blocked: Set<string>;
  now: number;
}) {
  const { t } = r;
  const left = x(r.start);
  const width = Math.max(6, x(r.end) - left);
  const due = t.due_at ? t.due_at / 1e6 : 0;
  const overdue = due > 0 && due < (t.completed_at ? t.completed_at / 1e6 : now);
  const what = `${t.ref} ${t.title}: ${r.claimed ? "claimed" : "created"} ${localDateTime(r.start * 1e6)}, ${
    t.completed_at ? `done ${localDateTime(t.completed_at)}` : t.status
  }${due ? `, due ${localDateTime(t.due_at)}` : ""}`;
  return (
    <div
      class="tl-row"
      role="listitem"
      tabIndex={0}
      style={{ top, height: ROW }}
      data-ref={t.ref}
      onClick={() => onOpen(t)}
      onKeyDown={(e) => e.key === "Enter" && onOpen(t)}
    >
      <div class="tl-label" style={{ width: LABEL_W }}>
        <span class="ref mono">{t.ref}</span>
        <span class="ellipsis">{t.title}</span>
        <TaskMarks t={t} blocked={blocked.has(t.id)} now={now} />
      </div>
      <div
        class={`tl-bar st-${t.status}${r.claimed ? " claimed" : ""}`}
        style={{ left, width }}
        title={what}
        aria-label={what}
      />
      {due > 0 && (
        <span
          class={`tl-due${overdue ? " overdue" : ""}`}
          style={{ left: x(due) }}
          title={`Due ${localDateTime(t.due_at)}`}
          aria-hidden="true"
        />
      )}
    </div>
  );
}
