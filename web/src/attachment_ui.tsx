// Attachment pieces shared by the task page and the Attachments page: URLs, upload, preview.
import { useState } from "preact/hooks";
import { api, authToken, seg } from "./api.ts";
import { Modal } from "./ui.tsx";
import type { Attachment } from "./types.ts";
import { fileSize } from "./format.ts";

export const MAX_UPLOAD = 10 * 1024 * 1024;

/** The file's URL; carries the token as a query parameter when the server needs one (img tags send no headers). */
export function fileUrl(a: Attachment, inline = false): string {
  const q = new URLSearchParams();
  const token = authToken();
  if (token) q.set("token", token);
  if (inline) q.set("inline", "1");
  const s = q.toString();
  return `/api/attachments/${seg(a.id)}${s ? `?${s}` : ""}`;
}

export const isImage = (a: Attachment) =>
  /^image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml)$/i.test(a.mime_type);

/** Uploads files one by one to a task or doc; returns how many made it. */
export async function uploadFiles(
  files: File[],
  link: { type: "task" | "doc"; id: string },
  fail: (e: unknown) => void,
): Promise<number> {
  let ok = 0;
  for (const f of files) {
    if (f.size > MAX_UPLOAD) {
      fail(new Error(`${f.name} is ${fileSize(f.size)}; the limit is 10 MB`));
      continue;
    }
    const form = new FormData();
    form.append("file", f, f.name);
    form.append("linked_type", link.type);
    form.append("linked_id", link.id);
    try {
      await api.upload<Attachment>("/api/attachments", form);
      ok++;
    } catch (e) {
      fail(e);
    }
  }
  return ok;
}

/** Name button: images open a preview; anything else downloads. */
export function AttachmentName({ a }: { a: Attachment }) {
  const [preview, setPreview] = useState(false);
  if (!isImage(a)) return <a href={fileUrl(a)} download={a.name} class="file-name">{a.name}</a>;
  return (
    <>
      <button type="button" class="link file-name" onClick={() => setPreview(true)}>{a.name}</button>
      {preview && (
        <Modal title={a.name} onClose={() => setPreview(false)} wide>
          <div class="preview">
            <img src={fileUrl(a, true)} alt={a.name} />
          </div>
          <p class="muted small">
            {a.mime_type} · {fileSize(a.size)} · <a href={fileUrl(a)} download={a.name}>Download</a>
          </p>
        </Modal>
      )}
    </>
  );
}

export function FilePicker({ onFiles, label = "Upload files", busy }: {
  onFiles: (f: File[]) => void;
  label?: string;
  busy?: boolean;
}) {
  return (
    <label class={`button small${busy ? " disabled" : ""}`}>
      {busy ? "Uploading…" : label}
      <input
        type="file"
        multiple
        class="sr-only"
        aria-label={label}
        disabled={busy}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = "";
          if (files.length) onFiles(files);
        }}
      />
    </label>
  );
}
