// Small display helpers: times (the API speaks Unix nanoseconds), sizes, priorities.
import { PRIORITY_LABELS } from "../../src/domain/enums.ts";
import type { Actor } from "./types.ts";

export const nsToDate = (ns: number) => new Date(Math.floor(ns / 1e6));
export const dateToNs = (d: Date) => d.getTime() * 1e6;

/** "just now", "5m ago", "3h ago", "2d ago", then a short date. */
export function relTime(ns: number | undefined, now = Date.now()): string {
  if (!ns) return "";
  const s = Math.round((now - ns / 1e6) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  if (s < 86400 * 30) return `${Math.round(s / 86400)}d ago`;
  return nsToDate(ns).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** Local "2026-05-08 14:03". */
export function localDateTime(ns: number | undefined): string {
  if (!ns) return "";
  const d = nsToDate(ns);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${
    p(d.getMinutes())
  }`;
}

export function localTime(ns: number): string {
  return nsToDate(ns).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

/** `YYYY-MM-DD` of the local day, for date inputs and grouping. */
export function dayKey(ns: number): string {
  const d = nsToDate(ns);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "Today (May 8, 2026)", "Yesterday (…)" or "Friday, May 1, 2026". */
export function dayLabel(ns: number, now = new Date()): string {
  const d = nsToDate(ns);
  const long = d.toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" });
  const key = dayKey(ns);
  if (key === dayKey(dateToNs(now))) return `Today (${long})`;
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  if (key === dayKey(dateToNs(y))) return `Yesterday (${long})`;
  return d.toLocaleDateString(undefined, {
    weekday: "long",
    month: "short",
    day: "numeric",
    year: "numeric",
  });
}

export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const priorityName = (p: number) => `P${p} ${PRIORITY_LABELS[p] ?? ""}`.trim();
export const actorText = (a: Actor | undefined) => (a ? `${a.kind}:${a.name}` : "");
export const shortId = (id: string) => id.slice(0, 8);
export const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;

/**
 * Shell-quotes a value for the CLI bar when it needs it: single quotes, inside which `$`, `` ` ``,
 * `!` and `\` are inert; a `'` in the value becomes `'\''`.
 */
export function shq(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
}
