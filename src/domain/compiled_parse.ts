import { choiceProblem, oneOfProblem, PRIORITY, priorityProblem } from "./enums.ts";
import { aliasProblem, lengthProblem, textProblem } from "./fields.ts";
import { nameProblem } from "./text.ts";
import { parseDueDate } from "./time.ts";
import { leaseOf } from "./claims.ts";
import { parseActor } from "./actor.ts";
import { type Usage, usageProblem } from "./usage.ts";
import type { z } from "zod";
import { COMPILED, type OpSchemas } from "./schemas_compiled.ts";

/**
 * Parses an input object through an operation schema compiled to plain data (schemas_compiled.ts,
 * generated from schemas.ts by `deno task gen:schemas`), with the zod-free problem functions the zod
 * builders in schema_fields.ts refine with: the same output and the same first issue as zod's
 * safeParse (tests/domain/compiled_parse_test.ts holds the two to each other), without loading zod,
 * so the CLI parses its flag values through the operation's schema at no start-up cost.
 */

/** A field builder of schema_fields.ts as data: its name and arguments. */
export type Rule =
  | readonly ["text" | "nameText" | "optText" | "optName", string, number]
  | readonly ["oneOf" | "choiceOf", string, readonly string[]]
  | readonly ["priority"]
  | readonly ["alias"]
  | readonly ["dueDate"]
  | readonly ["lease"]
  | readonly ["actor"]
  | readonly ["oneRequired", readonly string[], string]
  | readonly ["labels"]
  | readonly ["tags"]
  | readonly ["count", string]
  | readonly ["usage", keyof Usage];

/** A compiled schema: a builder's rule, or one of the plain zod types the operation schemas use. */
export type Node =
  | { readonly rule: Rule }
  | { readonly list: Node }
  | { readonly string: string | null }
  | { readonly boolean: null }
  | { readonly int: { readonly min?: number; readonly error?: string; readonly minError?: string } }
  | { readonly array: Node; readonly max?: number; readonly error: string | null }
  | ObjectNode;

/** An object's fields, whether it refuses unknown keys, and a rule on the whole object (oneRequired). */
export interface ObjectNode {
  readonly object: Readonly<Record<string, Field>>;
  readonly strict: boolean;
  readonly check?: Rule;
}

/** A field of an object: its schema, and whether it may be absent. */
export interface Field {
  readonly node: Node;
  readonly optional?: boolean;
}

/** The first issue of a failed parse: where, and zod's message. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

export type Parsed<T = unknown> = { ok: true; value: T } | { ok: false; issue: Issue };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string, path: (string | number)[] = []): Parsed<never> => ({
  ok: false,
  issue: { path, message },
});

/** What zod calls the type of a value in its messages ("received number"). */
function received(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? "number" : String(v);
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    return proto !== Object.prototype && proto !== null && v.constructor ? v.constructor.name : "object";
  }
  return typeof v;
}
const expected = (type: string, v: unknown) => `Invalid input: expected ${type}, received ${received(v)}`;

