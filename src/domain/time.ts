import { invalid, isMessageField, type MessageWords } from "./errors.ts";
import { quoteInput } from "./quote.ts";

/** A clock returns Unix nanoseconds. Injected so tests can pin time. */
export type Clock = () => number;

/**
 * The system clock, in nanoseconds at 32 µs granularity: every value is an exact IEEE double and
 * prints as its exact integer, so the number in JSON equals the integer stored in SQLite.
 */
export const systemClock: Clock = () => {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return Math.floor(us / 32) * 32_000;
};

export const NS_PER_MS = 1_000_000;
export const nsToDate = (ns: number) => new Date(Math.floor(ns / NS_PER_MS));

/** Parses a due date: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS (UTC) or RFC3339. Raises invalid. */
export function parseDate(v: string, flag = "--due-date"): number {
  const s = v.trim();
  let iso: string | null = null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = `${s}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(s)) iso = `${s}Z`;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) iso = s;
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms) || !validCalendar(s)) {
    throw invalid(`${flag}: invalid date ${quoteInput(v)} (use YYYY-MM-DD or RFC3339)`);
  }
  return ms * NS_PER_MS;
}

function validCalendar(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split("-").map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/**
 * A due date as typed on any surface: undefined = not given, "" or "none" = clear it (null), else a
 * date for parseDate. Raises invalid naming the field.
 */
export function parseDueDate(v: string | undefined, field = "due_date"): number | null | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  return s === "" || s.toLowerCase() === "none" ? null : parseDate(s, field);
}

const UNIT_NS: Record<string, number> = {
  w: 7 * 86400e9,
  d: 86400e9,
  h: 3600e9,
  m: 60e9,
  s: 1e9,
  ms: 1e6,
};

/**
 * Parses a duration like 30m, 1h30m, 7d, 1.5w. Raises invalid (naming the flag) unless > 0; the
 * message shows `examples`, which must all be valid for that flag (a lease passes its own, max 7d).
 */
export function parseDuration(v: string, flag: string, examples = "30m, 1h30m, 7d, 2w"): number {
  const s = v.trim().toLowerCase();
  const re = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * UNIT_NS[m[2]];
    consumed += m[0].length;
  }
  if (!s || consumed !== s.length || !(total > 0)) {
    throw invalid(`${flag}: invalid duration ${quoteInput(v)} (use e.g. ${examples})`);
  }
  return Math.round(total);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Local `YYYY-MM-DD HH:MM` (task and plan views). */
export function formatLocal(ns: number): string {
  const d = nsToDate(ns);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${
    pad(d.getMinutes())
  }`;
}

/** UTC `YYYY-MM-DD HH:MM:SS` (docs, memory, activity, attachments). */
export function formatUtc(ns: number): string {
  return nsToDate(ns).toISOString().slice(0, 19).replace("T", " ");
}

/** A lease expiry as printed in messages: `2026-05-24 10:00:00 UTC`. */
export const formatUntil = (ns: number) => `${formatUtc(ns)} UTC`;

/** Formats a nanosecond duration the original's way: 0s, 45s, 1m30s, 12.5m, 3.2h, 2.1d. */
export function formatDuration(ns: number): string {
  if (ns <= 0) return "0s";
  const h = ns / 3600e9;
  if (h >= 48) return `${(h / 24).toFixed(1)}d`;
  if (h >= 2) return `${h.toFixed(1)}h`;
  const m = ns / 60e9;
  if (m >= 2) return `${m.toFixed(1)}m`;
  const secs = Math.round(ns / 1e9);
  const mm = Math.floor(secs / 60);
  const hh = Math.floor(mm / 60);
  return `${hh ? `${hh}h` : ""}${mm % 60 || hh ? `${mm % 60}m` : ""}${secs % 60}s`;
}

/**
 * Parses a time window: empty → 7d; `all` → the beginning; a duration back from now; or a date
 * (YYYY-MM-DD, RFC3339). Raises invalid naming the flag.
 */
export function parseSince(
  value: string | undefined,
  now: number,
  flag = "--since",
): { at: number; label: string } {
  const label = (value ?? "").trim() || "7d";
  // `since` (a service's field) is worded by each surface: the CLI's `--since`, HTTP and MCP `since`.
  const named = (w: MessageWords) => isMessageField(flag) ? w.field(flag) : flag;
  if (label.toLowerCase() === "all") return { at: 0, label: "all" };
  let at: number;
  try {
    at = Math.max(0, now - parseDuration(label, flag)); // a window longer than the epoch means all
  } catch {
    try {
      at = parseDate(label, flag);
    } catch {
      throw invalid((w) =>
        `${named(w)}: invalid time window ${quoteInput(value)} (use values like 7d, 24h, all, or 2026-05-24)`
      );
    }
  }
  // Timestamps are signed 64-bit nanoseconds: 2262-04-11 is the last representable day.
  if (!(at >= 0 && at <= MAX_NS)) throw invalid((w) => `${named(w)}: date out of range ${quoteInput(value)}`);
  return { at, label };
}

const MAX_NS = 9_223_372_036_854_000_000;
