/** What a search string means: a direct TASK-N lookup, or an FTS5 MATCH expression. */
export interface SearchQuery {
  seq?: number;
  fts?: string;
}

const RAW_CHARS = /["*():]/;
const RAW_WORDS = / (AND|OR|NOT|NEAR) /;

/**
 * The original's rules: `TASK-N` / `N` look up by number; text with FTS5 syntax (quotes, `*`,
 * parentheses, `:`, AND/OR/NOT/NEAR) is passed through; anything else is one quoted phrase.
 */
export function toSearch(input: string): SearchQuery | undefined {
  const s = input.trim();
  const m = s.match(/^(?:TASK-)?(\d+)$/i);
  if (m) return { seq: Number(m[1]) };
  const t = s.replace(/[-\s]+$/, "");
  if (!t) return undefined;
  if (RAW_CHARS.test(t) || RAW_WORDS.test(t)) return { fts: t };
  return { fts: `"${t.replaceAll('"', '""')}"` };
}
