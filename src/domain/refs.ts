import { invalid } from "./errors.ts";
import { quoteInput } from "./quote.ts";

/** A task reference as typed: TASK-12, 12, a full ULID or a unique ULID prefix (≥ 4 chars). */
export type TaskRef = { kind: "seq"; seq: number } | { kind: "id"; id: string };

const ULID_CHARS = /^[0-9A-HJKMNP-TV-Z]+$/;

/** Parses a task ref. Raises invalid for an empty or malformed ref. */
export function parseTaskRef(input: string): TaskRef {
  const s = String(input ?? "").trim().toUpperCase();
  if (!s) throw invalid("task ref is empty (use TASK-N, N or an ID)");
  const n = s.replace(/^TASK-/, "");
  if (/^\d+$/.test(n)) return { kind: "seq", seq: Number(n) };
  // The original text, so an error echoes what was typed (not its upper-cased form).
  return { kind: "id", id: parseIdPrefix(String(input).trim(), "task") };
}

/** Normalises a ULID or ULID prefix (case-insensitive). Raises invalid for a bad shape. */
export function parseIdPrefix(input: string, entity: string): string {
  const s = String(input ?? "").trim().toUpperCase();
  if (!s) throw invalid(`${entity} id is empty`);
  if (s.length > 26 || !ULID_CHARS.test(s)) throw invalid(`invalid ${entity} id ${quoteInput(input)}`);
  if (s.length < 4) {
    throw invalid(`${entity} id ${quoteInput(input)} is too short (use at least 4 characters)`);
  }
  return s;
}

/** The first 8 characters of a ULID: the original's form in activity summaries and command results. */
export const shortId = (id: string) => id.slice(0, 8);
/**
 * An ID as tables and listings show it, for typing back as input: its first 10 characters, the
 * millisecond it was made. The original's 8 cover ~1 s, so things made in one burst shared them and
 * none could be named by them; 10 tell apart all but things made in the same millisecond (an import),
 * and for those the ambiguous-prefix error lists the matches.
 */
export const displayId = (id: string) => id.slice(0, 10);
export const taskRef = (seq: number | null | undefined) => `TASK-${seq ?? 0}`;
