// Entry: the shell (sidebar, page, CLI bar), routing, theme, live connection, `n` hotkey.
import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api.ts";
import { isTyping, useAsync, usePref } from "./hooks.ts";
import { LiveBus, LiveContext, type LiveState, useLive } from "./live.ts";
import { Link, setQuery, useLocation, withProject } from "./router.tsx";
import { App, type AppCtx, Modal, type ToastMsg, Toasts } from "./ui.tsx";
import type { Project } from "./types.ts";
import { TasksPage } from "./tasks_page.tsx";
import { TaskDetail } from "./task_detail.tsx";
import { DocsPage } from "./docs_page.tsx";
import { PlansPage } from "./plans_page.tsx";
import { MemoryPage } from "./memory_page.tsx";
import { AttachmentsPage } from "./attachments_page.tsx";
import { ProjectsPage } from "./projects_page.tsx";
import { ActivityPage } from "./activity_page.tsx";
import { CliBar } from "./cli_bar.tsx";
import { AgentsPage } from "./agents_page.tsx";
import { ReportsPage } from "./reports_page.tsx";

type Theme = "system" | "light" | "dark";
const NAV: [string, string, string][] = [
  ["Workspace", "/tasks", "Tasks"],
  ["Workspace", "/agents", "Agents"],
  ["Workspace", "/docs", "Docs"],
  ["Workspace", "/plans", "Plans"],
  ["Workspace", "/memory", "Memory"],
  ["Workspace", "/attachments", "Attachments"],
  ["More", "/projects", "Projects"],
  ["More", "/activity", "Activity"],
  ["More", "/reports", "Reports"],
];

function Page({ path }: { path: string }) {
  const [, top, rest] = /^\/([^/]*)\/?(.*)$/.exec(path) ?? [];
  if (top === "tasks" && rest) return <TaskDetail key={rest} taskRef={decodeURIComponent(rest)} />;
  if (top === "docs") return <DocsPage docId={rest ? decodeURIComponent(rest) : ""} />;
  // Only tasks and docs have pages under them: `/projects/nope` is no page, not the project list.
  if (rest) return <NotFound path={path} />;
  if (top === "plans") return <PlansPage />;
  if (top === "memory") return <MemoryPage />;
  if (top === "attachments") return <AttachmentsPage />;
  if (top === "projects") return <ProjectsPage />;
  if (top === "activity") return <ActivityPage />;
  if (top === "agents") return <AgentsPage />;
  if (top === "reports") return <ReportsPage />;
  if (top === "" || top === "tasks") return <TasksPage />;
  return <NotFound path={path} />;
}

function NotFound({ path }: { path: string }) {
  return (
    <section class="page not-found">
      <header class="page-head">
        <div>
          <h1>Page not found</h1>
          <p class="subtitle">
            There is no page at <code>{path}</code>.
          </p>
        </div>
      </header>
      <Link href="/tasks" class="button">Go to the task list</Link>
    </section>
  );
}

