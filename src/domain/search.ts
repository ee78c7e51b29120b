/** What a search string means: a direct TASK-N lookup, or an FTS5 MATCH expression. */
export interface SearchQuery {
  seq?: number;
  fts?: string;
}

const RAW_CHARS = /["*()]/;
const RAW_WORDS = / (AND|OR|NOT|NEAR) /;
// A colon is FTS5 syntax only as a column filter over tasks_fts's columns (`title:x`, `-description:x`,
// `{title description}:x`); elsewhere (`TODO: fix`, `http://x`) it is ordinary text.
const COLUMN_FILTER = /(?:^|[\s(+-])(?:title|description)\s*:|\}\s*:/i;
// unicode61 keeps a run of Han, kana or Hangul as one token, so a phrase ending in one is made a prefix
// (`中文` finds `中文タイトル`); text further inside such a run is not found.
// Built on the first search (Unicode property classes cost a CLI start-up ~0.5 ms to build).
let cjkEnd: RegExp | undefined;
let hasWord: RegExp | undefined;
const CJK_END = () => cjkEnd ??= /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const HAS_WORD = () => hasWord ??= /[\p{L}\p{N}]/u;

/**
 * The original's rules: `TASK-N` / `N` look up by number; text with FTS5 syntax (quotes, `*`,
 * parentheses, a `title:`/`description:` filter, AND/OR/NOT/NEAR) is passed through; anything else is
 * one quoted phrase (a prefix phrase when it ends in CJK). Text with no letter or digit (empty, `-`,
 * `""`, `?!`) is no search at all, undefined, unless it holds `*` or parentheses (invalid syntax).
 */
export function toSearch(input: string): SearchQuery | undefined {
  const s = input.trim();
  const m = s.match(/^(?:TASK-)?(\d+)$/i);
  if (m) return { seq: Number(m[1]) };
  if (!HAS_WORD().test(s) && !/[*()]/.test(s)) return undefined;
  const t = s.replace(/[-\s]+$/, "");
  if (RAW_CHARS.test(t) || RAW_WORDS.test(t) || COLUMN_FILTER.test(t)) return { fts: t };
  return { fts: `"${t.replaceAll('"', '""')}"${CJK_END().test(t) ? "*" : ""}` };
}
