// Import… (Projects page): pick a file or a Backlog.md folder, preview the dry run, then import.
import { useState } from "preact/hooks";
import { api, qs } from "./api.ts";
import { Field, Modal, useApp, useFail } from "./ui.tsx";
import type { PeerImportResult } from "../../src/domain/views.ts";

type Report = PeerImportResult;

const KINDS = ["tasks", "plans", "comments", "dependencies", "docs"] as const;

/** The picked files as the multipart form POST /api/import reads (folder files named by relative path). */
function formOf(files: File[]): FormData {
  const f = new FormData();
  for (const file of files) f.append("file", file, file.webkitRelativePath || file.name);
  return f;
}

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const app = useApp();
  const fail = useFail();
  const [files, setFiles] = useState<File[]>([]);
  const [project, setProject] = useState("");
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = (list: FileList | null) => (setFiles(list ? [...list] : []), setReport(null));
  const run = async (dryRun: boolean) => {
    if (!files.length) return app.toast("choose a file or a folder first", "error");
    setBusy(true);
    try {
      const r = await api.upload<Report>(`/api/import${qs({ project, dry_run: dryRun })}`, formOf(files));
      if (dryRun) return setReport(r);
      app.toast(`Imported ${r.tasks.created} new and ${r.tasks.updated} updated tasks into ${r.project}`);
      app.reloadProjects();
      onClose();
    } catch (e) {
      setReport(null);
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const open = app.projects.filter((p) => !p.archived_at);
  return (
    <Modal
      title="Import"
      wide
      onClose={onClose}
      busy={busy}
      onSave={() => run(!report)}
      saveLabel={report ? "Import" : "Preview"}
    >
      <div class="form">
        <p class="muted small">
          A Backlog.md folder, a Task Master tasks.json, a beads issues.jsonl or the JSON of{" "}
          <code>gh issue list --json …</code>. Nothing is written until you confirm the preview; importing
          again only brings what changed.
        </p>
        <div class="row2">
          <Field label="File">
            <input
              type="file"
              name="import-file"
              accept=".json,.jsonl,.zip"
              onChange={(e) => pick(e.currentTarget.files)}
            />
          </Field>
          <Field label="or a Backlog.md folder">
            <input
              type="file"
              name="import-folder"
              multiple
              {...{ webkitdirectory: true }}
              onChange={(e) => pick(e.currentTarget.files)}
            />
          </Field>
        </div>
        <Field label="Into project" hint="Default: one project per source, created when missing">
          <select
            name="import-project"
            value={project}
            onChange={(e) => (setProject(e.currentTarget.value), setReport(null))}
          >
            <option value="">One project per source</option>
            {open.map((p) => <option key={p.id} value={p.alias}>{p.name || p.alias}</option>)}
          </select>
        </Field>
        {report && <ImportReport r={report} />}
      </div>
    </Modal>
  );
}

function ImportReport({ r }: { r: Report }) {
  return (
    <div class="import-report" aria-live="polite">
      <p>
        Preview: {r.format} into project <b>{r.project}</b>
        {r.project_created ? " (new)" : ""}. Nothing has been written yet.
      </p>
      <table class="table">
        <thead>
          <tr>
            <th />
            <th>Created</th>
            <th>Updated</th>
            <th>Unchanged</th>
            <th>Skipped</th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((k) => (
            <tr key={k}>
              <td>{k}</td>
              <td>{r[k].created}</td>
              <td>{r[k].updated}</td>
              <td>{r[k].unchanged}</td>
              <td>{r[k].skipped}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.unplaced > 0 && <p class="muted small">{r.unplaced} fields without a home go into descriptions.</p>}
      {r.sanitised > 0 && <p class="muted small">{r.sanitised} titles or labels lose control characters.</p>}
      {r.notes.map((n) => <p key={n} class="muted small">Skipped: {n}</p>)}
    </div>
  );
}