function Sidebar({ ctx, path, live, theme, setTheme }: {
  ctx: AppCtx;
  path: string;
  live: LiveState;
  theme: Theme;
  setTheme: (t: Theme) => void;
}) {
  const section = "/" + (path.split("/")[1] || "tasks");
  const visible = ctx.projects.filter((p) => !p.archived_at || p.alias === ctx.project);
  const next: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
  return (
    <nav class="sidebar" aria-label="Main">
      <div class="brand">
        <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
          <rect x="2" y="3" width="16" height="3.2" rx="1.6" fill="currentColor" opacity=".9" />
          <rect x="2" y="8.4" width="11" height="3.2" rx="1.6" fill="currentColor" opacity=".6" />
          <rect x="2" y="13.8" width="7" height="3.2" rx="1.6" fill="currentColor" opacity=".35" />
        </svg>
        <span>Backlog</span>
      </div>
      <label class="project-select">
        <span class="sr-only">Project</span>
        <select
          value={ctx.project}
          onChange={(e) => ctx.setProject(e.currentTarget.value)}
          aria-label="Project"
        >
          <option value="">All projects</option>
          {visible.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
        </select>
      </label>
      {["Workspace", "More"].map((group) => (
        <div class="nav-group" key={group}>
          <div class="nav-title">{group}</div>
          {NAV.filter((n) => n[0] === group).map(([, href, label]) => (
            <Link key={href} href={withProject(href, ctx.project)} class={section === href ? "active" : ""}>
              {label}
            </Link>
          ))}
        </div>
      ))}
      <div class="sidebar-foot">
        <span class={`live ${live}`} title={`Live updates: ${live}`}>
          <i class="dot" />
          {live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Offline"}
        </span>
        <button
          type="button"
          class="ghost small"
          title="Theme: system, light or dark"
          onClick={() => setTheme(next[theme])}
        >
          {theme === "system" ? "◐ Auto" : theme === "light" ? "☀ Light" : "☾ Dark"}
        </button>
      </div>
    </nav>
  );
}

function Shell() {
  const loc = useLocation();
  const [live, setLive] = useState<LiveState>("connecting");
  const [theme, setTheme] = usePref<Theme>("theme", "system");
  const [stored, setStored] = usePref<string>("project", "");
  const [toasts, setToasts] = useState<ToastMsg[]>([]);
  const [cli, setCli] = useState("");
  const [ask, setAsk] = useState<{ text: string; ok: string; done: (v: boolean) => void } | null>(null);
  const newAction = useRef<(() => void) | null>(null);
  const projects = useAsync(
    () => api.get<{ projects: Project[] }>("/api/projects", { include_archived: true }),
    [],
  );
  const project = loc.query.get("project") ?? stored;

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const top = loc.path.split("/")[1];
    const name = top ? NAV.find(([, href]) => href === `/${top}`)?.[2] ?? "Not found" : "Tasks";
    document.title = `${name} · Backlog`;
  }, [loc.path]);
  useEffect(() => {
    setLive(bus.state);
    return bus.onState(setLive);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "n" || e.ctrlKey || e.metaKey || e.altKey || isTyping(document.activeElement)) return;
      if (document.querySelector(".backdrop") || !newAction.current) return;
      e.preventDefault();
      newAction.current();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const toast = useCallback((text: string, kind: "ok" | "error" = "ok") => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t, { id, text, kind }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 3500);
  }, []);
  const ctx: AppCtx = {
    projects: projects.data?.projects ?? [],
    project,
    setProject: (alias) => {
      setStored(alias);
      setQuery({ project: alias || undefined }, false);
    },
    reloadProjects: projects.reload,
    toast,
    confirm: (text, ok = "Delete") => new Promise((done) => setAsk({ text, ok, done })),
    setCli,
    setNewAction: (fn) => (newAction.current = fn),
  };
  return (
    <LiveContext.Provider value={bus}>
      <App.Provider value={ctx}>
        <ProjectsLive reload={projects.reload} />
        <div class="layout">
          <Sidebar ctx={ctx} path={loc.path} live={live} theme={theme} setTheme={setTheme} />
          <main class="content">
            <Page path={loc.path} />
          </main>
          <CliBar cmd={cli} />
        </div>
        <Toasts items={toasts} />
        {ask && (
          <Modal
            title="Are you sure?"
            saveLabel={ask.ok}
            danger
            onClose={() => (ask.done(false), setAsk(null))}
            onSave={() => (ask.done(true), setAsk(null))}
          >
            <p>{ask.text}</p>
          </Modal>
        )}
      </App.Provider>
    </LiveContext.Provider>
  );
}

function ProjectsLive({ reload }: { reload: () => void }) {
  useLive(["project"], reload);
  return null;
}

try {
  document.documentElement.dataset.theme = localStorage.getItem("backlog.theme") ?? "system";
} catch {
  // storage disabled: follow the system theme
}
// The live stream opens before anything renders: every page reads its data after it is subscribed.
const bus = new LiveBus();
bus.connect();
render(<Shell />, document.getElementById("app")!);
