import { invalid } from "./errors.ts";
import { nameProblem } from "./text.ts";

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s).length;

/** A required, bounded text field (titles, names). Raises invalid. */
export function requireText(v: string | undefined, field: string, max = 255): string {
  const s = (v ?? "").trim();
  if (!s) throw invalid(`${field} is required`);
  if (bytes(s) > max) throw invalid(`${field} exceeds max length of ${max} characters`);
  return s;
}

/**
 * A required title, name or label: bounded like requireText, and free of control, bidirectional
 * and zero-width characters (the rule of `nameProblem`). Raises invalid.
 */
export function requireName(v: string | undefined, field: string, max = 255): string {
  return checkName(requireText(v, field, max), field);
}

/** An optional name (assignee, colour, tag): may be empty, otherwise as requireName. Raises invalid. */
export function optionalName(v: string, field: string, max = 255): string {
  return checkName(boundedText(v, field, max), field);
}

function checkName(s: string, field: string): string {
  const problem = nameProblem(s, field);
  if (problem) throw invalid(problem);
  return s;
}

/** An optional bounded text field (descriptions). Raises invalid. */
export function boundedText(v: string, field: string, max = 65535): string {
  if (bytes(v) > max) throw invalid(`${field} exceeds max length of ${max} characters`);
  return v;
}

const ALIAS = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Validates a project alias. Raises invalid. */
export function validateAlias(alias: string): string {
  if (!alias) throw invalid("alias is required");
  if (!ALIAS.test(alias)) {
    throw invalid(`alias "${alias}" must be lowercase alphanumeric with optional hyphens`);
  }
  return alias;
}

/** Joins appended text the original's way: a newline unless one side already has it. */
export function appendText(body: string, text: string): string {
  if (!body || body.endsWith("\n") || text.startsWith("\n")) return body + text;
  return `${body}\n${text}`;
}

/** A non-negative whole number as typed (limits, offsets, versions): at most 15 digits. Raises invalid. */
export function parseCount(v: string, name: string): number {
  const s = v.trim();
  if (!/^\d{1,15}$/.test(s)) throw invalid(`${name}: invalid number "${v}" (use a non-negative integer)`);
  return Number(s);
}
