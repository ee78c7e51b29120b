import { escapeControls } from "./text.ts";

/** Go's %q quoting (strconv.Quote) for activity summaries, so reports match the original's. */
export function goQuote(s: string): string {
  const q = JSON.stringify(s);
  return q.includes("\\u00") ? q.replace(/\\u00([0-9a-f]{2})/g, "\\x$1") : q;
}

/**
 * Input echoed back in a message, as typed but in double quotes with control, bidi and zero-width
 * characters made visible (`\x1b`, `\u202e`), so a value cannot garble the terminal or page showing it.
 */
export function quoteInput(v: unknown): string {
  return `"${escapeControls(String(v).replace(/["\\]/g, "\\$&"))}"`;
}
