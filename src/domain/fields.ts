import { invalid } from "./errors.ts";
import { quoteInput } from "./quote.ts";
import { nameProblem } from "./text.ts";

/**
 * The rules of text fields, written once: the services apply them through the functions below, and
 * the zod builders in schemas.ts (what HTTP bodies, MCP arguments and `backlog schema` use) refine
 * with the same problem functions and messages. Zod-free, so the CLI does not load zod at start-up.
 */

const enc = new TextEncoder();
/** A string's length in UTF-8 bytes (the unit of every max length). */
export const byteLength = (s: string) => enc.encode(s).length;

/** The problem of a required text (already trimmed), or undefined. */
export function textProblem(s: string, field: string, max: number): string | undefined {
  if (!s) return `${field} is required`;
  return lengthProblem(s, field, max);
}

/** The problem of a text over `max` bytes (the original's unit, which its message called characters). */
export function lengthProblem(s: string, field: string, max: number): string | undefined {
  return byteLength(s) > max ? `${field} exceeds max length of ${max} bytes (UTF-8)` : undefined;
}

function check(problem: string | undefined): void {
  if (problem) throw invalid(problem);
}

/** A required, bounded text field (titles, names, bodies), trimmed. Raises invalid. */
export function requireText(v: string | undefined, field: string, max = 255): string {
  const s = (v ?? "").trim();
  check(textProblem(s, field, max));
  return s;
}

/**
 * A required title, name or label: bounded like requireText, and free of control, bidirectional
 * and zero-width characters (the rule of `nameProblem`). Raises invalid.
 */
export function requireName(v: string | undefined, field: string, max = 255): string {
  const s = requireText(v, field, max);
  check(nameProblem(s, field));
  return s;
}

/** An optional name (assignee, colour, tag): may be empty, otherwise as requireName. Raises invalid. */
export function optionalName(v: string, field: string, max = 255): string {
  check(lengthProblem(v, field, max) ?? nameProblem(v, field));
  return v;
}

/** An optional bounded text field (descriptions). Raises invalid. */
export function boundedText(v: string, field: string, max = 65535): string {
  check(lengthProblem(v, field, max));
  return v;
}

/** The longest project alias, in characters. */
export const ALIAS_MAX = 64;
/** A project alias: lowercase letters, digits and hyphens, at most ALIAS_MAX. */
export const ALIAS = new RegExp(`^[a-z0-9][a-z0-9-]{0,${ALIAS_MAX - 1}}$`);

/**
 * The problem of a project alias, or undefined: the first of too long (the value is not echoed),
 * a character outside a-z, 0-9 and "-", a leading hyphen.
 */
export function aliasProblem(alias: string): string | undefined {
  if (!alias) return "alias is required";
  const length = [...alias].length;
  if (length > ALIAS_MAX) return `alias exceeds max length of ${ALIAS_MAX} characters (got ${length})`;
  if (!/^[a-z0-9-]+$/.test(alias)) {
    return `alias ${quoteInput(alias)} must be lowercase alphanumeric with optional hyphens`;
  }
  if (!ALIAS.test(alias)) return `alias ${quoteInput(alias)} must start with a lowercase letter or digit`;
}

/** Validates a project alias. Raises invalid. */
export function validateAlias(alias: string): string {
  check(aliasProblem(alias));
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
