// Plan and doc dialogs: add / edit (a new version with a change note) and version history.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { MarkdownEditor } from "./editor.tsx";
import { Markdown } from "./markdown.tsx";
import { ErrorNote, Field, Modal, useApp, useFail } from "./ui.tsx";
import type { DocVersion, PlanVersion } from "./types.ts";
import { actorText, localDateTime } from "./format.ts";

/** Edits title + body (+ change note when `withNote`), then calls `submit`. Used for plans and docs. */
export function VersionedEditDialog(
  { heading, initial, withNote, submit, onClose, saveLabel = "Save", children }: {
    heading: string;
    initial: { title: string; body: string };
    withNote: boolean;
    submit: (v: { title: string; body: string; change_note: string }) => Promise<unknown>;
    onClose: () => void;
    saveLabel?: string;
    children?: ComponentChildren;
  },
) {
  const { toast } = useApp();
  const fail = useFail();
  const [title, setTitle] = useState(initial.title);
  const [body, setBody] = useState(initial.body);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!title.trim()) return toast("title is required", "error");
    setBusy(true);
    try {
      await submit({ title: title.trim(), body, change_note: note.trim() });
      onClose();
    } catch (e) {
      fail(e);
      setBusy(false);
    }
  };
  return (
    <Modal title={heading} onClose={onClose} onSave={save} saveLabel={saveLabel} busy={busy} wide>
      <div class="form">
        {children}
        <Field label="Title">
          <input name="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} class="big" />
        </Field>
        <MarkdownEditor label="Body" value={body} onInput={setBody} rows={14} />
        {withNote && (
          <Field label="Change note">
            <input
              name="change_note"
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
              placeholder="What changed?"
            />
          </Field>
        )}
      </div>
    </Modal>
  );
}

/** Lists every version (newest first); click one to read it. */
export function HistoryDialog(
  { heading, path, onClose }: { heading: string; path: string; onClose: () => void },
) {
  const res = useAsync(() => api.get<{ versions: (PlanVersion | DocVersion)[] }>(path), [path]);
  const versions = [...(res.data?.versions ?? [])].sort((a, b) => b.version - a.version);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Modal title={heading} onClose={onClose} wide>
      <ErrorNote error={res.error} />
      <ol class="history">
        {versions.map((v) => (
          <li key={v.id} class={open === v.version ? "open" : ""}>
            <button
              type="button"
              class="history-row"
              onClick={() => setOpen(open === v.version ? null : v.version)}
            >
              <span class="badge">v{v.version}</span>
              <span class="history-title">{v.title}</span>
              <span class="muted small">{v.change_note}</span>
              <span class="muted small mono">{actorText(v.actor)}</span>
              <span class="muted small">{localDateTime(v.created_at)}</span>
            </button>
            {open === v.version && <Markdown text={v.body} class="history-body" />}
          </li>
        ))}
      </ol>
    </Modal>
  );
}
