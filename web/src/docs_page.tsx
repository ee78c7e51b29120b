// Docs: a list pane and a reader; new, edit (new version), history, delete, download.
import { useRef, useState } from "preact/hooks";
import { api, ApiError, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { navigate, withProject } from "./router.tsx";
import { Markdown } from "./markdown.tsx";
import { HistoryDialog, VersionedEditDialog } from "./plan_dialogs.tsx";
import { Empty, ErrorNote, Field, useApp, useFail, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import { download } from "./task_export.tsx";
import type { Doc } from "./types.ts";
import { actorText, localDateTime, plural, relTime, shq } from "./format.ts";

export function DocsPage({ docId }: { docId: string }) {
  const app = useApp();
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState(false);
  const list = useAsync(
    () => api.get<{ docs: Doc[] }>("/api/docs", { project: app.project || undefined, limit: 500 }),
    [
      app.project,
    ],
  );
  useLive(["doc"], list.reload);
  usePageChrome(
    docId
      ? cliCommand(`doc show ${shq(docId)}`, [["json", true]])
      : cliCommand("doc list", [["project", app.project], ["json", true]]),
    () => setCreating(true),
  );
  const s = search.trim().toLowerCase();
  const docs = (list.data?.docs ?? []).filter((d) =>
    !s || d.title.toLowerCase().includes(s) || (d.project?.alias ?? "").toLowerCase().includes(s)
  );
  const open = (id: string) => navigate(withProject(`/docs/${seg(id)}`, app.project));
  const downloadAll = async () => {
    const full = await Promise.all(docs.map((d) => api.get<Doc>(`/api/docs/${seg(d.id)}`)));
    const md = full.map((d) => `# ${d.title}\n\n${d.version?.body ?? ""}\n`).join("\n---\n\n");
    download(`backlog-docs-${app.project || "all"}.md`, "text/markdown", md);
  };
  return (
    <section class="page docs-page">
      <header class="page-head">
        <div>
          <h1>Docs</h1>
          <p class="subtitle">{list.data ? plural(docs.length, "doc") : "Loading…"}</p>
        </div>
        <div class="head-actions">
          {!docId && docs.length > 0 && (
            <button type="button" class="ghost" onClick={downloadAll}>Download all</button>
          )}
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New doc <kbd>N</kbd>
          </button>
        </div>
      </header>
      <div class="two-pane">
        <div class="pane-list">
          <input
            type="search"
            placeholder="Filter docs…"
            aria-label="Filter docs"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <ul class="doc-list">
            {docs.map((d) => (
              <li key={d.id}>
                <button type="button" class={d.id === docId ? "on" : ""} onClick={() => open(d.id)}>
                  <span class="doc-title">{d.title}</span>
                  <span class="muted small">
                    {!app.project && d.project ? `${d.project.alias} · ` : ""}v{d.current_version} ·{" "}
                    {relTime(d.updated_at)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {list.data && docs.length === 0 && <p class="muted small pad">No docs{s ? " match" : " yet"}.</p>}
        </div>
        <div class="pane-reader">
          {docId
            ? <DocReader key={docId} id={docId} onGone={() => navigate(withProject("/docs", app.project))} />
            : (
              <Empty>
                Pick a doc on the left, or press <kbd>N</kbd> to write one.
              </Empty>
            )}
        </div>
      </div>
      {creating && (
        <NewDocDialog onClose={() => setCreating(false)} onCreated={(d) => (list.reload(), open(d.id))} />
      )}
    </section>
  );
}

/** A doc address that names no doc (unknown or malformed id) says so, with the server's reason. */
function DocMissing({ error }: { error: Error }) {
  const status = error instanceof ApiError ? error.status : 0;
  if (status !== 404 && status !== 400) return <ErrorNote error={error} />;
  return (
    <div class="doc-missing">
      <h2>Doc not found</h2>
      <ErrorNote error={error} />
      <p class="muted small">
        Pick a doc on the left, or press <kbd>N</kbd> to write one.
      </p>
    </div>
  );
}

function DocReader({ id, onGone }: { id: string; onGone: () => void }) {
  const { toast, confirm } = useApp();
  const fail = useFail();
  const res = useAsync(() => api.get<Doc>(`/api/docs/${seg(id)}`), [id]);
  // Set once this reader deletes the doc: a late event of an earlier edit must not reload it (a 404).
  const deleting = useRef(false);
  useLive(["doc"], (e) => {
    if (e.entity_id !== id || deleting.current) return;
    if (e.action === "deleted") onGone(); // deleted here or elsewhere: reloading it would only 404
    else res.reload();
  });
  const [dialog, setDialog] = useState<"" | "edit" | "history">("");
  const d = res.data;
  if (res.error) return <DocMissing error={res.error} />;
  if (!d) return <p class="muted pad">Loading…</p>;
  const remove = async () => {
    if (!(await confirm(`Delete the doc "${d.title}"? This cannot be undone.`))) return;
    deleting.current = true;
    await api.del(`/api/docs/${seg(id)}`).then(
      () => (toast("Doc deleted"), onGone()),
      (err) => ((deleting.current = false), fail(err)),
    );
  };
  return (
    <article class="doc">
      <header class="doc-head">
        <div>
          <h2 class="doc-heading">{d.version?.title ?? d.title}</h2>
          <p class="muted small">
            v{d.current_version} · updated {relTime(d.updated_at)} ({localDateTime(d.updated_at)}) ·{" "}
            {actorText(d.version?.actor ?? d.actor)}
          </p>
        </div>
        <div class="head-actions">
          <button
            type="button"
            class="ghost small"
            onClick={() => download(`${d.title}.md`, "text/markdown", d.version?.body ?? "")}
          >
            Download
          </button>
          <button type="button" class="ghost small" onClick={() => setDialog("history")}>History</button>
          <button type="button" class="small" onClick={() => setDialog("edit")}>Edit</button>
          <button type="button" class="ghost small danger-text" onClick={remove}>Delete</button>
        </div>
      </header>
      <Markdown text={d.version?.body ?? ""} class="doc-body" />
      {dialog === "edit" && (
        <VersionedEditDialog
          heading={`Edit doc (creates v${d.current_version + 1})`}
          initial={{ title: d.version?.title ?? d.title, body: d.version?.body ?? "" }}
          withNote
          onClose={() => setDialog("")}
          submit={async (v) => {
            res.set(await api.patch<Doc>(`/api/docs/${seg(id)}`, v));
            toast("Doc saved");
            res.reload();
          }}
        />
      )}
      {dialog === "history" && (
        <HistoryDialog
          heading={`History: ${d.title}`}
          path={`/api/docs/${seg(id)}/history`}
          onClose={() => setDialog("")}
        />
      )}
    </article>
  );
}

function NewDocDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (d: Doc) => void }) {
  const app = useApp();
  const open = app.projects.filter((p) => !p.archived_at);
  const [project, setProject] = useState(app.project || open[0]?.alias || "");
  return (
    <VersionedEditDialog
      heading="New doc"
      initial={{ title: "", body: "" }}
      withNote={false}
      saveLabel="Create"
      onClose={onClose}
      submit={async (v) => {
        if (!project) throw new Error("Select a project");
        const d = await api.post<Doc>("/api/docs", { project, title: v.title, body: v.body });
        app.toast("Doc created");
        onCreated(d);
      }}
    >
      <Field label="Project">
        <select name="project" value={project} onChange={(e) => setProject(e.currentTarget.value)}>
          {!project && <option value="">Select a project</option>}
          {open.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
        </select>
      </Field>
    </VersionedEditDialog>
  );
}
