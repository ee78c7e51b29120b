// The New Task dialog (`n` on the Tasks page): Ctrl+Enter saves, Escape closes.
import { useState } from "preact/hooks";
import { TASK_STATUSES, TASK_TYPES } from "../../src/domain/enums.ts";
import { api } from "./api.ts";
import { Link } from "./router.tsx";
import { MarkdownEditor } from "./editor.tsx";
import { Field, Modal, useApp, useFail } from "./ui.tsx";
import type { Task } from "./types.ts";
import { priorityName } from "./format.ts";

export function NewTaskDialog(
  { onClose, onCreated }: { onClose: () => void; onCreated?: (t: Task) => void },
) {
  const app = useApp();
  const fail = useFail();
  const open = app.projects.filter((p) => !p.archived_at);
  const [f, setF] = useState({
    // The selected project; under "All projects" the dialog asks instead of guessing one.
    project: open.some((p) => p.alias === app.project) ? app.project : "",
    title: "",
    description: "",
    type: "task",
    priority: "3",
    status: "todo",
    assignee: "",
    due_date: "",
    labels: "",
    project_path: "",
    source: "",
    external_ref: "",
  });
  const [err, setErr] = useState("");
  const [busy, setBusy] = useState(false);
  const [more, setMore] = useState(false);
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });

  const save = async () => {
    if (!f.title.trim()) return setErr("Title is required");
    if (!f.project) return setErr("Choose a project for this task");
    setBusy(true);
    try {
      const t = await api.post<Task>("/api/tasks", {
        ...f,
        title: f.title.trim(),
        priority: Number(f.priority),
        labels: f.labels.split(",").map((s) => s.trim()).filter(Boolean),
        due_date: f.due_date || undefined,
      });
      app.toast(`Created ${t.ref ?? "task"}`);
      onCreated?.(t);
      onClose();
    } catch (e) {
      fail(e);
      setBusy(false);
    }
  };
  return (
    <Modal title="New task" onClose={onClose} onSave={save} saveLabel="Create" busy={busy} wide>
      <div class="form">
        <Field label="Title">
          <input
            name="title"
            value={f.title}
            onInput={set("title")}
            placeholder="What needs doing?"
            autoComplete="off"
            class="big"
          />
        </Field>
        {err && <div class="error-note">{err}</div>}
        {open.length === 0 && (
          <div class="error-note">
            There is no project yet: <Link href="/projects">create one</Link> first.
          </div>
        )}
        <div class="row4">
          <Field label="Project">
            <select name="project" value={f.project} onChange={set("project")}>
              {!f.project && <option value="">Choose a project…</option>}
              {open.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
            </select>
          </Field>
          <Field label="Type">
            <select name="type" value={f.type} onChange={set("type")}>
              {TASK_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </Field>
          <Field label="Priority">
            <select name="priority" value={f.priority} onChange={set("priority")}>
              {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>{priorityName(p)}</option>)}
            </select>
          </Field>
          <Field label="Status">
            <select name="status" value={f.status} onChange={set("status")}>
              {TASK_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
        </div>
        <MarkdownEditor
          label="Description"
          value={f.description}
          onInput={(v) => setF({ ...f, description: v })}
        />
        <div class="row3">
          <Field label="Assignee">
            <input name="assignee" value={f.assignee} onInput={set("assignee")} />
          </Field>
          <Field label="Due date">
            <input name="due_date" type="date" value={f.due_date} onInput={set("due_date")} />
          </Field>
          <Field label="Labels" hint="Comma-separated">
            <input name="labels" value={f.labels} onInput={set("labels")} />
          </Field>
        </div>
        {more
          ? (
            <div class="row3">
              <Field label="Path">
                <input name="project_path" value={f.project_path} onInput={set("project_path")} />
              </Field>
              <Field label="Source">
                <input name="source" value={f.source} onInput={set("source")} />
              </Field>
              <Field label="External ref">
                <input name="external_ref" value={f.external_ref} onInput={set("external_ref")} />
              </Field>
            </div>
          )
          : (
            <button type="button" class="ghost small" onClick={() => setMore(true)}>
              + Path, source, external ref
            </button>
          )}
      </div>
    </Modal>
  );
}
