// The CLI reads a command's flags itself (node:util costs start-up time): it must read every argv the
// way node:util parseArgs (strict, positionals allowed) did, and refuse the same ones.
import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { readFlags } from "../../src/cli/parse.ts";
import type { CommandSpec } from "../../src/cli/spec.ts";

const cmd: CommandSpec = {
  name: "x",
  summary: "",
  flags: {
    title: { type: "string", short: "t", desc: "" },
    project: { type: "string", short: "p", desc: "" },
    label: { type: "string", short: "l", multiple: true, desc: "" },
    all: { type: "boolean", short: "a", desc: "" },
    force: { type: "boolean", short: "f", desc: "" },
    tag: { type: "boolean", multiple: true, desc: "" },
    "dry-run": { type: "boolean", desc: "" },
  },
};

const TOKENS = [
  "--title",
  "-t",
  "--title=x",
  "-tx",
  "--project",
  "-p",
  "-pweb",
  "--label",
  "-l",
  "--label=a,b",
  "-a",
  "-f",
  "-af",
  "-fa",
  "-at",
  "-ta",
  "-atv",
  "-fap",
  "--all",
  "--all=1",
  "--force",
  "--tag",
  "--dry-run",
  "--dry-run=no",
  "--bogus",
  "-z",
  "-az",
  "--",
  "-",
  "word",
  "two words",
  "-1",
  "--=x",
  "---x",
  "x=y",
  "--__proto__",
  "--label=",
  "",
];

function oracle(args: string[]) {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [n, f] of Object.entries(cmd.flags!)) {
    options[n] = {
      type: f.type,
      ...(f.short ? { short: f.short } : {}),
      ...(f.multiple ? { multiple: true } : {}),
    };
  }
  const r = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  const named = r.tokens!.flatMap((t) => t.kind === "option" ? [t.name] : []);
  return { values: { ...r.values }, positionals: r.positionals, named };
}

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (err) {
    const m = String((err as Error).message);
    // Which flag an unknown-flag error names (both spell it as given).
    const unknown = m.match(/Unknown option '([^']+)'|^unknown flag: (\S+)/);
    return { error: unknown ? `unknown ${unknown[1] ?? unknown[2]}` : "refused" };
  }
}

Deno.test("readFlags reads and refuses argv exactly as node:util parseArgs does", () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const cases: string[][] = TOKENS.map((t) => [t]);
  for (const a of TOKENS) for (const b of TOKENS) cases.push([a, b]);
  for (let i = 0; i < 3000; i++) {
    cases.push(Array.from({ length: 1 + rand(5) }, () => TOKENS[rand(TOKENS.length)]));
  }
  for (const args of cases) {
    const want = outcome(() => oracle(args));
    const got = outcome(() => readFlags(cmd, ["x"], args));
    assert.deepEqual(got, want, JSON.stringify(args));
  }
});
