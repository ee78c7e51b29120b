/** Validation problems as `field: message` pairs (zod issues → user-facing lines). */

export interface FieldError {
  /** Item index in a findings file (absent for file-level problems). */
  index?: number;
  /** Dotted path with [i] for array positions, e.g. `plans[0].title`. */
  field: string;
  message: string;
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** `["items", 3, "type"]` → `items[3].type`. */
export function pathString(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** `field: message` of one error, with `items[i].` in front when it belongs to an item. */
export function errorLine(e: FieldError, items = "items"): string {
  const where = e.index === undefined ? e.field : `${items}[${e.index}]${e.field ? `.${e.field}` : ""}`;
  return where ? `${where}: ${e.message}` : e.message;
}

/** A one-line summary of several errors: the first few, then a count of the rest. */
export function summarize(lines: string[], what = "invalid field"): string {
  const shown = lines.slice(0, 3).join("; ");
  const more = lines.length > 3 ? ` (+${lines.length - 3} more)` : "";
  return `${lines.length} ${what}${lines.length === 1 ? "" : "s"}: ${shown}${more}`;
}

/** Converts zod issues to field errors and their summary. */
export function issueList(issues: readonly Issue[]): { errors: FieldError[]; summary: string } {
  const errors = issues.map((i) => ({ field: pathString(i.path), message: i.message }));
  return { errors, summary: summarize(errors.map((e) => errorLine(e))) };
}
