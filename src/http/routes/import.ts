import type { Hono } from "hono";
import { usage } from "../../domain/errors.ts";
import { actorOf, type Deps, type HttpContext, type HttpEnv, qBool, qStr } from "../request.ts";

/** 64 MiB: a Backlog.md folder of several thousand task files, uploaded file by file. */
export const IMPORT_LIMIT = 64 << 20;

/** The uploaded files: multipart `file` fields (their file names are relative paths), or the raw body. */
async function uploaded(c: HttpContext): Promise<{ name: string; data: Uint8Array }[]> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw usage("expected a multipart/form-data body with one or more `file` fields");
    }
    const out: { name: string; data: Uint8Array }[] = [];
    for (const [k, v] of form.entries()) {
      if (k !== "file") throw usage(`unknown form field "${k}" (send the files as \`file\`)`);
      if (typeof v === "string") throw usage("`file` must be a file, not a text field");
      out.push({ name: v.name || "upload", data: new Uint8Array(await v.arrayBuffer()) });
    }
    return out;
  }
  const data = new Uint8Array(await c.req.arrayBuffer());
  return data.length ? [{ name: qStr(c, "name") ?? "upload", data }] : [];
}

/**
 * POST /api/import?format=&project=&dry_run=1: the peer imports of `backlog import` (Backlog.md,
 * Task Master, beads, GitHub issues) over HTTP. The body is one file (raw, or a zip of a Backlog.md
 * folder) or a multipart form whose `file` fields carry a folder's files named by relative path
 * (what a browser sends for `<input type=file webkitdirectory>`). The answer is the import report.
 */
export function importRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.post("/api/import", async (c) => {
    const { importUpload } = await import("../../services/interchange/import_peer.ts");
    const opts = { format: qStr(c, "format"), project: qStr(c, "project"), dryRun: qBool(c, "dry_run") };
    const report = await importUpload(app, await uploaded(c), opts, actorOf(c));
    return c.json(report, report.dry_run ? 200 : 201);
  });
}
