// List view: a windowed list over the server's pages, so 10,000 tasks cost one page at a time.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Query } from "./api.ts";
import { useLive } from "./live.ts";
import { setQuery } from "./router.tsx";
import { LabelPills, PriorityBadge, StatusBadge, TypeBadge, useApp, useFail } from "./ui.tsx";
import { labelNames } from "../../src/domain/models.ts";
import type { Task, TaskList } from "./types.ts";
import { relTime } from "./format.ts";
import { useNow } from "./cockpit.ts";
import { TaskMarks, useBlockedIds } from "./cockpit_ui.tsx";

export const ROW_HEIGHT = 44;
const PAGE = 100;
const OVERSCAN = 12;
/** The rows a fresh list shows before its first scroll event: one screenful and a few more. */
const firstRange = (): [number, number] => [0, Math.ceil(innerHeight / ROW_HEIGHT) + 4];

interface Props {
  params: Query;
  showProject: boolean;
  onOpen: (t: Task) => void;
  onTotal: (n: number) => void;
  sort: string;
  order: string;
}

/** Keeps the pages of one query and fetches the ones the viewport needs. */
function usePagedTasks(params: Query, onTotal: (n: number) => void) {
  const fail = useFail();
  const [total, setTotal] = useState<number | null>(null);
  const [, redraw] = useState(0);
  const pages = useRef(new Map<number, Task[]>());
  const inflight = useRef(new Set<number>());
  const gen = useRef(0);
  const key = JSON.stringify(params);

  const load = (p: number) => {
    const g = gen.current;
    if (inflight.current.has(p)) return;
    inflight.current.add(p);
    api.get<TaskList>("/api/tasks", { ...params, limit: PAGE, offset: p * PAGE }).then((r) => {
      if (g !== gen.current) return;
      inflight.current.delete(p);
      pages.current.set(p, r.tasks);
      setTotal(r.page.total);
      onTotal(r.page.total);
      redraw((x) => x + 1);
    }, (e) => {
      if (g === gen.current) inflight.current.delete(p), fail(e);
    });
  };
  /** Drops everything but `keep` (shown stale until the refetch lands) and refetches `keep`. */
  const refresh = (keep: number[]) => {
    gen.current++;
    inflight.current.clear();
    const old = pages.current;
    pages.current = new Map(keep.filter((p) => old.has(p)).map((p) => [p, old.get(p)!]));
    keep.forEach(load);
  };
  // A new query starts its first page during render, not after the first paint: it is the
  // critical request of the Tasks page.
  const shown = useRef<string | null>(null);
  if (shown.current !== key) {
    shown.current = key;
    pages.current = new Map();
    refresh([0]);
  }
  return { total, pages, load, refresh, key };
}

