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

export const shortId = (id: string) => id.slice(0, 8);
export const taskRef = (seq: number | null | undefined) => `TASK-${seq ?? 0}`;
