// Compiles the operation schemas the CLI parses its flags through (src/domain/schemas.ts) into plain
// data, src/domain/schemas_compiled.ts, read by src/domain/compiled_parse.ts without zod.
// `deno task gen:schemas` rewrites it; tests/domain/compiled_parse_test.ts fails when it is stale.
import type { z } from "zod";
import * as S from "../src/domain/schemas.ts";
import { LIST_ITEMS, RULES } from "../src/domain/schema_fields.ts";
import type { Field, Node } from "../src/domain/compiled_parse.ts";

/** The operations the CLI takes input for: `backlog schema` name → export of schemas.ts. */
export const OPS = {
  project_input: "ProjectInputSchema",
  project_update: "ProjectUpdateSchema",
  task_input: "TaskInputSchema",
  task_update: "TaskUpdateSchema",
  task_move: "TaskMoveSchema",
  task_guard: "TaskGuardSchema",
  task_query: "TaskQuerySchema",
  claim_input: "ClaimInputSchema",
  next_input: "NextInputSchema",
  queue_query: "QueueQuerySchema",
  renew_input: "RenewInputSchema",
  release_input: "ReleaseInputSchema",
  dep_input: "DepInputSchema",
  comment_input: "CommentInputSchema",
  comment_query: "CommentQuerySchema",
  plan_input: "PlanAddSchema",
  plan_update: "PlanUpdateSchema",
  plan_show: "PlanShowSchema",
  report_query: "ReportQuerySchema",
  label_input: "LabelInputSchema",
  label_attach: "LabelAttachSchema",
  memory_input: "MemoryInputSchema",
  memory_update: "MemoryUpdateSchema",
  memory_append: "MemoryAppendSchema",
  memory_query: "MemoryQuerySchema",
  doc_input: "DocInputSchema",
  doc_update: "DocUpdateSchema",
  doc_append: "DocAppendSchema",
  doc_query: "DocQuerySchema",
  doc_show: "DocShowSchema",
  attachment_fields: "AttachmentFieldsSchema",
  attachment_query: "AttachmentQuerySchema",
  token_create: "TokenCreateSchema",
  token_query: "TokenQuerySchema",
  activity_query: "ActivityQuerySchema",
  activity_analyze: "ActivityAnalyzeSchema",
  doctor_project: "DoctorProjectSchema",
} as const satisfies Record<string, keyof typeof S>;

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  checks?: { _zod: { def: Check } }[];
  format?: string;
  error?: (iss: unknown) => unknown;
};
type Check = {
  check: string;
  value?: number;
  maximum?: number;
  inclusive?: boolean;
  error?: (iss: unknown) => unknown;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** A schema's own error message, when it sets one that does not depend on the input. */
function ownError(d: Def | Check, where: string): string | null {
  if (!d.error) return null;
  const say = (input: unknown) => {
    const r = d.error!({ code: "invalid_type", input, expected: "type" in d ? d.type : d.check });
    return typeof r === "string" ? r : (r as { message?: string })?.message;
  };
  const msg = say(5);
  if (typeof msg !== "string" || msg !== say(["x"])) {
    throw new Error(`${where}: an input-dependent error needs a rule`);
  }
  return msg;
}

/** The compiled form of `s` and whether it may be absent. Throws on a schema the interpreter lacks. */
export function compile(s: z.ZodType, where: string): Field {
  const meta = RULES.get(s);
  const d = defOf(s);
  // A rule on an object (oneRequired) checks it after its fields: both compile.
  if (meta && d.type !== "object") return { node: { rule: meta.rule } };
  const item = LIST_ITEMS.get(s);
  if (item) return { node: { list: compile(item, `${where}[]`).node } };
  const checks = (d.checks ?? []).map((c) => c._zod.def);
  const plain = (node: Node) => {
    if (checks.length) throw new Error(`${where}: ${d.type} with checks needs a rule`);
    return { node };
  };
  switch (d.type) {
    case "optional":
      return { ...compile(d.innerType!, where), optional: true };
    case "string":
      return plain({ string: ownError(d, where) });
    case "boolean":
      if (d.error) throw new Error(`${where}: a boolean with its own error needs a rule`);
      return plain({ boolean: null });
    case "number": {
      if (d.format !== "safeint") throw new Error(`${where}: only z.int() compiles`);
      const min = checks.find((c) => c.check === "greater_than" && c.inclusive);
      if (checks.length !== (min ? 1 : 0)) throw new Error(`${where}: only .min() compiles on z.int()`);
      const error = ownError(d, where);
      const minError = min ? ownError(min, where) : null;
      return {
        node: {
          int: {
            ...(min ? { min: min.value } : {}),
            ...(error !== null ? { error } : {}),
            ...(minError !== null ? { minError } : {}),
          },
        },
      };
    }
    case "array": {
      const max = checks.find((c) => c.check === "max_length");
      if (checks.length !== (max ? 1 : 0)) throw new Error(`${where}: only .max() compiles on arrays`);
      const node: Node = { array: compile(d.element!, `${where}[]`).node, error: ownError(d, where) };
      return { node: max ? { ...node, max: max.maximum } : node };
    }
    case "object": {
      if (checks.length !== (meta ? 1 : 0)) {
        throw new Error(`${where}: an object refinement compiles only as a rule (oneRequired)`);
      }
      const object = Object.fromEntries(
        Object.entries(d.shape!).map(([k, f]) => [k, compile(f, `${where}.${k}`)]),
      );
      const strict = defOf(d.catchall ?? s).type === "never";
      return { node: { object, strict, ...(meta ? { check: meta.rule } : {}) } };
    }
  }
  throw new Error(`${where}: a ${d.type} schema does not compile`);
}

/** The text of schemas_compiled.ts. */
export function generate(): string {
  const lines = [
    "// Generated by `deno task gen:schemas` (scripts/gen_schemas.ts) from schemas.ts: do not edit.",
    "// The operation schemas the CLI parses its flags through, as data for compiled_parse.ts (no zod).",
    'import type { Node } from "./compiled_parse.ts";',
    'import type * as S from "./schemas.ts";',
    "",
    "/** Each operation's schema type (types only: nothing of zod loads at run time). */",
    "export interface OpSchemas {",
    ...Object.entries(OPS).map(([op, name]) => `  ${op}: typeof S.${name};`),
    "}",
    "",
    "/** Each operation's compiled schema. */",
    "export const COMPILED: Record<keyof OpSchemas, Node> = {",
  ];
  for (const [op, name] of Object.entries(OPS)) {
    const { node } = compile(S[name] as unknown as z.ZodType, op);
    if (!("object" in node)) throw new Error(`${op}: not an object schema`);
    lines.push(`  ${op}: {`, `    strict: ${node.strict},`);
    if (node.check) lines.push(`    check: ${JSON.stringify(node.check)},`);
    lines.push("    object: {");
    for (const [k, f] of Object.entries(node.object)) lines.push(`      ${k}: ${JSON.stringify(f)},`);
    lines.push("    },", "  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}

export const OUT = new URL("../src/domain/schemas_compiled.ts", import.meta.url);

if (import.meta.main) await Deno.writeTextFile(OUT, generate());
