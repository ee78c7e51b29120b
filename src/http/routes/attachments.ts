import type { Hono } from "hono";
import { invalid } from "../../domain/errors.ts";
import { AttachmentInputSchema, AttachmentQuerySchema } from "../../domain/schemas.ts";
import { HTTP_MAX_PAGE, pageLimit, pageOffset } from "../../domain/paging.ts";
import {
  actorOf,
  type Deps,
  type HttpContext,
  type HttpEnv,
  parseBody,
  qBool,
  qParse,
  statusError,
  UPLOAD_LIMIT,
} from "../request.ts";

/** Image types a browser may show inline (`?inline=1`); never SVG or HTML, which can run script. */
const INLINE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp"]);

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<pct-encoded>`: in the ASCII name, CR, LF, `"`,
 * `\` and anything outside printable ASCII become `_` (empty → `download`).
 */
export function contentDisposition(name: string, inline = false): string {
  const ascii = [...name].map((ch) => /^[\x20-\x7e]$/.test(ch) && !/["\\]/.test(ch) ? ch : "_").join("") ||
    "download";
  const ext = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${ext}`;
}

async function form(c: HttpContext): Promise<FormData> {
  try {
    return await c.req.raw.formData();
  } catch {
    throw invalid("expected a multipart/form-data body with a file field");
  }
}

/** The form as an object for the shared schema: the file, other fields trimmed (empty ones left out). */
function fields(f: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of f.entries()) {
    if (typeof v !== "string") out[k] = v;
    else if (v.trim()) out[k] = v.trim();
  }
  return out;
}

/**
 * /api/attachments: list (by task_id, doc_id or project), upload (multipart: `file`, `linked_type`
 * task|doc + `linked_id`, or `task`/`doc`; optional `name`, `mime_type`; other fields are refused),
 * download (safe Content-Disposition, sandboxed), metadata, delete.
 */
export function attachmentRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/attachments", async (c) => {
    // attachment_query: task_id and doc_id are read before task and doc.
    const q = qParse(c, AttachmentQuerySchema, { task_id: "task", doc_id: "doc" });
    const page = { limit: pageLimit(q.limit, HTTP_MAX_PAGE), offset: pageOffset(q.offset) };
    return c.json(await app.attachments.list({ ...q, ...page }));
  });
  r.post("/api/attachments", async (c) => {
    const f = await form(c);
    const file = f.get("file");
    if (!(file instanceof File)) throw invalid("file field is required");
    if (file.size > UPLOAD_LIMIT) {
      return statusError(413, `attachment exceeds max size of 10 MiB (${file.size} bytes)`);
    }
    const b = parseBody(AttachmentInputSchema, fields(f));
    let { task, doc } = b;
    if (b.linked_type || b.linked_id) {
      if (!b.linked_type || !b.linked_id) throw invalid("linked_type and linked_id are required");
      if (b.linked_type === "task") task = b.linked_id;
      else if (b.linked_type === "doc") doc = b.linked_id;
      else throw invalid('linked_type must be "task" or "doc"');
    }
    if (!task && !doc) throw invalid("linked_type and linked_id are required");
    const data = new Uint8Array(await file.arrayBuffer());
    const name = b.name ?? file.name;
    return c.json(await app.attachments.add({ name, data, task, doc, mime_type: b.mime_type }, actorOf(c)));
  });
  r.get("/api/attachments/:id", async (c) => {
    const a = await app.attachments.get(c.req.param("id"));
    const inline = qBool(c, "inline") && INLINE.has(a.mime_type);
    return new Response(a.data as Uint8Array<ArrayBuffer>, {
      headers: {
        "Content-Type": a.mime_type || "application/octet-stream",
        "Content-Length": String(a.data.length),
        "Content-Disposition": contentDisposition(a.name, inline),
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-cache",
      },
    });
  });
  r.get("/api/attachments/:id/meta", async (c) => c.json(await app.attachments.meta(c.req.param("id"))));
  r.delete("/api/attachments/:id", async (c) => {
    await app.attachments.delete(c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  });
}
