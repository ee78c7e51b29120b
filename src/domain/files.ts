import { invalid } from "./errors.ts";
import { replaceUnsafe } from "./text.ts";

/** Attachments are stored inside the database; 10 MiB each, as in the original. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const MIME: Record<string, string> = {
  txt: "text/plain; charset=utf-8",
  log: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  tsv: "text/tab-separated-values; charset=utf-8",
  html: "text/html; charset=utf-8",
  htm: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  ts: "text/typescript; charset=utf-8",
  json: "application/json",
  xml: "text/xml; charset=utf-8",
  yaml: "application/yaml",
  yml: "application/yaml",
  toml: "application/toml",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tgz: "application/gzip",
  tar: "application/x-tar",
  wasm: "application/wasm",
  sql: "application/sql",
  db: "application/vnd.sqlite3",
  sqlite: "application/vnd.sqlite3",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  ico: "image/vnd.microsoft.icon",
  bmp: "image/bmp",
  avif: "image/avif",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
};

/** The MIME type for a file name's extension; `application/octet-stream` when unknown. */
export function mimeFromName(name: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return (m && MIME[m[1].toLowerCase()]) || "application/octet-stream";
}

// deno-lint-ignore no-control-regex
const RESERVED = /[\x00-\x1f\x7f/\\:*?"<>|]/g;

/**
 * A safe base file name: the last path segment, reserved characters and every character a name may
 * not hold (control, bidi, zero-width; see `unsafeChar`) replaced by `_`,
 * no leading dots (no hidden files, no `..`), at most 255 bytes. Raises invalid when nothing is left.
 */
export function sanitizeFileName(input: string): string {
  const base = String(input ?? "").split(/[/\\]/).pop() ?? "";
  let s = replaceUnsafe(base.replace(RESERVED, "_"), "_").trim().replace(/^\.+/, "").trim();
  const enc = new TextEncoder();
  while (enc.encode(s).length > 255) s = s.slice(0, -1);
  if (!s) throw invalid(`invalid file name "${input}"`);
  return s;
}

/** `type/subtype` without parameters or spaces (served back as the download's Content-Type). */
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/** A caller's MIME type when well-formed (lowercased), else undefined (the extension decides). */
export function validMime(v: string | undefined): string | undefined {
  const m = v?.trim().toLowerCase();
  return m && MIME_TYPE.test(m) ? m : undefined;
}

/** `12.3 KiB`-style sizes for listings. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024, i++);
  return `${v.toFixed(1)} ${units[i]}`;
}
