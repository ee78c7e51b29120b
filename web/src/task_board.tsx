// Board view: one column per status, priority, type or assignee; drag a card or use its buttons to move it.
import { useState } from "preact/hooks";
import { TASK_STATUSES, TASK_TYPES } from "../../src/domain/enums.ts";
import { api, type Query } from "./api.ts";
import { useAsync, usePref } from "./hooks.ts";
import { patchTask } from "./task_write.ts";
import { useLive } from "./live.ts";
import { LabelPills, PriorityBadge, TypeBadge, useApp, useFail } from "./ui.tsx";
import { labelNames } from "../../src/domain/models.ts";
import type { Task, TaskList } from "./types.ts";
import { priorityName } from "./format.ts";
import { useNow } from "./cockpit.ts";
import { isHeld, loadBlockedIds, TaskMarks } from "./cockpit_ui.tsx";

type GroupBy = "status" | "priority" | "type" | "assignee";
interface Column {
  key: string;
  title: string;
  tasks: Task[];
  total: number;
}

const STEP = 50;
const ASSIGNEE_SCAN = 500;

async function loadColumns(
  by: GroupBy,
  params: Query,
  limit: number,
): Promise<{ cols: Column[]; note: string }> {
  if (by === "assignee") {
    const r = await api.get<TaskList>("/api/tasks", { ...params, limit: ASSIGNEE_SCAN });
    const groups = new Map<string, Task[]>();
    for (const t of r.tasks) groups.set(t.assignee ?? "", [...(groups.get(t.assignee ?? "") ?? []), t]);
    const keys = [...groups.keys()].filter((k) => k).sort();
    if (groups.has("")) keys.push("");
    const cols = keys.map((k) => {
      const tasks = groups.get(k)!;
      return { key: k, title: k || "Unassigned", tasks: tasks.slice(0, limit), total: tasks.length };
    });
    const note = r.page.total > r.tasks.length
      ? `Grouping the first ${r.tasks.length} of ${r.page.total} tasks`
      : "";
    return { cols, note };
  }
  const selected = (params[by] as string[] | undefined) ?? [];
  const all: [string, string][] = by === "status"
    ? TASK_STATUSES.map((s) => [s, s[0].toUpperCase() + s.slice(1)])
    : by === "priority"
    ? [1, 2, 3, 4, 5].map((p) => [String(p), priorityName(p)])
    : TASK_TYPES.map((t) => [t, t]);
  const keys = selected.length ? all.filter(([k]) => selected.includes(k)) : all;
  const cols = await Promise.all(keys.map(async ([key, title]) => {
    const r = await api.get<TaskList>("/api/tasks", { ...params, [by]: [key], limit });
    return { key, title, tasks: r.tasks, total: r.page.total };
  }));
  return { cols: by === "type" ? cols.filter((c) => c.total > 0) : cols, note: "" };
}

function moveBody(by: GroupBy, key: string): [string, Record<string, unknown>] {
  if (by === "status") return ["/status", { status: key }];
  if (by === "priority") return ["", { priority: Number(key) }];
  return ["", { [by]: key }];
}

