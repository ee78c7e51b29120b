// Projects: table with labels; new project, new label, archive, unarchive, delete (archived only).
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { navigate } from "./router.tsx";
import { Field, LabelPills, Modal, useApp, useFail, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import { plural } from "./format.ts";
import type { Label, Project } from "./types.ts";
import { ImportDialog } from "./import_dialog.tsx";

export function ProjectsPage() {
  const app = useApp();
  const fail = useFail();
  const [showArchived, setShowArchived] = useState(false);
  const [search, setSearch] = useState("");
  const [dialog, setDialog] = useState<"" | "project" | "label" | "import">("");
  const aliases = app.projects.map((p) => p.alias).join(",");
  const labels = useAsync(async () => {
    const out: Record<string, string[]> = {};
    await Promise.all(
      app.projects.slice(0, 50).map(async (p) => {
        const r = await api.get<{ labels: Label[] }>("/api/labels", { project: p.alias }).catch(() => ({
          labels: [],
        }));
        out[p.alias] = r.labels.map((l) => l.name);
      }),
    );
    return out;
  }, [aliases]);
  useLive(["label"], labels.reload);
  usePageChrome(
    cliCommand("project list", [["include-archived", showArchived], ["json", true]]),
    () => setDialog("project"),
  );
  const s = search.trim().toLowerCase();
  const rows = app.projects.filter((p) =>
    (showArchived || !p.archived_at) &&
    (!s || [p.alias, p.name, p.description].some((x) => (x ?? "").toLowerCase().includes(s)))
  );
  const act = async (p: Project, what: "archive" | "unarchive" | "delete") => {
    const q = what === "archive"
      ? `Archive project "${p.alias}"? Its tasks stay readable.`
      : what === "delete"
      ? `Delete archived project "${p.alias}"? This cannot be undone.`
      : "";
    if (q && !(await app.confirm(q, what === "archive" ? "Archive" : "Delete"))) return;
    try {
      if (what === "delete") await api.del(`/api/projects/${seg(p.alias)}`);
      else await api.patch(`/api/projects/${seg(p.alias)}/${what}`);
      app.toast(`Project ${p.alias} ${what === "delete" ? "deleted" : what + "d"}`);
      if (what === "delete" && app.project === p.alias) app.setProject("");
      app.reloadProjects();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <section class="page">
      <header class="page-head">
        <div>
          <h1>Projects</h1>
          <p class="subtitle">{plural(rows.length, "project")}</p>
        </div>
        <div class="head-actions">
          <input
            type="search"
            placeholder="Search projects…"
            aria-label="Search projects"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button
            type="button"
            class={showArchived ? "on" : ""}
            aria-pressed={showArchived}
            onClick={() => setShowArchived(!showArchived)}
          >
            Show archived
          </button>
          <button type="button" onClick={() => setDialog("import")}>Import…</button>
          <button type="button" onClick={() => setDialog("label")}>New label</button>
          <button type="button" class="primary" onClick={() => setDialog("project")}>
            New project <kbd>N</kbd>
          </button>
        </div>
      </header>
      <div class="table-scroll">
        <table class="table clickable">
          <thead>
            <tr>
              <th>Alias</th>
              <th>Name</th>
              <th>Description</th>
              <th>Labels</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr
                key={p.id}
                class={p.archived_at ? "archived" : ""}
                onClick={() => (app.setProject(p.alias),
                  navigate(`/tasks?project=${encodeURIComponent(p.alias)}`))}
              >
                <td class="mono">{p.alias}</td>
                <td>{p.name} {p.archived_at && <span class="badge">Archived</span>}</td>
                <td class="muted">{p.description}</td>
                <td>
                  <LabelPills labels={labels.data?.[p.alias]} />
                </td>
                <td class="row-actions" onClick={(e) => e.stopPropagation()}>
                  {p.archived_at
                    ? (
                      <>
                        <button type="button" class="ghost small" onClick={() => act(p, "unarchive")}>
                          Unarchive
                        </button>
                        <button
                          type="button"
                          class="ghost small danger-text"
                          onClick={() => act(p, "delete")}
                        >
                          Delete
                        </button>
                      </>
                    )
                    : (
                      <button type="button" class="ghost small" onClick={() => act(p, "archive")}>
                        Archive
                      </button>
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && (
          <div class="empty">
            No projects yet. Press <kbd>N</kbd> to create one.
          </div>
        )}
      </div>
      {dialog === "project" && <NewProjectDialog onClose={() => setDialog("")} />}
      {dialog === "import" && <ImportDialog onClose={() => setDialog("")} />}
      {dialog === "label" && <NewLabelDialog onClose={() => setDialog("")} onDone={labels.reload} />}
    </section>
  );
}

function NewProjectDialog({ onClose }: { onClose: () => void }) {
  const app = useApp();
  const fail = useFail();
  const [f, setF] = useState({ alias: "", name: "", description: "", repo_path: "" });
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  const save = async () => {
    if (!f.alias.trim()) return app.toast("alias is required", "error");
    try {
      const p = await api.post<Project>("/api/projects", {
        ...f,
        alias: f.alias.trim(),
        name: f.name.trim() || f.alias.trim(),
      });
      app.toast(`Project ${p.alias} created`);
      app.reloadProjects();
      onClose();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Modal title="New project" onClose={onClose} onSave={save} saveLabel="Create">
      <div class="form">
        <div class="row2">
          <Field label="Alias" hint="Short, lowercase: api, web, ops">
            <input name="alias" value={f.alias} onInput={set("alias")} data-autofocus autoComplete="off" />
          </Field>
          <Field label="Name">
            <input name="name" value={f.name} onInput={set("name")} />
          </Field>
        </div>
        <Field label="Description">
          <input name="description" value={f.description} onInput={set("description")} />
        </Field>
        <Field label="Repository path">
          <input
            name="repo_path"
            value={f.repo_path}
            onInput={set("repo_path")}
            placeholder="/path/to/repo"
          />
        </Field>
      </div>
    </Modal>
  );
}

function NewLabelDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const app = useApp();
  const fail = useFail();
  const open = app.projects.filter((p) => !p.archived_at);
  const [project, setProject] = useState(app.project || open[0]?.alias || "");
  const [name, setName] = useState("");
  const [color, setColor] = useState("#6940a5");
  const save = async () => {
    if (!name.trim()) return app.toast("name is required", "error");
    try {
      await api.post("/api/labels", { project, name: name.trim(), color });
      app.toast(`Label ${name.trim()} ready`);
      onDone();
      onClose();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Modal title="New label" onClose={onClose} onSave={save} saveLabel="Create">
      <div class="form">
        <Field label="Project">
          <select name="project" value={project} onChange={(e) => setProject(e.currentTarget.value)}>
            {open.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
          </select>
        </Field>
        <div class="row2">
          <Field label="Name">
            <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} data-autofocus />
          </Field>
          <Field label="Color">
            <input type="color" name="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
          </Field>
        </div>
      </div>
    </Modal>
  );
}
