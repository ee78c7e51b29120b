/** Random inputs for scripts/fuzz.ts: a seeded PRNG, nasty strings, argv vectors and JSON values. */
import type { CommandSpec } from "../src/cli/spec.ts";

/** mulberry32: small, fast, seedable. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = Awaited<ReturnType<typeof rng>>;

/** Values that have broken parsers before: refs, numbers, dates, durations, injection, unicode. */
export const NASTY = [
  "",
  " ",
  "TASK-1",
  "task-2",
  "1",
  "3",
  "TASK-0",
  "TASK--1",
  "TASK-99999999999999999999",
  "0",
  "-1",
  "1.5",
  "1e309",
  "NaN",
  "Infinity",
  "0x10",
  "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  "01AR",
  "01",
  "ILOU",
  "todo",
  "doing",
  "done",
  "DONE",
  "bug",
  "bucket-list",
  "epic",
  "P1",
  "p5",
  "P0",
  "P9",
  "6",
  "30m",
  "2s",
  "0s",
  "-5m",
  "1h30m",
  "99999w",
  "2026-01-01",
  "2026-02-30",
  "2026-13-45",
  "2026-01-01T10:00:00Z",
  "yesterday",
  "api",
  "ops", // not "web": as a first word that would start the web server
  "API",
  "no-such-project",
  "human:alice",
  "ai:claude",
  "ai:",
  "robot:x",
  ":",
  "-",
  "--",
  "---",
  "-x",
  "--json",
  "'; DROP TABLE tasks; --",
  '" OR 1=1 --',
  "%",
  "_",
  "*",
  "a OR b",
  '"unterminated',
  "NEAR(",
  "login*",
  // Relative paths only: the fuzzer runs in a temp directory, and must never write elsewhere.
  "../escape.json",
  "sub/dir/file.json",
  "file.json",
  "out.csv",
  "null",
  "true",
  "{}",
  "[]",
  '{"title": 5}',
  "<script>alert(1)</script>",
  "💥🔥",
  "名前",
  "\u0000",
  "\u202e",
  "tab\there",
  "line\nbreak",
  "x".repeat(300),
  "y".repeat(70_000),
];

/** Commands that run until interrupted; the fuzzer skips them. */
const LONG_RUNNING = new Set(["web", "watch", "serve"]);

const GLOBAL_BOOLS = ["--json", "--quiet", "--help", "-h"];

function value(r: Rng): string {
  if (r.chance(0.8)) return r.pick(NASTY);
  const len = r.int(12);
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(r.chance(0.9) ? 32 + r.int(95) : r.int(0x3000));
  return s;
}

/** One random argv vector, mostly shaped like the command table, sometimes pure garbage. */
export function randomArgv(r: Rng, root: CommandSpec): string[] {
  if (r.chance(0.05)) return Array.from({ length: r.int(6) }, () => value(r));
  const argv: string[] = [];
  let cmd = root;
  while (cmd.subcommands?.length && r.chance(0.93)) {
    const subs = cmd.subcommands.filter((c) => !LONG_RUNNING.has(c.name));
    if (!subs.length) break;
    const sub = r.pick(subs);
    argv.push(r.chance(0.15) && sub.aliases?.length ? r.pick(sub.aliases) : sub.name);
    cmd = sub;
    if (r.chance(0.03)) argv.push(value(r)); // an unknown subcommand
  }
  if (LONG_RUNNING.has(cmd.name)) return ["version"];
  const nArgs = (cmd.args?.length ?? 0) + (r.chance(0.2) ? 1 : 0) - (r.chance(0.15) ? 1 : 0);
  for (let i = 0; i < nArgs; i++) argv.push(value(r));
  const flags = Object.entries(cmd.flags ?? {});
  for (let i = r.int(5); i > 0 && flags.length; i--) {
    const [name, f] = r.pick(flags);
    const flag = f.short && r.chance(0.3) ? `-${f.short}` : `--${name}`;
    if (f.type === "boolean") argv.push(r.chance(0.1) ? `${flag}=${value(r)}` : flag);
    else if (r.chance(0.05)) argv.push(flag); // value missing
    else if (r.chance(0.2) && flag.startsWith("--")) argv.push(`${flag}=${value(r)}`);
    else argv.push(flag, value(r));
  }
  if (r.chance(0.05)) argv.push(`--${value(r).replace(/^-+/, "")}`); // an unknown flag
  if (r.chance(0.5)) argv.push("--json");
  if (r.chance(0.1)) argv.push(r.pick(GLOBAL_BOOLS));
  if (r.chance(0.1)) argv.push("--as", value(r));
  if (r.chance(0.05)) argv.push("--profile", value(r));
  // Shuffle a little: flags before positionals are legal too.
  if (r.chance(0.2) && argv.length > 2) {
    const i = 1 + r.int(argv.length - 1);
    const j = 1 + r.int(argv.length - 1);
    [argv[i], argv[j]] = [argv[j], argv[i]];
  }
  return argv;
}

const KEYS = [
  "title",
  "description",
  "project",
  "status",
  "priority",
  "type",
  "assignee",
  "labels",
  "due_date",
  "due_at",
  "lease",
  "token",
  "claim",
  "blocked_by",
  "body",
  "name",
  "alias",
  "id",
  "tags",
  "value",
  "expected_version",
  "limit",
  "offset",
  "source",
  "external_ref",
  "project_path",
  "content",
  "change_note",
  "__proto__",
  "constructor",
];

/** A random JSON value of bounded depth: scalars, nasty strings, arrays and objects. */
export function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 2 ? 6 : 9);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, 1, -1, 3, 5, 6, 2 ** 53 + 1, 1e308, -0.5, 30 * 60e9]);
    case 3:
    case 4:
    case 5:
      return value(r);
    case 6:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default:
      return randomObject(r, depth + 1);
  }
}

/** A random object whose keys are mostly ones the surfaces know. */
export function randomObject(r: Rng, depth = 0, keys: string[] = KEYS): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = r.int(6); i > 0; i--) {
    o[r.chance(0.9) ? r.pick(keys) : value(r)] = randomJson(r, depth + 1);
  }
  return o;
}

export interface Finding {
  surface: "cli" | "http" | "mcp";
  kind: "crash" | "hang" | "stack trace" | "undocumented exit" | "undocumented status" | "internal error";
  input: string;
  output: string;
}

/** A stack trace or a raw JS error class leaking into user-facing output. */
export const STACK =
  /(^|\n)\s+at \S.*:\d+|\b(TypeError|ReferenceError|RangeError|EvalError|URIError)\b|Uncaught|file:\/\//;

/** Keeps the first few findings of each kind and counts them all. */
export function collector() {
  const findings: Finding[] = [];
  const counts: Record<string, number> = {};
  return {
    findings,
    counts,
    add(f: Finding) {
      const k = `${f.surface} ${f.kind}`;
      counts[k] = (counts[k] ?? 0) + 1;
      if (counts[k] <= 5) {
        findings.push({ ...f, input: f.input.slice(0, 300), output: f.output.slice(0, 500) });
      }
    },
  };
}
