// The compiled operation schemas (src/domain/schemas_compiled.ts, parsed by compiled_parse.ts without
// zod, as the CLI parses its flags) are the zod schemas of schemas.ts: the file is what the generator
// writes now, and every operation gives the same result and first message both ways.
import assert from "node:assert/strict";
import type { z } from "zod";
import * as S from "../../src/domain/schemas.ts";
import { generate, OPS, OUT } from "../../scripts/gen_schemas.ts";
import { parseOp } from "../../src/domain/compiled_parse.ts";
import { issueMessage } from "../../src/domain/errors.ts";

Deno.test("schemas_compiled.ts is what `deno task gen:schemas` writes from schemas.ts", async () => {
  const committed = await Deno.readTextFile(OUT);
  assert.ok(committed === generate(), "src/domain/schemas_compiled.ts is stale: run `deno task gen:schemas`");
});

/** Values a surface may send for any field: valid, of the wrong type, odd case and spacing, too long… */
const POOL: unknown[] = [
  undefined,
  "",
  "   ",
  "x",
  "  padded title  ",
  "a".repeat(255),
  "a".repeat(256),
  "é".repeat(128),
  "x".repeat(1025),
  "x".repeat(4097),
  "bell\u0007here",
  "rtl\u202eoverride",
  "tab\there",
  "zero\u200bwidth",
  "TODO",
  " Doing ",
  "done",
  "Bug",
  "bucket-list",
  "epic",
  "todo,done",
  "todo, bogus",
  ",,",
  "P1",
  " p3 ",
  "P9",
  "3",
  "0",
  "-1",
  "1.5",
  "2026-01-02",
  "2026-13-01",
  "2026-01-02T10:00:00Z",
  "none",
  "NONE",
  "30m",
  "1h30m",
  "0s",
  "7x",
  "api",
  "my-proj",
  "Bad Alias",
  "TASK-1",
  "human",
  " AI ",
  "robot",
  "asc",
  "DESC",
  "priority",
  "Title",
  "any",
  "ALL",
  "claude-sonnet-4",
  "human:alice",
  "ai:two words",
  "robot:x",
  0,
  1,
  3,
  5,
  6,
  -1,
  1.5,
  48000,
  0.41,
  2 ** 53,
  2 ** 60,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  null,
  [],
  ["todo"],
  ["TODO", " done "],
  ["bogus"],
  ["a", "b"],
  ["ok", "bad\u0007"],
  [1, 2],
  Array.from({ length: 101 }, (_, i) => `l${i}`),
  {},
  { title: "p", body: "b" },
  [{ title: "p", body: "b" }],
  [{ title: "", body: "b" }],
  [{ title: "p" }],
  [{ title: "p", body: "b", extra: 1 }],
  new Date(0),
];

/** A small seeded generator, so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

type Obj = z.ZodObject<Record<string, z.ZodType>>;

function compare(op: keyof typeof OPS, schema: z.ZodType, input: unknown): void {
  const want = schema.safeParse(input);
  const got = parseOp(op, input as never);
  const label = `${op} ${Deno.inspect(input, { depth: 4, strAbbreviateSize: 60 })}`;
  assert.equal(got.ok, want.success, `${label}: ${got.ok ? "accepted" : got.issue.message} vs zod`);
  if (got.ok && want.success) assert.deepStrictEqual(got.value, want.data, label);
  if (!got.ok && !want.success) {
    assert.equal(issueMessage(got.issue), issueMessage(want.error.issues[0]), label);
    assert.deepEqual(got.issue.path, want.error.issues[0].path, label);
  }
}

Deno.test("every compiled operation parses as its zod schema: output, or the first issue's message", () => {
  const random = rng(11);
  let cases = 0;
  for (const [op, name] of Object.entries(OPS) as [keyof typeof OPS, keyof typeof S][]) {
    const schema = S[name] as unknown as Obj;
    const shape = schema.shape;
    // A valid input: each required field's first value from the pool it accepts.
    const base: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(shape)) {
      if (f.safeParse(undefined).success) continue;
      base[k] = POOL.find((v) => v !== undefined && f.safeParse(v).success);
    }
    const inputs: unknown[] = [base, {}, "x", null, [], { ...base, bogus: 1 }, { ...base, a: 1, b: 2 }];
    for (const k of Object.keys(shape)) {
      for (const v of POOL) inputs.push({ ...base, [k]: v });
      const { [k]: _, ...without } = base;
      inputs.push(without);
    }
    for (let i = 0; i < 300; i++) {
      const input: Record<string, unknown> = random() < 0.5 ? { ...base } : {};
      for (const k of Object.keys(shape)) {
        if (random() < 0.4) input[k] = POOL[Math.floor(random() * POOL.length)];
      }
      if (random() < 0.1) input.unknown_key = "x";
      inputs.push(input);
    }
    for (const input of inputs) compare(op, schema, input);
    cases += inputs.length;
  }
  assert.ok(cases > 10_000, `only ${cases} cases`);
});
