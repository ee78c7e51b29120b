import { escapeControls as escapeAll } from "../domain/text.ts";
import type { Io } from "./spec.ts";

// Text holding none of the characters escapeControls rewrites (printable ASCII, Latin-1 and Latin
// Extended letters, the table's box drawing, the ellipsis and the check mark), with and without line
// breaks and tabs. Most output is that, and skips its regex pass and the garbage it leaves: a 50-row
// table made ~170 KB, part of what makes `task list` collect its young generation twice (~1.4 ms each).
const PLAIN = /^[\x20-\x7e\u00a0-\u02ff\u2026\u2500-\u257f\u2713]*$/;
const PLAIN_LINES = /^[\t\n\x20-\x7e\u00a0-\u02ff\u2026\u2500-\u257f\u2713]*$/;

/** escapeControls (domain/text.ts), returning text it would leave alone as it is. */
export function escapeControls(s: string, opts: { multiline?: boolean } = {}): string {
  return (opts.multiline ? PLAIN_LINES : PLAIN).test(s) ? s : escapeAll(s, opts);
}

const colorsOn = (io: Io) => io.isTTY && !io.env.get("NO_COLOR");

/** Colour only on a TTY without NO_COLOR. */
export function colors(io: Io) {
  const on = colorsOn(io);
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

// Printable ASCII and the Latin blocks before the combining marks: one column per UTF-16 unit.
const SIMPLE = /^[\x20-\x7e\u00a0-\u02ff]*$/;
// The classes below are built on the first text outside SIMPLE: Unicode property classes cost
// every start-up ~0.5 ms to build, and most output is ASCII.
let classes: { clusters: RegExp; wide: RegExp; marksOnly: RegExp } | undefined;
const unicode = () =>
  classes ??= {
    // Characters that join code points into one grapheme cluster: only then is Intl.Segmenter needed
    // (its first use costs ~15 ms of ICU loading, too much to pay on every start-up).
    clusters:
      /[\p{M}\u200c\u200d\ufe0e\ufe0f\p{RI}\u{1f3fb}-\u{1f3ff}\u1100-\u11ff\ud7b0-\ud7ff\u{e0020}-\u{e007f}]/u,
    // East Asian Wide and Fullwidth blocks, and emoji shown as pictures: two columns.
    wide: new RegExp(
      "^(?:[\\u1100-\\u115f\\u2e80-\\u303e\\u3041-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua000-\\ua4cf" +
        "\\ua960-\\ua97f\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe10-\\ufe19\\ufe30-\\ufe6f\\uff00-\\uff60\\uffe0-\\uffe6" +
        "\\u{16fe0}-\\u{16fe4}\\u{17000}-\\u{18cff}\\u{1b000}-\\u{1b2ff}\\u{1f200}-\\u{1f251}" +
        "\\u{20000}-\\u{2fffd}\\u{30000}-\\u{3fffd}]|\\p{Emoji_Presentation}|.*\\ufe0f)",
      "u",
    ),
    marksOnly: /^\p{M}+$/u,
  };
// An escape written by escapeControls stays whole when a cell is cut.
const ESCAPES = /\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]+\}|[ntr])|[^\\]+|\\/g;

// Created on first need only (see clusters); a cache, not state that changes behaviour.
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of a string (code points when nothing in it joins). */
function graphemes(s: string): string[] {
  if (SIMPLE.test(s)) return s.split("");
  if (!unicode().clusters.test(s)) return [...s];
  segmenter ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Columns one grapheme cluster takes in a terminal. */
function clusterWidth(g: string): number {
  if (g.charCodeAt(0) < 0x300) return 1;
  const { wide, marksOnly } = unicode();
  if (wide.test(g)) return 2;
  return marksOnly.test(g) ? 0 : 1;
}

/** Display width of a string in a terminal: wide CJK and emoji count 2, combining marks 0. */
export function width(s: string): number {
  if (SIMPLE.test(s)) return s.length;
  let w = 0;
  for (const g of graphemes(s)) w += clusterWidth(g);
  return w;
}

/** A body's first words for a table: whitespace runs as one space, then cut like truncate. */
export function preview(s: string, n: number): string {
  return truncate(s.replace(/\s+/g, " ").trim(), n);
}

/** Cuts to at most n display columns on grapheme boundaries, with an ellipsis; escapes controls. */
export function truncate(s: string, n: number): string {
  const flat = escapeControls(s);
  if (width(flat) <= n) return flat;
  let out = "";
  let w = 0;
  for (const piece of flat.match(ESCAPES) ?? []) {
    const units = piece.startsWith("\\") ? [piece] : graphemes(piece);
    for (const g of units) {
      const gw = g.length > 1 && g.startsWith("\\") ? g.length : clusterWidth(g);
      if (w + gw > n - 1) return out + "…";
      out += g;
      w += gw;
    }
  }
  return out + "…";
}

/** A table cell: plain text, or text with a colour applied after it is measured and padded. */
export type Cell = string | { text: string; paint: (s: string) => string };

/** A light table: upper-case headers, `│` separators, a rule under the header, no outer border. */
export function table(headers: string[], rows: Cell[][]): string {
  // Built with loops and one reused array: a CLI run renders one table, cold, and every short-lived
  // array and string here counts towards its young-generation GCs.
  const texts = rows.map((r) => r.map((c) => escapeControls(typeof c === "string" ? c : c.text)));
  const w = headers.map(width);
  for (const r of texts) for (let i = 0; i < w.length; i++) w[i] = Math.max(w[i], width(r[i] ?? ""));
  const parts: string[] = [];
  const line = (cells: string[], row?: Cell[]) => {
    parts.length = 0;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const cell = row?.[i];
      const pad = i === cells.length - 1 ? 0 : w[i] - width(c);
      parts.push(
        cell && typeof cell !== "string"
          ? cell.paint(c) + " ".repeat(pad)
          : pad
          ? c.padEnd(c.length + pad)
          : c,
      );
    }
    return parts.join(" │ ").trimEnd();
  };
  const out = [line(headers.map((h) => h.toUpperCase())), w.map((n) => "─".repeat(n)).join("─┼─")];
  for (let r = 0; r < texts.length; r++) out.push(line(texts[r], rows[r]));
  return out.join("\n");
}

/** `Key:  value` lines, skipping undefined/empty values; values are shown on one line, escaped. */
export function detail(pairs: [string, string | number | undefined][]): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== "");
  const w = Math.max(...shown.map(([k]) => k.length)) + 2;
  return shown.map(([k, v]) => `${(k + ":").padEnd(w)}${escapeControls(String(v))}`).join("\n");
}

/** A multi-line body for a detail view: newlines and tabs kept, every other control escaped. */
export function showBody(s: string): string {
  return escapeControls(s, { multiline: true });
}

// deno-lint-ignore no-control-regex
const SGR = /(\x1b\[[0-9;]*m)/;

/**
 * The last guard before a terminal: whatever a view left raw is escaped (newlines and tabs kept).
 * Only the colour codes `colors()` writes survive, and only when colours are on.
 */
export function terminalText(s: string, io: Io): string {
  if (!colorsOn(io)) return showBody(s);
  return s.split(SGR).map((part, i) => i % 2 ? part : showBody(part)).join("");
}
