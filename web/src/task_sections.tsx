// The sections under a task's description: plans, comments, attachments, activity.
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Markdown } from "./markdown.tsx";
import { HistoryDialog, VersionedEditDialog } from "./plan_dialogs.tsx";
import { AttachmentName, FilePicker, fileUrl, uploadFiles } from "./attachment_ui.tsx";
import { useApp, useFail } from "./ui.tsx";
import type { Activity, Attachment, Plan, Task } from "./types.ts";
import { actorText, fileSize, localDateTime, relTime } from "./format.ts";

export function PlansSection({ task, reload }: { task: Task; reload: () => void }) {
  const { toast } = useApp();
  const [dialog, setDialog] = useState<{ kind: "add" | "edit" | "history"; plan?: Plan } | null>(null);
  const plans = task.plans ?? [];
  return (
    <section class="block" aria-label="Plans">
      <header class="block-head">
        <h2>Plans {plans.length > 0 && <span class="count">{plans.length}</span>}</h2>
        <button type="button" class="ghost small" onClick={() => setDialog({ kind: "add" })}>
          + Add plan
        </button>
      </header>
      {plans.length === 0 && <p class="muted">No plan yet.</p>}
      {plans.map((p) => (
        <article class="plan" key={p.id} data-plan={p.id}>
          <header>
            <h3>{p.version?.title}</h3>
            <span class="badge">v{p.current_version}</span>
            <span class="muted small">
              {actorText(p.version?.actor)} · {relTime(p.updated_at)}
            </span>
            <span class="spacer" />
            <button type="button" class="ghost small" onClick={() => setDialog({ kind: "edit", plan: p })}>
              Edit
            </button>
            <button type="button" class="ghost small" onClick={() => setDialog({ kind: "history", plan: p })}>
              History
            </button>
          </header>
          <Markdown text={p.version?.body ?? ""} />
        </article>
      ))}
      {dialog?.kind === "add" && (
        <VersionedEditDialog
          heading="Add plan"
          initial={{ title: "", body: "" }}
          withNote={false}
          saveLabel="Add plan"
          onClose={() => setDialog(null)}
          submit={async (v) => {
            await api.post(`/api/tasks/${task.ref}/plans`, { title: v.title, body: v.body });
            toast("Plan added");
            reload();
          }}
        />
      )}
      {dialog?.kind === "edit" && dialog.plan && (
        <VersionedEditDialog
          heading={`Edit plan (creates v${dialog.plan.current_version + 1})`}
          initial={{ title: dialog.plan.version?.title ?? "", body: dialog.plan.version?.body ?? "" }}
          withNote
          onClose={() => setDialog(null)}
          submit={async (v) => {
            await api.patch(`/api/plans/${seg(dialog.plan!.id)}`, v);
            toast(`Plan saved as v${dialog.plan!.current_version + 1}`);
            reload();
          }}
        />
      )}
      {dialog?.kind === "history" && dialog.plan && (
        <HistoryDialog
          heading={`History: ${dialog.plan.version?.title ?? "plan"}`}
          path={`/api/plans/${seg(dialog.plan.id)}/history`}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}

export function CommentsSection({ task, reload }: { task: Task; reload: () => void }) {
  const fail = useFail();
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const comments = task.comments ?? [];
  const post = async () => {
    if (!body.trim() || busy) return;
    setBusy(true);
    try {
      await api.post(`/api/tasks/${task.ref}/comments`, { body });
      setBody("");
      reload();
    } catch (e) {
      fail(e);
    }
    setBusy(false);
  };
  return (
    <section class="block" aria-label="Comments">
      <header class="block-head">
        <h2>Comments {comments.length > 0 && <span class="count">{comments.length}</span>}</h2>
      </header>
      <ol class="comments">
        {comments.map((c) => (
          <li key={c.id} class="comment">
            <div class="comment-meta">
              <span class={`avatar ${c.actor.kind}`} aria-hidden="true">
                {c.actor.name.slice(0, 1).toUpperCase()}
              </span>
              <b>{c.actor.name}</b>
              <span class="muted small">{c.actor.kind}</span>
              <span class="muted small" title={localDateTime(c.created_at)}>{relTime(c.created_at)}</span>
            </div>
            <Markdown text={c.body} />
          </li>
        ))}
      </ol>
      <div class="composer">
        <textarea
          aria-label="New comment"
          placeholder="Write a comment… (Ctrl+Enter to send)"
          rows={3}
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) && (e.preventDefault(), post())}
        />
        <button type="button" class="primary" disabled={!body.trim() || busy} onClick={post}>Comment</button>
      </div>
    </section>
  );
}

export function AttachmentsSection({ task }: { task: Task }) {
  const { toast, confirm } = useApp();
  const fail = useFail();
  const [busy, setBusy] = useState(false);
  const res = useAsync(
    () => api.get<{ attachments: Attachment[] }>("/api/attachments", { task_id: task.id }),
    [task.id],
  );
  useLive(["attachment"], res.reload);
  const files = res.data?.attachments ?? [];
  const upload = async (list: File[]) => {
    setBusy(true);
    const n = await uploadFiles(list, { type: "task", id: task.id }, fail);
    setBusy(false);
    if (n) toast(`Uploaded ${n} file${n === 1 ? "" : "s"}`);
    res.reload();
  };
  const remove = async (a: Attachment) => {
    if (!(await confirm(`Delete ${a.name}? This cannot be undone.`))) return;
    await api.del(`/api/attachments/${seg(a.id)}`).then(() => toast(`Deleted ${a.name}`), fail);
    res.reload();
  };
  return (
    <section class="block" aria-label="Attachments">
      <header class="block-head">
        <h2>Attachments {files.length > 0 && <span class="count">{files.length}</span>}</h2>
        <FilePicker onFiles={upload} busy={busy} />
      </header>
      {files.length === 0 && <p class="muted">No files attached.</p>}
      <ul class="files">
        {files.map((a) => (
          <li key={a.id} data-file={a.name}>
            <AttachmentName a={a} />
            <span class="muted small">{a.mime_type} · {fileSize(a.size)} · {relTime(a.created_at)}</span>
            <span class="spacer" />
            <a class="button ghost small" href={fileUrl(a)} download={a.name}>Download</a>
            <button type="button" class="ghost small danger-text" onClick={() => remove(a)}>Delete</button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ActivitySection({ task }: { task: Task }) {
  const res = useAsync(
    () => api.get<{ events: Activity[] }>("/api/activity", { entity_id: task.id, limit: 200 }),
    [task.id, task.version, task.comments?.length, task.plans?.length],
  );
  const events = res.data?.events ?? [];
  return (
    <section class="block" aria-label="Activity">
      <header class="block-head">
        <h2>Activity</h2>
      </header>
      <ol class="activity-list">
        {events.map((e) => (
          <li key={e.id}>
            <span class="mono small">{actorText(e.actor)}</span>
            <span class="badge">{e.action}</span>
            <span class="summary">{e.summary}</span>
            <span class="muted small" title={localDateTime(e.created_at)}>{relTime(e.created_at)}</span>
          </li>
        ))}
      </ol>
      {events.length === 0 && !res.loading && <p class="muted">No activity yet.</p>}
    </section>
  );
}