export function TaskBoard({ params, showProject, onOpen, onTotal }: {
  params: Query;
  showProject: boolean;
  onOpen: (t: Task) => void;
  onTotal: (n: number) => void;
}) {
  const { toast } = useApp();
  const fail = useFail();
  const [by, setBy] = usePref<GroupBy>("kanbanGroupBy", "status");
  const [limit, setLimit] = useState(STEP);
  const [dragOver, setDragOver] = useState("");
  // Cards and their blocked marks in one load: a card never shows without the marks it has.
  const res = useAsync(async () => {
    const [out, blocked] = await Promise.all([
      loadColumns(by, params, limit),
      loadBlockedIds(params).catch(() => new Set<string>()),
    ]);
    onTotal(out.cols.reduce((n, c) => n + c.total, 0));
    return { ...out, blocked };
  }, [by, JSON.stringify(params), limit]);
  useLive(["task", "label", "project"], res.reload);
  const cols = res.data?.cols ?? [];
  const blocked = res.data?.blocked ?? new Set<string>();
  const now = useNow(30_000);

  const move = async (t: Task, key: string) => {
    const [suffix, body] = moveBody(by, key);
    try {
      await patchTask(t, suffix, body);
      toast(`${t.ref} moved to ${cols.find((c) => c.key === key)?.title ?? key}`);
      res.reload();
    } catch (e) {
      fail(e);
      res.reload();
    }
  };
  const onDrop = (e: DragEvent, key: string) => {
    e.preventDefault();
    setDragOver("");
    const id = e.dataTransfer?.getData("text/x-task");
    const t = cols.flatMap((c) => c.tasks).find((x) => x.id === id);
    if (t && current(t, by) !== key) move(t, key);
  };
  return (
    <div class="board-wrap">
      <div class="board-bar">
        <label class="inline">
          <span class="muted small">Group by</span>
          <select aria-label="Group by" value={by} onChange={(e) => setBy(e.currentTarget.value as GroupBy)}>
            <option value="status">Status</option>
            <option value="priority">Priority</option>
            <option value="type">Type</option>
            <option value="assignee">Assignee</option>
          </select>
        </label>
        {res.data?.note && <span class="muted small">{res.data.note}</span>}
      </div>
      <div class="board" data-group={by} aria-busy={res.loading}>
        {cols.map((c) => (
          <section
            key={c.key}
            class={`column${dragOver === c.key ? " drop" : ""}`}
            data-column={c.key}
            aria-label={c.title}
            onDragOver={(e) => (e.preventDefault(), setDragOver(c.key))}
            onDragLeave={() => setDragOver("")}
            onDrop={(e) => onDrop(e, c.key)}
          >
            <header>
              <span class="col-title">{c.title}</span>
              <span class="count">{c.total}</span>
            </header>
            <div class="cards">
              {c.tasks.map((t) => (
                <Card
                  key={t.id}
                  t={t}
                  by={by}
                  cols={cols}
                  showProject={showProject}
                  onOpen={onOpen}
                  onMove={move}
                  blocked={blocked.has(t.id)}
                  now={now}
                />
              ))}
              {c.tasks.length === 0 && <div class="muted small col-empty">Nothing here</div>}
              {c.total > c.tasks.length && (
                <button
                  type="button"
                  class="ghost small more"
                  onClick={() => setLimit(limit + STEP)}
                >
                  Show more ({c.total - c.tasks.length} more)
                </button>
              )}
            </div>
          </section>
        ))}
        {!res.loading && cols.length === 0 && <div class="empty">No tasks match.</div>}
      </div>
    </div>
  );
}

const current = (t: Task, by: GroupBy) =>
  by === "status"
    ? t.status
    : by === "priority"
    ? String(t.priority)
    : by === "type"
    ? t.type
    : t.assignee ?? "";

function Card({ t, by, cols, showProject, onOpen, onMove, blocked, now }: {
  t: Task;
  blocked: boolean;
  now: number;
  by: GroupBy;
  cols: Column[];
  showProject: boolean;
  onOpen: (t: Task) => void;
  onMove: (t: Task, key: string) => void;
}) {
  const here = current(t, by);
  const others = cols.filter((c) => c.key !== here);
  return (
    <article
      class="card"
      draggable
      data-ref={t.ref}
      onDragStart={(e) => {
        e.dataTransfer?.setData("text/x-task", t.id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
      }}
    >
      <div class="card-top">
        <span class="ref mono">{t.ref}</span>
        <PriorityBadge p={t.priority} />
      </div>
      <a
        href={`/tasks/${t.ref}`}
        class="card-title"
        onClick={(e) => (e.preventDefault(), onOpen(t))}
      >
        {t.title}
      </a>
      <div class="card-meta">
        <TypeBadge t={t.type} />
        {showProject && <span class="muted small">{t.project?.alias}</span>}
        {t.assignee && by !== "assignee" && !isHeld(t, now) && <span class="muted small">@{t.assignee}</span>}
        <LabelPills labels={labelNames(t)} />
        <TaskMarks t={t} blocked={blocked} now={now} />
      </div>
      {others.length > 0 && others.length <= 5 && (
        <div class="card-moves" aria-label="Move to">
          {others.map((c) => (
            <button
              type="button"
              key={c.key}
              class="ghost tiny"
              onClick={() => onMove(t, c.key)}
            >
              → {by === "priority" ? `P${c.key}` : c.title}
            </button>
          ))}
        </div>
      )}
      {others.length > 5 && (
        <select
          class="tiny"
          aria-label="Move to"
          value=""
          onChange={(e) => e.currentTarget.value && onMove(t, e.currentTarget.value)}
        >
          <option value="">Move to…</option>
          {others.map((c) => <option key={c.key} value={c.key}>{c.title}</option>)}
        </select>
      )}
    </article>
  );
}
