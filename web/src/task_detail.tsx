// Task detail: inline title, description, properties panel with labels, then plans, comments, files, activity.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { TASK_STATUSES, TASK_TYPES } from "../../src/domain/enums.ts";
import { api, ApiError } from "./api.ts";
import { patchTask } from "./task_write.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Link, withProject } from "./router.tsx";
import { MarkdownEditor } from "./editor.tsx";
import { Markdown } from "./markdown.tsx";
import { ErrorNote, useApp, useFail, usePageChrome } from "./ui.tsx";
import type { Task } from "./types.ts";
import { actorText, dayKey, localDateTime, priorityName, relTime, shq } from "./format.ts";
import { cliCommand } from "./cli_bar.tsx";
import { ActivitySection, AttachmentsSection, CommentsSection, PlansSection } from "./task_sections.tsx";
import { LabelEditor } from "./task_labels.tsx";
import { download, tasksToMarkdown } from "./task_export.tsx";
import { ClaimSection, DepsSection, RunsSection, useRuns } from "./task_work.tsx";

export type Patch = (path: string, body: Record<string, unknown>) => Promise<void>;

export function TaskDetail({ taskRef }: { taskRef: string }) {
  const app = useApp();
  const fail = useFail();
  const res = useAsync(() => api.get<Task>(`/api/tasks/${encodeURIComponent(taskRef)}`), [taskRef]);
  const t = res.data;
  usePageChrome(cliCommand(`task show ${shq(t?.ref ?? taskRef)}`, [["json", true]]));
  useLive(["task", "comment", "plan", "label", "attachment"], (e) => {
    if (e.entity === "task" && t && e.entity_id !== t.id) return;
    res.reload();
  });

  useEffect(() => {
    if (t) document.title = `${t.ref} ${t.title} · Backlog`;
  }, [t?.ref, t?.title]);

  if (res.error) {
    return (
      <section class="page">
        <Link href={withProject("/tasks", app.project)} class="crumb">← Tasks</Link>
        <ErrorNote error={res.error} />
      </section>
    );
  }
  if (!t) {
    return (
      <section class="page">
        <p class="muted">Loading…</p>
      </section>
    );
  }

  const patch: Patch = async (path, body) => {
    try {
      const updated = await patchTask(t, path, body);
      res.set({ ...t, ...updated, labels: updated.labels ?? t.labels, plans: t.plans, comments: t.comments });
      res.reload();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        app.toast(`${t.ref} changed elsewhere; reloaded`, "error");
      } else fail(e);
      res.reload();
    }
  };
  const archive = async () => {
    if (!t.archived_at && !(await app.confirm(`Archive ${t.ref}? It can be restored later.`, "Archive"))) {
      return;
    }
    await patch(t.archived_at ? "/unarchive" : "/archive", {});
    app.toast(`${t.ref} ${t.archived_at ? "restored" : "archived"}`);
  };
  const exportMd = () =>
    download(
      `backlog-task-${t.ref}-${dayKey(Date.now() * 1e6)}.md`,
      "text/markdown",
      tasksToMarkdown([t], t.ref),
    );

  return (
    <section class="page detail">
      <div class="detail-head">
        <Link href={withProject("/tasks", app.project)} class="crumb">← Tasks</Link>
        <div class="head-actions">
          <button type="button" class="ghost" onClick={exportMd}>Download</button>
          <button type="button" onClick={archive}>{t.archived_at ? "Restore" : "Archive"}</button>
        </div>
      </div>
      <div class="detail-title">
        <span class="ref mono big-ref">{t.ref}</span>
        {t.archived_at && <span class="badge">Archived</span>}
      </div>
      <TitleEdit t={t} onSave={(title) => patch("", { title })} />
      <div class="detail-grid">
        <div class="detail-main">
          <Description t={t} onSave={(description) => patch("", { description })} />
          <Work t={t} reload={res.reload} />
          <PlansSection task={t} reload={res.reload} />
          <CommentsSection task={t} reload={res.reload} />
          <AttachmentsSection task={t} />
          <ActivitySection task={t} />
        </div>
        <Properties t={t} patch={patch} reload={res.reload} />
      </div>
    </section>
  );
}

/** Claim, dependencies and runs: the sections that show agents at work on this task. */
function Work({ t, reload }: { t: Task; reload: () => void }) {
  const runs = useRuns(t);
  return (
    <>
      <ClaimSection task={t} runs={runs.data?.runs ?? []} reload={reload} />
      <DepsSection task={t} />
      <RunsSection runs={runs.data?.runs ?? []} error={runs.error} />
    </>
  );
}