/** The message of a parser that raises, or undefined when it accepts. */
function raised(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const isString = (v: unknown): v is string => typeof v === "string";
const checked = (v: unknown, problem: string | undefined) => problem === undefined ? ok(v) : fail(problem);

/** One builder's rule (schema_fields.ts), applied as its zod schema applies it. */
function applyRule(r: Rule, v: unknown): Parsed {
  switch (r[0]) {
    case "text":
    case "nameText": {
      const [kind, field, max] = r;
      if (!isString(v)) return fail(v === undefined ? `${field} is required` : `${field} must be a string`);
      const s = v.trim();
      return checked(
        s,
        textProblem(s, field, max) ?? (kind === "nameText" ? nameProblem(s, field) : undefined),
      );
    }
    case "optText":
    case "optName": {
      const [kind, field, max] = r;
      if (!isString(v)) return fail(`${field} must be a string`);
      return checked(
        v,
        lengthProblem(v, field, max) ?? (kind === "optName" ? nameProblem(v, field) : undefined),
      );
    }
    case "oneOf":
    case "choiceOf": {
      const [kind, what, vals] = r;
      const x = isString(v) ? v.trim().toLowerCase() : v;
      if (isString(x) && vals.includes(x)) return ok(x);
      return fail(kind === "oneOf" ? oneOfProblem(what, v, vals) : choiceProblem(v, what, vals));
    }
    case "priority": {
      const good = typeof v === "number"
        ? Number.isInteger(v) && v >= 1 && v <= 5
        : isString(v) && PRIORITY.test(v);
      return good ? ok(v) : fail(priorityProblem(v));
    }
    case "alias":
      return isString(v) ? checked(v, aliasProblem(v)) : fail("alias must be a string");
    case "dueDate":
      return isString(v)
        ? checked(v, raised(() => parseDueDate(v, "due_date")))
        : fail("due_date must be a string");
    case "lease":
      return isString(v) ? checked(v, raised(() => leaseOf(v, "lease"))) : fail("lease must be a string");
    case "actor":
      return isString(v) ? checked(v, raised(() => parseActor(v, "actor"))) : fail("actor must be a string");
    case "oneRequired": {
      const o = v as Record<string, unknown>;
      return r[1].some((k) => o[k] !== undefined) ? ok(v) : fail(r[2]);
    }
    case "count": {
      const good = typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
      return good ? ok(v) : fail(r[1]);
    }
    case "usage":
      return checked(v, usageProblem(r[1], v));
    case "labels": {
      const bad = "labels must be an array of strings";
      if (!Array.isArray(v) || v.length > 100) return fail(bad);
      for (const [i, x] of v.entries()) {
        if (!isString(x)) return fail("labels must be strings", [i]);
        const p = nameProblem(x, "label");
        if (p) return fail(p, [i]);
      }
      return ok(v);
    }
    case "tags":
      return isString(v) || (Array.isArray(v) && v.every(isString))
        ? ok(v)
        : fail("tags must be a string or a list of strings");
  }
}

/** Parses `v` through the compiled schema `node`. */
export function parseNode(node: Node, v: unknown): Parsed {
  if ("rule" in node) return applyRule(node.rule, v);
  if ("string" in node) return isString(v) ? ok(v) : fail(node.string ?? expected("string", v));
  if ("boolean" in node) return typeof v === "boolean" ? ok(v) : fail(expected("boolean", v));
  if ("int" in node) {
    const { min, error, minError } = node.int;
    if (typeof v !== "number" || !Number.isFinite(v)) return fail(error ?? expected("number", v));
    if (!Number.isInteger(v)) return fail(error ?? expected("int", v));
    if (min !== undefined && v < min) return fail(minError ?? `Too small: expected number to be >=${min}`);
    if (!Number.isSafeInteger(v)) {
      return fail(error ?? `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
    }
    return ok(v);
  }
  if ("list" in node) return parseList(node.list, v);
  if ("array" in node) return parseArray(node, v);
  return parseObject(node, v);
}

/** listOf (schema_fields.ts): an array, one value, or comma-separated values; none is undefined. */
function parseList(item: Node, v: unknown): Parsed {
  if (v === undefined || v === null) return v === null ? fail(expected("array", v)) : ok(undefined);
  const parts = (Array.isArray(v) ? v : [v]).flatMap((p) =>
    isString(p) ? p.split(",").map((x) => x.trim()).filter(Boolean) : [p]
  );
  if (!parts.length) return ok(undefined);
  return parseArray({ array: item, error: null }, parts);
}

function parseArray(node: { array: Node; max?: number; error: string | null }, v: unknown): Parsed {
  if (!Array.isArray(v)) return fail(node.error ?? expected("array", v));
  // zod checks the length before the items.
  if (node.max !== undefined && v.length > node.max) {
    return fail(node.error ?? `Too big: expected array to have <=${node.max} items`);
  }
  const out: unknown[] = [];
  for (const [i, x] of v.entries()) {
    const r = parseNode(node.array, x);
    if (!r.ok) return fail(r.issue.message, [i, ...r.issue.path]);
    out.push(r.value);
  }
  return ok(out);
}

function parseObject(node: ObjectNode, v: unknown): Parsed {
  if (!v || typeof v !== "object" || Array.isArray(v)) return fail(expected("object", v));
  const input = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(node.object)) {
    if (input[key] === undefined && field.optional) {
      if (key in input) out[key] = undefined;
      continue;
    }
    const r = parseNode(field.node, input[key]);
    if (!r.ok) return fail(r.issue.message, [key, ...r.issue.path]);
    out[key] = r.value;
  }
  const extra = Object.keys(input).filter((k) => !(k in node.object));
  if (node.strict && extra.length) {
    return fail(`Unrecognized key${extra.length > 1 ? "s" : ""}: ${extra.map((k) => `"${k}"`).join(", ")}`);
  }
  return node.check ? applyRule(node.check, out) : ok(out);
}

/** An operation's input parsed through its compiled schema (what zod's safeParse of it gives). */
export function parseOp<K extends keyof OpSchemas>(
  op: K,
  input: z.input<OpSchemas[K]>,
): Parsed<z.output<OpSchemas[K]>> {
  return parseNode(COMPILED[op], input) as Parsed<z.output<OpSchemas[K]>>;
}
