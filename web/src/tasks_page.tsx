// The Tasks page: header, toolbar (search, filters, sort, archived) and one of four views.
import { useEffect, useState } from "preact/hooks";
import { api, type Query } from "./api.ts";
import { useAsync, useDebounced, usePref } from "./hooks.ts";
import { useLive } from "./live.ts";
import { navigate, setQuery, useLocation } from "./router.tsx";
import {
  apiParams,
  hasFilters,
  readQuery,
  taskListCli,
  type TaskQuery,
  type View,
  VIEWS,
} from "./task_query.ts";
import { FilterBar } from "./task_filters.tsx";
import { TaskListView } from "./task_list.tsx";
import { TaskBoard } from "./task_board.tsx";
import { TaskGrid } from "./task_grid.tsx";
import { TaskTimeline } from "./task_timeline.tsx";
import { NewTaskDialog } from "./task_new.tsx";
import { ExportMenu } from "./task_export.tsx";
import { useApp, usePageChrome } from "./ui.tsx";
import type { Label, Task } from "./types.ts";
import { plural } from "./format.ts";

const VIEW_LABEL: Record<View, string> = { list: "List", board: "Board", grid: "Grid", timeline: "Timeline" };

function useLabels(project: string, projects: { alias: string; archived_at?: number }[]): string[] {
  const aliases = project
    ? [project]
    : projects.filter((p) => !p.archived_at).slice(0, 25).map((p) => p.alias);
  const key = aliases.join(",");
  const res = useAsync(async () => {
    const all = await Promise.all(
      aliases.map((a) =>
        api.get<{ labels: Label[] }>("/api/labels", { project: a }).catch(() => ({ labels: [] }))
      ),
    );
    return [...new Set(all.flatMap((r) => r.labels.map((l) => l.name)))].sort();
  }, [key]);
  useLive(["label"], res.reload);
  return res.data ?? [];
}

export function TasksPage() {
  const app = useApp();
  const loc = useLocation();
  const [savedView, saveView] = usePref<View>("taskView", "list");
  const q = readQuery(loc.query, savedView);
  const [creating, setCreating] = useState(false);
  const [total, setTotal] = useState<number | null>(null);
  const [search, setSearch] = useState(q.search);
  const debounced = useDebounced(search, 300);
  const labels = useLabels(app.project, app.projects);
  usePageChrome(taskListCli(q, app.project), () => setCreating(true));

  useEffect(() => {
    if (debounced !== q.search) setQuery({ q: debounced });
  }, [debounced]);
  // Follow the URL (back/forward, "Clear all") without clobbering what is being typed.
  useEffect(() => {
    if (q.search !== debounced) setSearch(q.search);
  }, [q.search]);

  const params = apiParams(q, app.project);
  const open = (t: Task) =>
    navigate(`/tasks/${t.ref}${loc.query.get("project") ? `?project=${app.project}` : ""}`);
  const setView = (v: View) => {
    saveView(v);
    setQuery({ view: v === "list" ? undefined : v }, false);
  };
  const subtitle = total === null
    ? "Loading…"
    : q.archived
    ? plural(total, "archived task")
    : hasFilters(q)
    ? `${plural(total, "result")}`
    : plural(total, "task");

  return (
    <section class="page tasks-page">
      <header class="page-head">
        <div>
          <h1>Tasks</h1>
          <p class="subtitle" data-testid="task-count">{subtitle}</p>
        </div>
        <div class="head-actions">
          <div class="segmented" role="tablist" aria-label="View">
            {VIEWS.map((v) => (
              <button
                type="button"
                role="tab"
                key={v}
                aria-selected={q.view === v}
                class={q.view === v ? "on" : ""}
                onClick={() => setView(v)}
              >
                {VIEW_LABEL[v]}
              </button>
            ))}
          </div>
          <ExportMenu params={params} scope={app.project || "all"} />
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New task <kbd>N</kbd>
          </button>
        </div>
      </header>
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search tasks…"
          aria-label="Search tasks"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <FilterBar q={q} labels={labels} />
      </div>
      <TaskView q={q} params={params} showProject={!app.project} onOpen={open} onTotal={setTotal} />
      {creating && <NewTaskDialog onClose={() => setCreating(false)} />}
    </section>
  );
}

function TaskView(props: {
  q: TaskQuery;
  params: Query;
  showProject: boolean;
  onOpen: (t: Task) => void;
  onTotal: (n: number) => void;
}) {
  const p = props.params;
  switch (props.q.view) {
    case "board":
      return (
        <TaskBoard params={p} showProject={props.showProject} onOpen={props.onOpen} onTotal={props.onTotal} />
      );
    case "grid":
      return (
        <TaskGrid params={p} showProject={props.showProject} onOpen={props.onOpen} onTotal={props.onTotal} />
      );
    case "timeline":
      return <TaskTimeline params={p} onOpen={props.onOpen} onTotal={props.onTotal} />;
    default:
      return (
        <TaskListView
          params={p}
          showProject={props.showProject}
          onOpen={props.onOpen}
          onTotal={props.onTotal}
          sort={props.q.sort}
          order={props.q.order}
        />
      );
  }
}
