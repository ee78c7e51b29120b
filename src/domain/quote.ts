/** Go's %q quoting (strconv.Quote) for activity summaries, so reports match the original's. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\x$1");
}

/**
 * Input echoed back in a message, as typed but in double quotes with control, bidi and zero-width
 * characters escaped (`\x1b`, `\u202e`), so a value cannot garble the terminal or page showing it.
 * (A local helper: the shared escape function for terminal output may replace it.)
 */
export function quoteInput(v: unknown): string {
  const s = String(v).replace(/["\\]/g, "\\$&").replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (c) => {
      const n = c.charCodeAt(0);
      return n < 0x100 ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u${n.toString(16).padStart(4, "0")}`;
    },
  );
  return `"${s}"`;
}
