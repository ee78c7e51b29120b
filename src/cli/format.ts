import type { Io } from "./spec.ts";

/** Colour only on a TTY without NO_COLOR. */
export function colors(io: Io) {
  const on = io.isTTY && !io.env.get("NO_COLOR");
  const wrap = (code: string) => (s: string) => on ? `\x1b[${code}m${s}\x1b[0m` : s;
  return {
    red: wrap("31"),
    yellow: wrap("33"),
    cyan: wrap("36"),
    grey: wrap("90"),
    blue: wrap("34"),
    green: wrap("32"),
    bold: wrap("1"),
  };
}

const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Display width of a string (ANSI codes ignored, CJK counted double). */
export function width(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, "")) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Cuts to n display columns with an ellipsis. */
export function truncate(s: string, n: number): string {
  const flat = s.replace(/\s+/g, " ");
  if (width(flat) <= n) return flat;
  let out = "";
  for (const ch of flat) {
    if (width(out + ch) > n - 1) break;
    out += ch;
  }
  return out + "…";
}

/** A light table: upper-case headers, `│` separators, a rule under the header, no outer border. */
export function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c + " ".repeat(w[i] - width(c))).join(" │ ").trimEnd();
  const rule = w.map((n) => "─".repeat(n)).join("─┼─");
  return [line(headers.map((h) => h.toUpperCase())), rule, ...rows.map(line)].join("\n");
}

/** `Key:  value` lines, skipping undefined/empty values. */
export function detail(pairs: [string, string | number | undefined][]): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== "");
  const w = Math.max(...shown.map(([k]) => k.length)) + 2;
  return shown.map(([k, v]) => `${(k + ":").padEnd(w)}${v}`).join("\n");
}