function TitleEdit({ t, onSave }: { t: Task; onSave: (v: string) => void }) {
  const [editing, setEditing] = useState(false);
  // Enter or Escape ends the edit; the blur that follows when the input goes away must not save again.
  const finished = useRef(false);
  if (!editing) {
    return (
      <h1
        class="task-title editable"
        title="Click to edit"
        tabIndex={0}
        onClick={() => ((finished.current = false), setEditing(true))}
        onKeyDown={(e) => e.key === "Enter" && ((finished.current = false), setEditing(true))}
      >
        {t.title}
      </h1>
    );
  }
  const done = (el: HTMLInputElement, keep: boolean) => {
    if (finished.current) return;
    finished.current = true;
    const v = el.value.trim();
    setEditing(false);
    if (keep && v && v !== t.title) onSave(v);
  };
  return (
    <input
      class="task-title-input"
      aria-label="Title"
      defaultValue={t.title}
      ref={(el) => el?.focus()}
      onKeyDown={(e) => {
        if (e.key === "Enter") done(e.currentTarget, true);
        if (e.key === "Escape") (e.stopPropagation(), done(e.currentTarget, false));
      }}
      onBlur={(e) => done(e.currentTarget, true)}
    />
  );
}

function Description({ t, onSave }: { t: Task; onSave: (v: string) => Promise<void> }) {
  const [draft, setDraft] = useState<string | null>(null);
  const save = async () => {
    if (draft === null) return;
    await onSave(draft);
    setDraft(null);
  };
  return (
    <section class="block">
      <header class="block-head">
        <h2>Description</h2>
        {draft === null && (
          <button type="button" class="ghost small" onClick={() => setDraft(t.description)}>Edit</button>
        )}
      </header>
      {draft === null ? <Markdown text={t.description} /> : (
        <div
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) (e.preventDefault(), save());
            if (e.key === "Escape") setDraft(null);
          }}
        >
          <MarkdownEditor label="Description" value={draft} onInput={setDraft} rows={10} />
          <div class="actions">
            <button type="button" onClick={() => setDraft(null)}>Cancel</button>
            <button type="button" class="primary" onClick={save}>Save</button>
          </div>
        </div>
      )}
    </section>
  );
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

function Properties({ t, patch, reload }: { t: Task; patch: Patch; reload: () => void }) {
  const text = (field: "assignee" | "source" | "external_ref" | "project_path", label: string) => (
    <Prop label={label}>
      <input
        class="prop-input"
        aria-label={label}
        defaultValue={t[field] ?? ""}
        key={`${field}:${t.version}`}
        placeholder="—"
        onKeyDown={(e) =>
          e.key === "Enter" && e.currentTarget.blur()}
        onBlur={(e) =>
          e.currentTarget.value.trim() !== (t[field] ?? "") &&
          patch("", { [field]: e.currentTarget.value.trim() })}
      />
      {(field === "external_ref" || field === "project_path") && t[field] && isUrl(t[field]!) && (
        <a href={t[field]} target="_blank" rel="noopener noreferrer" class="small">open ↗</a>
      )}
    </Prop>
  );
  return (
    <aside class="props" aria-label="Properties">
      <Prop label="Status">
        <select
          aria-label="Status"
          value={t.status}
          onChange={(e) => patch("/status", { status: e.currentTarget.value })}
        >
          {TASK_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </Prop>
      <Prop label="Priority">
        <select
          aria-label="Priority"
          value={String(t.priority)}
          onChange={(e) => patch("", { priority: Number(e.currentTarget.value) })}
        >
          {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>{priorityName(p)}</option>)}
        </select>
      </Prop>
      <Prop label="Type">
        <select aria-label="Type" value={t.type} onChange={(e) => patch("", { type: e.currentTarget.value })}>
          {TASK_TYPES.map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
      </Prop>
      {text("assignee", "Assignee")}
      <Prop label="Due">
        <input
          type="date"
          aria-label="Due date"
          class="prop-input"
          key={`due:${t.version}`}
          defaultValue={t.due_at ? dayKey(t.due_at) : ""}
          onChange={(e) => {
            const v = e.currentTarget.value;
            patch("", v ? { due_date: v } : { clear_due_at: true });
          }}
        />
      </Prop>
      <Prop label="Labels">
        <LabelEditor task={t} reload={reload} />
      </Prop>
      <hr />
      <Prop label="Project">
        <Link href={withProject("/tasks", t.project?.alias ?? "")}>
          {t.project?.name || t.project?.alias}
        </Link>
      </Prop>
      <Prop label="Created by">
        <span class="mono small">{actorText(t.actor)}</span>
      </Prop>
      <Prop label="Created">
        <span title={localDateTime(t.created_at)}>{relTime(t.created_at)}</span>
      </Prop>
      <Prop label="Updated">
        <span title={localDateTime(t.updated_at)}>{relTime(t.updated_at)}</span>
      </Prop>
      {t.completed_at && (
        <Prop label="Completed">
          <span title={localDateTime(t.completed_at)}>{relTime(t.completed_at)}</span>
        </Prop>
      )}
      {text("source", "Source")}
      {text("external_ref", "External")}
      {text("project_path", "Path")}
      <Prop label="Version">
        <span class="mono small">v{t.version}</span>
      </Prop>
    </aside>
  );
}

function Prop({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="prop">
      <span class="prop-label">{label}</span>
      <div class="prop-value">{children}</div>
    </div>
  );
}
