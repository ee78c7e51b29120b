// Memory: tagged notes per project, newest first; new, edit, append, delete, tag filter.
import { useEffect, useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync, useDebounced } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Markdown } from "./markdown.tsx";
import { MarkdownEditor } from "./editor.tsx";
import { ErrorNote, Field, Modal, useApp, useFail, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import { download } from "./task_export.tsx";
import type { Memory } from "./types.ts";
import { actorText, localDateTime, relTime } from "./format.ts";

type Dialog = { kind: "new" } | { kind: "edit" | "append"; m: Memory } | null;
const tagsOf = (m: Memory) => (m.tags ?? "").split(",").map((t) => t.trim()).filter(Boolean);

export function MemoryPage() {
  const app = useApp();
  const fail = useFail();
  const [search, setSearch] = useState("");
  const [tagInput, setTagInput] = useState("");
  const tag = useDebounced(tagInput.trim(), 300);
  const [dialog, setDialog] = useState<Dialog>(null);
  useEffect(() => setTagInput(""), [app.project]);
  const res = useAsync(
    () =>
      api.get<{ entries: Memory[] }>("/api/memory", {
        project: app.project || undefined,
        tag: tag || undefined,
        limit: 500,
      }),
    [app.project, tag],
  );
  useLive(["memory"], res.reload);
  usePageChrome(
    cliCommand("memory list", [["project", app.project], ["tag", tag], ["json", true]]),
    () => setDialog({ kind: "new" }),
  );
  const s = search.trim().toLowerCase();
  const entries = (res.data?.entries ?? []).filter((m) =>
    !s || m.body.toLowerCase().includes(s) || (m.tags ?? "").toLowerCase().includes(s)
  );
  const remove = async (m: Memory) => {
    if (!(await app.confirm("Delete this memory entry? This cannot be undone."))) return;
    await api.del(`/api/memory/${seg(m.id)}`).then(() => (app.toast("Memory deleted"), res.reload()), fail);
  };
  const exportMd = () =>
    download(
      `backlog-memory-${app.project || "all"}.md`,
      "text/markdown",
      entries.map((m) => `## ${localDateTime(m.created_at)}${m.tags ? ` [${m.tags}]` : ""}\n\n${m.body}\n`)
        .join("\n"),
    );
  return (
    <section class="page">
      <header class="page-head">
        <div>
          <h1>Memory</h1>
          <p class="subtitle">
            {res.data
              ? `${entries.length === 1 ? "1 entry" : `${entries.length} entries`}${
                tag ? ` tagged "${tag}"` : ""
              }`
              : "Loading…"}
          </p>
        </div>
        <div class="head-actions">
          {entries.length > 0 && <button type="button" class="ghost" onClick={exportMd}>Download</button>}
          <button type="button" class="primary" onClick={() => setDialog({ kind: "new" })}>
            New memory <kbd>N</kbd>
          </button>
        </div>
      </header>
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search memory…"
          aria-label="Search memory"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <input
          class="tag-input"
          placeholder="Filter by tag"
          aria-label="Filter by tag"
          value={tagInput}
          onInput={(e) => setTagInput(e.currentTarget.value)}
        />
        {tagInput && <button type="button" class="ghost" onClick={() => setTagInput("")}>Clear tag</button>}
      </div>
      <ErrorNote error={res.error} />
      <div class="memory-list">
        {entries.map((m) => (
          <article class="memory" key={m.id}>
            <header>
              <span class="muted small" title={localDateTime(m.created_at)}>{relTime(m.created_at)}</span>
              {!app.project && m.project && <span class="badge">{m.project.alias}</span>}
              {tagsOf(m).map((t) => (
                <button
                  type="button"
                  key={t}
                  class="pill tag"
                  onClick={() => setTagInput(t)}
                >
                  #{t}
                </button>
              ))}
              <span class="spacer" />
              <span class="mono small muted">{actorText(m.actor)}</span>
              <button type="button" class="ghost small" onClick={() => setDialog({ kind: "append", m })}>
                Append
              </button>
              <button type="button" class="ghost small" onClick={() => setDialog({ kind: "edit", m })}>
                Edit
              </button>
              <button type="button" class="ghost small danger-text" onClick={() => remove(m)}>Delete</button>
            </header>
            <Markdown text={m.body} />
          </article>
        ))}
        {res.data && entries.length === 0 && (
          <div class="empty">No memory{tag || s ? " matches" : " yet. Press N to add a note"}.</div>
        )}
      </div>
      {dialog && <MemoryDialog dialog={dialog} onClose={() => setDialog(null)} onSaved={res.reload} />}
    </section>
  );
}

function MemoryDialog(
  { dialog, onClose, onSaved }: { dialog: NonNullable<Dialog>; onClose: () => void; onSaved: () => void },
) {
  const app = useApp();
  const fail = useFail();
  const m = dialog.kind === "new" ? null : dialog.m;
  const open = app.projects.filter((p) => !p.archived_at);
  const [project, setProject] = useState(app.project || open[0]?.alias || "");
  const [body, setBody] = useState(dialog.kind === "edit" ? m!.body : "");
  const [tags, setTags] = useState(m?.tags ?? "");
  const save = async () => {
    if (!body.trim()) return app.toast("body is required", "error");
    try {
      if (dialog.kind === "new") await api.post("/api/memory", { project, body, tags });
      else if (dialog.kind === "edit") await api.patch(`/api/memory/${seg(m!.id)}`, { body, tags });
      else await api.patch(`/api/memory/${seg(m!.id)}/append`, { value: body });
      app.toast(dialog.kind === "new" ? "Memory added" : "Memory updated");
      onSaved();
      onClose();
    } catch (e) {
      fail(e);
    }
  };
  const title = dialog.kind === "new"
    ? "New memory"
    : dialog.kind === "edit"
    ? "Edit memory"
    : "Append to memory";
  return (
    <Modal title={title} onClose={onClose} onSave={save} wide>
      <div class="form">
        {dialog.kind === "new" && (
          <Field label="Project">
            <select name="project" value={project} onChange={(e) => setProject(e.currentTarget.value)}>
              {open.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
            </select>
          </Field>
        )}
        {dialog.kind === "append" && <Markdown text={m!.body} class="quoted" />}
        <MarkdownEditor
          label={dialog.kind === "append" ? "Text to append" : "Body"}
          value={body}
          onInput={setBody}
          rows={8}
          autofocus
        />
        {dialog.kind !== "append" && (
          <Field label="Tags" hint="Comma-separated">
            <input name="tags" value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
          </Field>
        )}
      </div>
    </Modal>
  );
}
