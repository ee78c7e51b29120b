// Attachments: every file in the project (or all), with preview, download, delete and an upload dialog.
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync, useDebounced } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Link, withProject } from "./router.tsx";
import { AttachmentName, fileUrl, MAX_UPLOAD, uploadFiles } from "./attachment_ui.tsx";
import { ErrorNote, Field, Modal, useApp, useFail, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import type { Attachment, Doc, TaskList } from "./types.ts";
import { actorText, fileSize, plural, relTime } from "./format.ts";

export function AttachmentsPage() {
  const app = useApp();
  const fail = useFail();
  const [search, setSearch] = useState("");
  const s = useDebounced(search.trim().toLowerCase(), 250);
  const [uploading, setUploading] = useState(false);
  const res = useAsync(
    () =>
      api.get<{ attachments: Attachment[] }>("/api/attachments", {
        project: app.project || undefined,
        limit: 500,
      }),
    [app.project],
  );
  useLive(["attachment"], res.reload);
  usePageChrome(
    cliCommand("attachment list", [["project", app.project], ["json", true]]),
    () => setUploading(true),
  );
  const rows = (res.data?.attachments ?? []).filter((a) =>
    !s || a.name.toLowerCase().includes(s) || (a.task_title ?? a.doc_title ?? "").toLowerCase().includes(s)
  );
  const remove = async (a: Attachment) => {
    if (!(await app.confirm(`Delete ${a.name}? This cannot be undone.`))) return;
    await api.del(`/api/attachments/${seg(a.id)}`).then(
      () => (app.toast(`Deleted ${a.name}`), res.reload()),
      fail,
    );
  };
  return (
    <section class="page">
      <header class="page-head">
        <div>
          <h1>Attachments</h1>
          <p class="subtitle">{res.data ? plural(rows.length, "file") : "Loading…"}</p>
        </div>
        <div class="head-actions">
          <input
            type="search"
            placeholder="Search files…"
            aria-label="Search files"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button type="button" class="primary" onClick={() => setUploading(true)}>
            Upload <kbd>N</kbd>
          </button>
        </div>
      </header>
      <ErrorNote error={res.error} />
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Size</th>
              <th>Type</th>
              <th>Attached to</th>
              {!app.project && <th>Project</th>}
              <th>Actor</th>
              <th>Uploaded</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>
                  <AttachmentName a={a} />
                </td>
                <td class="muted small">{fileSize(a.size)}</td>
                <td class="muted small">{a.mime_type}</td>
                <td>
                  {a.linked_type === "task"
                    ? (
                      <Link href={withProject(`/tasks/TASK-${a.task_seq}`, app.project)}>
                        <span class="ref mono">TASK-{a.task_seq}</span> {a.task_title}
                      </Link>
                    )
                    : (
                      <Link href={withProject(`/docs/${seg(a.linked_id)}`, app.project)}>
                        {a.doc_title || "doc"}
                      </Link>
                    )}
                </td>
                {!app.project && <td class="muted">{a.project_alias}</td>}
                <td class="mono small">{actorText(a.actor)}</td>
                <td class="muted small">{relTime(a.created_at)}</td>
                <td class="row-actions">
                  <a class="button ghost small" href={fileUrl(a)} download={a.name}>Download</a>
                  <button type="button" class="ghost small danger-text" onClick={() => remove(a)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {res.data && rows.length === 0 && <div class="empty">No files{s ? " match" : " yet"}.</div>}
      </div>
      {uploading && <UploadDialog onClose={() => setUploading(false)} onDone={res.reload} />}
    </section>
  );
}

function UploadDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const app = useApp();
  const fail = useFail();
  const open = app.projects.filter((p) => !p.archived_at);
  const [project, setProject] = useState(app.project || open[0]?.alias || "");
  const [kind, setKind] = useState<"task" | "doc">("task");
  const [target, setTarget] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const targets = useAsync(async (): Promise<[string, string][]> => {
    if (!project) return [];
    if (kind === "doc") {
      const r = await api.get<{ docs: Doc[] }>("/api/docs", { project, limit: 500 });
      return r.docs.map((d) => [d.id, d.title]);
    }
    const r = await api.get<TaskList>("/api/tasks", { project, limit: 200, sort: "created", order: "desc" });
    return r.tasks.map((t) => [t.id, `${t.ref} ${t.title}`]);
  }, [project, kind]);
  const save = async () => {
    const id = target || targets.data?.[0]?.[0];
    if (!files.length) return app.toast("Choose a file", "error");
    if (!id) return app.toast(`Choose a ${kind}`, "error");
    setBusy(true);
    const n = await uploadFiles(files, { type: kind, id }, fail);
    setBusy(false);
    if (n) app.toast(`Uploaded ${n} file${n === 1 ? "" : "s"}`);
    onDone();
    if (n === files.length) onClose();
  };
  return (
    <Modal title="Upload files" onClose={onClose} onSave={save} saveLabel="Upload" busy={busy}>
      <div class="form">
        <Field label="Project">
          <select
            name="project"
            value={project}
            onChange={(e) => (setProject(e.currentTarget.value), setTarget(""))}
          >
            {open.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
          </select>
        </Field>
        <Field label="Files" hint={`Up to ${fileSize(MAX_UPLOAD)} each`}>
          <input
            type="file"
            multiple
            name="file"
            onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])}
          />
        </Field>
        <div class="row2">
          <Field label="Attach to">
            <select
              value={kind}
              onChange={(e) => (setKind(e.currentTarget.value as "task" | "doc"), setTarget(""))}
            >
              <option value="task">Task</option>
              <option value="doc">Doc</option>
            </select>
          </Field>
          <Field label={kind === "task" ? "Task" : "Doc"}>
            <select name="target" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              {(targets.data ?? []).map(([id, label]) => <option key={id} value={id}>{label}</option>)}
            </select>
          </Field>
        </div>
      </div>
    </Modal>
  );
}
