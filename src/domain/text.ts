/**
 * Untrusted text and the terminal. Names (titles, project and label names, tags, assignees) refuse
 * characters that can rewrite or hide what a terminal shows; bodies keep them, and every terminal
 * rendering passes through `escapeControls`. Pure: no Deno, no zod (the CLI loads it at start-up).
 */

/**
 * C0 and C1 controls (ESC, newline, tab…), DEL, bidirectional embeddings, overrides, isolates and
 * marks, line/paragraph separators, zero-width and other invisible format characters, lone
 * surrogates; and the zero-width (non-)joiners U+200C/U+200D, which are unsafe only when they join
 * nothing (see `joins`).
 */
const CANDIDATES = String.raw`[\0-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f` +
  String.raw`\ufeff\ufff9-\ufffb\p{Cs}]`;
// Only ever used with String.replace and matchAll, which reset lastIndex: safe to share.
const CANDIDATE_ALL = new RegExp(CANDIDATES, "gu");

// Letters, marks, digits and emoji (with their modifiers and VS16) may sit on either side of a
// joiner: Persian, Indic scripts and emoji sequences (👩‍💻) need them there.
// Built on first need (a joiner in the text): a Unicode property class costs every start-up to build.
let joinable: RegExp | undefined;
const JOINABLE = () => joinable ??= /[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F]/u;

/** Whether the joiner at index i of s sits between two joinable code points. */
function joins(s: string, i: number): boolean {
  const lo = s.charCodeAt(i - 1);
  const before = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s.charAt(i - 1);
  const next = s.codePointAt(i + 1);
  return !!before && next !== undefined && JOINABLE().test(before) &&
    JOINABLE().test(String.fromCodePoint(next));
}

const unsafeAt = (s: string, ch: string, i: number) => (ch !== "\u200c" && ch !== "\u200d") || !joins(s, i);

/** The first character a name may not hold, or undefined when the text is safe to show. */
export function unsafeChar(s: string): string | undefined {
  for (const m of s.matchAll(CANDIDATE_ALL)) if (unsafeAt(s, m[0], m.index)) return m[0];
  return undefined;
}

/**
 * The rule every surface applies to titles, names, labels and tags: a one-line message naming the
 * field and the offending character (escaped), or undefined when the value is acceptable.
 */
export function nameProblem(value: string, field: string): string | undefined {
  const ch = unsafeChar(value);
  if (ch === undefined) return undefined;
  return `${field} contains ${escapeControls(ch)} (titles, names, labels and tags cannot hold control, ` +
    `bidirectional or zero-width characters)`;
}

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One character as a visible escape: `\n`, `\t`, `\x1b` for C0/DEL/C1, `\u202e` (`\u{e0001}`) otherwise. */
export function visibleChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const c = ch.codePointAt(0)!;
  if (c <= 0x9f) return `\\x${c.toString(16).padStart(2, "0")}`;
  return c > 0xffff ? `\\u{${c.toString(16)}}` : `\\u${c.toString(16).padStart(4, "0")}`;
}

/** Every character `unsafeChar` would find replaced by `by` (file names taken from disk). */
export function replaceUnsafe(s: string, by: string): string {
  return s.replace(CANDIDATE_ALL, (ch, i: number) => unsafeAt(s, ch, i) ? by : ch);
}

/**
 * Text made safe for a terminal: every character `unsafeChar` would find becomes a visible escape
 * (`\x1b`, `\u202e`). `multiline` keeps newlines and tabs (a `\r\n` line end reads as `\n`), for the
 * bodies of detail views; otherwise every line break is escaped too (table cells, one-line fields).
 */
export function escapeControls(s: string, opts: { multiline?: boolean } = {}): string {
  const src = opts.multiline ? s.replaceAll("\r\n", "\n") : s;
  return src.replace(CANDIDATE_ALL, (ch, i: number) => {
    if (opts.multiline && (ch === "\n" || ch === "\t")) return ch;
    return unsafeAt(src, ch, i) ? visibleChar(ch) : ch;
  });
}
