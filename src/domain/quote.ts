/** Go's %q quoting (strconv.Quote) for activity summaries, so reports match the original's. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\x$1");
}
