import { z } from "zod";
import {
  ACTOR_KINDS,
  choiceProblem,
  oneOfProblem,
  PRIORITY,
  priorityProblem,
  TASK_STATUSES,
  TASK_TYPES,
} from "./enums.ts";
import { parseDate, parseDueDate } from "./time.ts";
import { nameProblem } from "./text.ts";
import { aliasProblem, lengthProblem, textProblem } from "./fields.ts";
import { leaseOf } from "./claims.ts";
import { parseActor } from "./actor.ts";
import { usageProblem } from "./usage.ts";
import type { Rule } from "./compiled_parse.ts";

/**
 * The field builders of the operation schemas (schemas.ts): each refines with the zod-free rule the
 * services apply (fields.ts, enums.ts, time.ts, usage.ts), so a message reads the same on every surface.
 */

/**
 * What each builder below is, as plain data (compiled_parse.ts's `Rule`): `deno task gen:schemas`
 * compiles the operation schemas the CLI uses into schemas_compiled.ts through it, so the CLI parses
 * flag values by the same rules without loading zod. A clone (`.describe()`) inherits its entry.
 */
export const RULES = z.registry<{ rule: Rule }>();
const ruled = <T extends z.ZodType>(schema: T, rule: Rule): T => {
  RULES.add(schema, { rule });
  return schema;
};

export const LIMIT_DOC = "page size (default 50, MCP 20); 0 = the largest page the surface allows";

/** A refinement by one of the rules in fields.ts (a problem function: the message, or undefined). */
export const rule = <T extends z.ZodType<string>>(schema: T, problem: (v: string) => string | undefined) =>
  schema.refine((v) => problem(v) === undefined, { error: (iss) => problem(String(iss.input)) });

