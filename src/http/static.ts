import { join, sep } from "node:path";
import { getMimeType } from "hono/utils/mime";
import { statusError } from "./request.ts";

/** Scripts only from this server; no plugins, no framing, no foreign connections. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>backlog</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>backlog</h1>
<p>The web UI is not built. Run <code>deno task build:web</code> and reload this page.</p>
<p>The JSON API works: <a href="/api/projects">/api/projects</a>, <a href="/api/tasks">/api/tasks</a>,
<a href="/api/activity">/api/activity</a>.</p>
</body></html>
`;

/**
 * Serves the web bundle from `root`: files by path (no traversal: every segment is checked and
 * the resolved file must stay inside root), and index.html for any other path so deep links work
 * (the SPA routes them). A path that names a missing file (has an extension) is a 404; a path
 * segment that is `..`, hidden, or hides a separator is a 400. Not hono's `serveStatic`: it
 * serves dot-files and follows symlinks out of the root, and passes a bad path on instead of a 400.
 */
export async function serveWeb(root: string | undefined, url: URL): Promise<Response> {
  const path = url.pathname;
  const segs: string[] = [];
  for (const raw of path.split("/")) {
    if (!raw) continue;
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return statusError(400, "invalid path");
    }
    if (s === "." || s === ".." || /[\\/\0]/.test(s) || s.startsWith(".")) {
      return statusError(400, "invalid path");
    }
    segs.push(s);
  }
  const last = segs.at(-1) ?? "";
  const ext = last.includes(".") ? last.slice(last.lastIndexOf(".") + 1).toLowerCase() : "";
  if (!ext || ext === "html") return await index(root);
  const file = root ? await realPath(root, segs) : undefined;
  if (!file) return statusError(404, `not found: ${path}`);
  try {
    const data = await Deno.readFile(file);
    return new Response(data, {
      headers: {
        "Content-Type": getMimeType(file) ?? "application/octet-stream",
        // index.html names its bundle with a content hash (`app.js?v=…`): such URLs never change.
        "Cache-Control": url.searchParams.has("v") ? "public, max-age=31536000, immutable" : "no-cache",
      },
    });
  } catch {
    return statusError(404, `not found: ${path}`);
  }
}

async function index(root: string | undefined): Promise<Response> {
  let html = NOT_BUILT;
  const file = root ? await realPath(root, ["index.html"]) : undefined;
  if (file) {
    try {
      html = await Deno.readTextFile(file);
    } catch { /* fall back to the not-built page */ }
  }
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-cache",
      "Content-Security-Policy": CSP,
    },
  });
}

/**
 * The real path of `root/...segs` when it is a regular file inside root (symlinks resolved), else
 * undefined.
 */
export async function realPath(root: string, segs: string[]): Promise<string | undefined> {
  try {
    const base = await Deno.realPath(root);
    const file = await Deno.realPath(join(base, ...segs));
    if (!file.startsWith(base.endsWith(sep) ? base : base + sep)) return undefined;
    const st = await Deno.stat(file);
    return st.isFile ? file : undefined;
  } catch {
    return undefined;
  }
}
