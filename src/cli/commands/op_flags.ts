import type { z } from "zod";
import { type Field, type Node, parseOp } from "../../domain/compiled_parse.ts";
import { COMPILED, type OpSchemas } from "../../domain/schemas_compiled.ts";
import { invalid, issueMessage } from "../../domain/errors.ts";
import { parseCount } from "../../domain/fields.ts";
import type { Flags } from "../spec.ts";

/**
 * Flag values become an operation's input the way HTTP's query strings do (http/request.ts qParse):
 * each field's schema says how its flag reads (a list, a boolean, a count, an amount, else text), and
 * the operation's schema (domain/schemas.ts, compiled so the CLI does not load zod) checks the result.
 */

type Op = keyof OpSchemas;
export type OpInput<K extends Op> = z.input<OpSchemas[K]>;
export type OpOutput<K extends Op> = z.output<OpSchemas[K]>;
/** The flag (without dashes) that gives each field of an operation. */
export type FlagMap<K extends Op, N extends string = string> = { [F in keyof OpInput<K>]?: N };

/** A command's context, `N` its flags' names. */
interface FlagCtx<N extends string> {
  flags: unknown;
  given(name: N): boolean;
}

/** A usage amount as typed: digits with an optional fraction. Raises invalid naming the flag. */
function amount(v: string, flag: string): number {
  const s = v.trim();
  if (!/^\d+(\.\d+)?$/.test(s)) throw invalid(`--${flag}: invalid number "${v}" (use 0 or more)`);
  return Number(s);
}

/** A flag's value as its field's schema takes it. Raises invalid naming the flag. */
function readFlag(node: Node, flag: string, v: unknown): unknown {
  if (Array.isArray(v)) return v; // a repeatable flag: its list (or tags) as given
  if ("list" in node) return [String(v ?? "")];
  if ("boolean" in node) return !!v;
  if ("int" in node || ("rule" in node && node.rule[0] === "count")) {
    return parseCount(String(v), `--${flag}`);
  }
  if ("rule" in node && node.rule[0] === "usage" && node.rule[1] !== "model") return amount(String(v), flag);
  return String(v ?? "");
}

/**
 * The rules whose messages the CLI words with the flag (`--due-date: invalid date …`), as it always has;
 * a choice's message is worded so too (parseInput).
 */
const FLAG_NAMED = new Set(["dueDate", "lease", "usage", "count", "actor"]);

/**
 * Parses an operation's input through its schema. A dates', leases', usage or counts' message names
 * the flag or file its field came from (`names`: `due_date: …` → `--due-date: …`). Raises invalid.
 */
export function parseInput<K extends Op>(
  op: K,
  input: OpInput<K>,
  names: Record<string, string> = {},
  flags: Record<string, string> = {},
): OpOutput<K> {
  const r = parseOp(op, input);
  if (r.ok) return r.value;
  const msg = issueMessage(r.issue);
  const field = String(r.issue.path[0]);
  // A required field left out (`title is required`, the original's words) gets a hint naming its flag.
  if (msg === `${field} is required` && flags[field]) throw invalid(msg, `give it with ${flags[field]}`);
  const node = (COMPILED[op] as { object: Record<string, Field> }).object[field]?.node;
  // A choice's message (`kind: invalid value "x" (valid: …)`, under the name its rule gives) names the
  // flag too: `kind` and `actor_kind` are no flags.
  const rule = node && "rule" in node ? node.rule : undefined;
  const label = rule?.[0] === "choiceOf" ? String(rule[1]) : field;
  const choice = msg.startsWith(`${label}: invalid value `);
  const named = (choice || (rule && FLAG_NAMED.has(rule[0]))) && names[field];
  throw invalid(named && msg.startsWith(`${label}: `) ? `${named}: ${msg.slice(label.length + 2)}` : msg);
}

/**
 * An operation's input from the flags given (`map`: field → flag) over `extra` (fields from
 * arguments, files or defaults, named in messages by `names`), parsed by parseInput. Raises invalid.
 */
export function parseFlags<K extends Op, N extends string>(
  ctx: FlagCtx<N>,
  op: K,
  map: FlagMap<K, NoInfer<N>>,
  opts: { extra?: Partial<OpInput<K>>; names?: Record<string, string> } = {},
): OpOutput<K> {
  const shape = (COMPILED[op] as { object: Record<string, Field> }).object;
  const input: Record<string, unknown> = { ...opts.extra };
  const names: Record<string, string> = { ...opts.names };
  const flags: Record<string, string> = {};
  for (const [field, flag] of Object.entries(map) as [string, N][]) {
    flags[field] = `--${flag}`;
    if (!ctx.given(flag)) continue;
    input[field] = readFlag(shape[field].node, flag, (ctx.flags as Flags)[flag]);
    names[field] = `--${flag}`;
  }
  return parseInput(op, input as OpInput<K>, names, flags);
}