/** The problem function of a parser that raises (its message, or undefined when it accepts). */
const raises = (parse: (v: string) => unknown) => (v: string) => {
  try {
    parse(v);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

/** A required text field of at most `max` bytes (trimmed): the rule of `requireText`. */
export const text = (field: string, max = 255) => ruled(textOf(field, max), ["text", field, max]);
const textOf = (field: string, max: number) =>
  rule(
    z.string({ error: (iss) => typeProblem(field, iss.input) }).trim(),
    (v) => textProblem(v.trim(), field, max),
  );

/** A required text that is not a string: missing (`title is required`) or of another type. */
export const typeProblem = (field: string, v: unknown) =>
  v === undefined ? `${field} is required` : `${field} must be a string`;

/**
 * The refinement every title, name, label and tag goes through on every surface (the services
 * apply the same `nameProblem` through `requireName`): no control, bidi or zero-width characters.
 */
export const safeName = <T extends z.ZodType<string>>(schema: T, field: string) =>
  rule(schema, (v) => nameProblem(v, field));

/** A required title or name of at most `max` bytes (trimmed), refined by safeName. */
export const nameText = (field: string, max = 255) =>
  ruled(safeName(textOf(field, max), field), ["nameText", field, max]);

/** An optional name (may be empty), refined by safeName. */
export const optName = (field: string, max = 255) =>
  ruled(safeName(optTextOf(field, max), field), ["optName", field, max]).optional();

/** An optional text of at most `max` bytes: the rule of `boundedText`. */
const optTextOf = (field: string, max: number) =>
  rule(z.string({ error: `${field} must be a string` }), (v) => lengthProblem(v, field, max));
export const optText = (field: string, max = 65535) =>
  ruled(optTextOf(field, max), ["optText", field, max]).optional();

/**
 * One of `vals`, in any case and with spaces trimmed (as the CLI's parsers take it), refused with
 * `problem(input)`, the input quoted as typed. Documented (JSON Schema) as the enum itself.
 */
function enumOf<const T extends readonly [string, ...string[]]>(vals: T, problem: (v: unknown) => string) {
  const e = z.enum(vals, { error: (iss) => problem(iss.input) });
  const s = z.preprocess((v, ctx) => {
    if (typeof v !== "string") return v;
    const x = v.trim().toLowerCase();
    if ((vals as readonly string[]).includes(x)) return x;
    ctx.addIssue({ code: "custom", message: problem(v), input: v });
    return z.NEVER;
  }, e);
  // The input is any string (normalised above); the output one of vals.
  return s as unknown as z.ZodType<T[number], string>;
}

/** One of `vals`, refused as `invalid <what> "<input>" (valid: …)`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(what: string, vals: T) =>
  ruled(enumOf(vals, (v) => oneOfProblem(what, v, vals)), ["oneOf", what, vals]);

/** One of `vals`, refused as `<field>: invalid value "<input>" (valid: …)` (the rule of parseChoice). */
export const choiceOf = <const T extends readonly [string, ...string[]]>(field: string, vals: T) =>
  ruled(enumOf(vals, (v) => choiceProblem(v, field, vals)), ["choiceOf", field, vals]);

export const TaskTypeSchema = oneOf("type", TASK_TYPES);
export const TaskStatusSchema = oneOf("status", TASK_STATUSES);
export const ActorKindSchema = choiceOf("kind", ACTOR_KINDS);

/** 1..5 or "P1".."P5" (any case). */
const badPriority = { error: (iss: { input?: unknown }) => priorityProblem(iss.input) };
export const PrioritySchema = ruled(
  z.union([
    z.int(badPriority).min(1, badPriority).max(5, badPriority),
    z.string(badPriority).regex(PRIORITY, badPriority),
  ], badPriority),
  ["priority"],
).describe("1-5 or P1-P5 (1 = highest)");

export const AliasSchema = ruled(rule(z.string({ error: "alias must be a string" }), aliasProblem), ["alias"])
  .describe("project alias: lowercase letters, digits and hyphens");

/** A calendar date or timestamp: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS (UTC) or RFC3339. */
export const DateSchema = z.string({ error: "date must be a string" }).refine((v) => {
  try {
    parseDate(v);
    return true;
  } catch {
    return false;
  }
}, { error: (iss) => `invalid date ${JSON.stringify(iss.input)} (use YYYY-MM-DD or RFC3339)` })
  .describe("YYYY-MM-DD or RFC3339");

/** A due date as every surface takes it (parseDueDate): a date, or "" / "none" for no due date. */
export const DueDateSchema = ruled(
  rule(z.string({ error: "due_date must be a string" }), raises((v) => parseDueDate(v, "due_date"))),
  ["dueDate"],
).describe('YYYY-MM-DD or RFC3339; "" = none');

/** A lease as every surface takes it (leaseOf): a duration such as 30m, 1h30m, 2h. */
export const LeaseSchema = ruled(
  rule(z.string({ error: "lease must be a string" }), raises((v) => leaseOf(v, "lease"))),
  ["lease"],
).describe("lease duration, e.g. 30m (default 30m)");

/** An actor as `kind:name` (parseActor's rule; the CLI names its flag: `--actor: invalid actor …`). */
export const ActorRef = ruled(
  rule(z.string({ error: "actor must be a string" }), raises((v) => parseActor(v, "actor"))),
  ["actor"],
).describe("human:<name> or ai:<name>");

/**
 * An object that needs one of `keys` (the first is the field's name, the others its other names),
 * refused with `message` when none is given. Recorded as a rule so the compiled parse applies it.
 */
export const oneRequired = <T extends z.ZodObject>(schema: T, keys: readonly string[], message: string): T =>
  ruled(
    schema.refine((o) => keys.some((k) => (o as Record<string, unknown>)[k] !== undefined), {
      error: message,
    }),
    ["oneRequired", keys, message],
  );

/** A task by TASK-N, N or ID. */
export const TaskRef = z.string({ error: "must be a task reference (TASK-N, N or ID)" })
  .describe("TASK-N, N or ID");

/** A ULID (plans, docs, memory entries). */
export const Id = z.string({ error: "must be an ID" });

/** A version number (1 = the first). */
export const VersionNo = z.int({ error: "version must be a whole number" }).min(0, {
  error: "version must be a whole number ≥ 0 (0 = the current one)",
});

/** A whole number ≥ 0, refused with `msg` (limits, offsets, example counts). */
export const count = (msg: string) => ruled(z.int({ error: msg }).min(0, { error: msg }), ["count", msg]);

/** limit and offset of every list, under the paging rule (domain/paging.ts). */
export const Paging = {
  limit: count("limit: must be a whole number ≥ 0 (0 = the largest page)").optional().describe(LIMIT_DOC),
  offset: count("offset must be a non-negative integer").optional(),
};

/** The list schemas that also take one comma-separated string (query strings, MCP), with their items. */
export const LIST_ITEMS = new WeakMap<z.ZodType, z.ZodType>();

/**
 * A list a surface may send as an array, one value, or values separated by commas ("todo,doing"):
 * it is read as the array of its trimmed, non-empty parts, each checked by `item` (none: undefined).
 */
export function listOf<T extends z.ZodType>(
  item: T,
): z.ZodType<z.output<T>[] | undefined, string | string[]> {
  const s = z.preprocess((v) => {
    if (v === undefined || v === null) return v;
    const parts = (Array.isArray(v) ? v : [v]).flatMap((p) =>
      typeof p === "string" ? p.split(",").map((x) => x.trim()).filter(Boolean) : [p]
    );
    return parts.length ? parts : undefined;
  }, z.array(item).optional());
  LIST_ITEMS.set(s, item);
  return s as unknown as z.ZodType<z.output<T>[] | undefined, string | string[]>;
}

export const Labels = ruled(
  z.array(safeName(z.string({ error: "labels must be strings" }), "label"), {
    error: "labels must be an array of strings",
  }).max(100),
  ["labels"],
);

/** Tags of a memory entry: a list, or one comma-separated string. */
export const Tags = ruled(
  z.union([z.string(), z.array(z.string())], { error: "tags must be a string or a list of strings" }),
  ["tags"],
).describe("comma-separated or a list");

/** A usage field, checked by the rule of checkUsage. */
const usageField = (k: "input_tokens" | "output_tokens" | "cost_usd") =>
  ruled(
    z.number({ error: (iss) => usageProblem(k, iss.input) }).refine((v) => usageProblem(k, v) === undefined, {
      error: (iss) => usageProblem(k, iss.input),
    }),
    ["usage", k],
  );

/** Usage the claim's holder may report with a write under the claim (accumulated onto its run). */
export const UsageFields = {
  input_tokens: usageField("input_tokens").optional().describe("input tokens spent since the last report"),
  output_tokens: usageField("output_tokens").optional().describe("output tokens spent since the last report"),
  cost_usd: usageField("cost_usd").optional().describe("cost in USD since the last report"),
  model: ruled(
    z.string({ error: (iss) => usageProblem("model", iss.input) }).refine(
      (v) => usageProblem("model", v) === undefined,
      { error: (iss) => usageProblem("model", iss.input) },
    ),
    ["usage", "model"],
  ).optional().describe("model name, e.g. claude-sonnet-4"),
};

// Nanosecond timestamps exceed 2^53, so z.int() (safe integers only) cannot describe them.
export const Ns = z.number().min(0).refine(Number.isInteger, "must be whole nanoseconds").describe(
  "Unix nanoseconds",
);