export function TaskListView({ params, showProject, onOpen, onTotal, sort, order }: Props) {
  const { total, pages, load, refresh, key } = usePagedTasks(params, onTotal);
  const scroller = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<[number, number]>(firstRange);
  const blocked = useBlockedIds(params);
  const now = useNow(30_000);
  const pagesInRange = () => {
    const out: number[] = [];
    for (let p = Math.floor(range[0] / PAGE); p <= Math.floor(range[1] / PAGE); p++) out.push(p);
    return out;
  };

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setRange(firstRange());
  }, [key]);
  useEffect(() => {
    if (total === null) return;
    for (const p of pagesInRange()) if (p * PAGE < total && !pages.current.has(p)) load(p);
  }, [range[0], range[1], total]);
  useLive(["task", "label", "comment", "plan", "project"], () => refresh(pagesInRange()));

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const first = Math.floor(el.scrollTop / ROW_HEIGHT);
    const count = Math.ceil(el.clientHeight / ROW_HEIGHT);
    const next: [number, number] = [Math.max(0, first - OVERSCAN), first + count + OVERSCAN];
    if (next[0] !== range[0] || next[1] !== range[1]) setRange(next);
  };
  const head = (label: string, k: string) => (
    <button
      type="button"
      class={`th sortable${sort === k ? " sorted" : ""}`}
      onClick={() => setQuery({ sort: k, order: sort === k && order !== "desc" ? "desc" : "asc" })}
    >
      {label}
      {sort === k ? (order === "desc" ? " ↓" : " ↑") : ""}
    </button>
  );
  const cols = showProject ? "task-row with-project" : "task-row";
  const n = total ?? 0;
  const rows = [];
  // Busy while a row in view or the blocked marks have yet to arrive: the rows can come first.
  let busy = total === null || blocked.loading;
  for (let i = range[0]; i < Math.min(range[1], n); i++) {
    const t = pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
    if (!t) busy = true;
    rows.push(
      t
        ? (
          <Row
            key={t.id}
            t={t}
            top={i * ROW_HEIGHT}
            cls={cols}
            showProject={showProject}
            onOpen={onOpen}
            blocked={blocked.ids.has(t.id)}
            now={now}
          />
        )
        : (
          <div key={`s${i}`} class={`${cols} skeleton`} style={{ top: i * ROW_HEIGHT }}>
            <span class="bar" />
          </div>
        ),
    );
  }
  return (
    <div class="list-view" role="table" aria-label="Tasks" aria-rowcount={n} aria-busy={busy}>
      <div class={`${cols} list-head`} role="row">
        {head("Ref", "seq")}
        {head("Title", "title")}
        <span class="th">Status</span>
        {head("Priority", "")}
        <span class="th">Type</span>
        {showProject && <span class="th">Project</span>}
        {head("Updated", "updated")}
      </div>
      <div class="list-scroll" ref={scroller} onScroll={onScroll}>
        {total === 0 ? <Empty /> : (
          <div class="list-body" style={{ height: n * ROW_HEIGHT }}>
            {rows}
          </div>
        )}
      </div>
    </div>
  );
}

function Empty() {
  const { project } = useApp();
  return (
    <div class="empty">
      No tasks match{project ? ` in ${project}` : ""}. Press <kbd>N</kbd> to add one.
    </div>
  );
}

function Row({ t, top, cls, showProject, onOpen, blocked, now }: {
  t: Task;
  blocked: boolean;
  now: number;
  top: number;
  cls: string;
  showProject: boolean;
  onOpen: (t: Task) => void;
}) {
  return (
    <div
      class={`${cls}${t.archived_at ? " archived" : ""}`}
      role="row"
      style={{ top }}
      data-ref={t.ref}
      onClick={() => onOpen(t)}
    >
      <span class="ref mono">{t.ref}</span>
      <span class="title-cell">
        <a
          href={`/tasks/${t.ref}`}
          class="title-link"
          onClick={(e) => (e.preventDefault(), e.stopPropagation(), onOpen(t))}
        >
          {t.title}
        </a>
        <LabelPills labels={labelNames(t)} />
        <TaskMarks t={t} blocked={blocked} now={now} />
        {t.archived_at && <Restore t={t} />}
      </span>
      <span>
        <StatusBadge s={t.status} />
      </span>
      <span>
        <PriorityBadge p={t.priority} />
      </span>
      <span>
        <TypeBadge t={t.type} />
      </span>
      {showProject && <span class="muted ellipsis">{t.project?.alias ?? ""}</span>}
      <span class="muted small" title={new Date(t.updated_at / 1e6).toLocaleString()}>
        {relTime(t.updated_at)}
      </span>
    </div>
  );
}

function Restore({ t }: { t: Task }) {
  const { toast } = useApp();
  const fail = useFail();
  const restore = (e: Event) => {
    e.stopPropagation();
    api.patch(`/api/tasks/${t.ref}/unarchive`).then(() => toast(`${t.ref} restored`), fail);
  };
  return (
    <>
      <span class="badge">Archived</span>
      <button type="button" class="small ghost" onClick={restore}>Restore</button>
    </>
  );
}
