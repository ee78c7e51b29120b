// Grid view: a page of tasks as an editable table; every change saves at once (with the row's version).
import { useState } from "preact/hooks";
import { TASK_STATUSES, TASK_TYPES } from "../../src/domain/enums.ts";
import { api, ApiError, type Query } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { patchTask } from "./task_write.ts";
import { useLive } from "./live.ts";
import { useApp, useFail } from "./ui.tsx";
import type { Task, TaskList } from "./types.ts";
import { priorityName } from "./format.ts";

const PAGE = 50;

export function TaskGrid({ params, showProject, onOpen, onTotal }: {
  params: Query;
  showProject: boolean;
  onOpen: (t: Task) => void;
  onTotal: (n: number) => void;
}) {
  const key = JSON.stringify(params);
  const [pos, setPos] = useState({ key, offset: 0 });
  const offset = pos.key === key ? pos.offset : 0;
  const setOffset = (n: number) => setPos({ key, offset: n });
  const res = useAsync(async () => {
    const r = await api.get<TaskList>("/api/tasks", { ...params, limit: PAGE, offset });
    onTotal(r.page.total);
    return r;
  }, [key, offset]);
  useLive(["task", "label"], res.reload);
  const tasks = res.data?.tasks ?? [];
  const total = res.data?.page.total ?? 0;
  const replace = (t: Task) =>
    res.data &&
    res.set({ ...res.data, tasks: tasks.map((x) => (x.id === t.id ? { ...x, ...t, labels: x.labels } : x)) });

  return (
    <div class="grid-view">
      <div class="table-scroll">
        <table class="table grid">
          <thead>
            <tr>
              <th class="w-ref">Ref</th>
              <th>Title</th>
              <th class="w-sel">Status</th>
              <th class="w-sel">Priority</th>
              <th class="w-type">Type</th>
              <th class="w-assignee">Assignee</th>
              {showProject && <th class="w-proj">Project</th>}
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <GridRow
                key={`${t.id}:${t.version}`}
                t={t}
                showProject={showProject}
                onOpen={onOpen}
                onSaved={replace}
                reload={res.reload}
              />
            ))}
          </tbody>
        </table>
        {!res.loading && tasks.length === 0 && <div class="empty">No tasks match.</div>}
      </div>
      <div class="pager">
        <span class="muted small">
          {total ? `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total.toLocaleString()}` : ""}
        </span>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ← Prev
        </button>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Next →
        </button>
      </div>
    </div>
  );
}

function GridRow({ t, showProject, onOpen, onSaved, reload }: {
  t: Task;
  showProject: boolean;
  onOpen: (t: Task) => void;
  onSaved: (t: Task) => void;
  reload: () => void;
}) {
  const { toast } = useApp();
  const fail = useFail();
  const save = async (field: string, value: unknown) => {
    try {
      onSaved(await patchTask(t, field === "status" ? "/status" : "", { [field]: value }));
      toast(`${t.ref} saved`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) toast(`${t.ref} changed elsewhere; reloaded`, "error");
      else fail(e);
      reload();
    }
  };
  const text = (field: "title" | "assignee", label: string) => (
    <input
      class="cell-input"
      aria-label={`${label} of ${t.ref}`}
      defaultValue={t[field] ?? ""}
      onKeyDown={(e) => {
        const el = e.currentTarget;
        if (e.key === "Enter") el.blur();
        if (e.key === "Escape") (el.value = t[field] ?? "", el.blur());
      }}
      onBlur={(e) => {
        const v = e.currentTarget.value.trim();
        if (v !== (t[field] ?? "")) {
          if (field === "title" && !v) {return (e.currentTarget.value = t.title,
              toast("title is required", "error"));}
          save(field, v);
        }
      }}
    />
  );
  return (
    <tr data-ref={t.ref}>
      <td>
        <a href={`/tasks/${t.ref}`} class="ref mono" onClick={(e) => (e.preventDefault(), onOpen(t))}>
          {t.ref}
        </a>
      </td>
      <td>{text("title", "Title")}</td>
      <td>
        <select
          aria-label={`Status of ${t.ref}`}
          value={t.status}
          onChange={(e) => save("status", e.currentTarget.value)}
        >
          {TASK_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </td>
      <td>
        <select
          aria-label={`Priority of ${t.ref}`}
          value={String(t.priority)}
          onChange={(e) => save("priority", Number(e.currentTarget.value))}
        >
          {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>{priorityName(p)}</option>)}
        </select>
      </td>
      <td>
        <select
          aria-label={`Type of ${t.ref}`}
          value={t.type}
          onChange={(e) => save("type", e.currentTarget.value)}
        >
          {TASK_TYPES.map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
      </td>
      <td>{text("assignee", "Assignee")}</td>
      {showProject && <td class="muted">{t.project?.alias}</td>}
    </tr>
  );
}
