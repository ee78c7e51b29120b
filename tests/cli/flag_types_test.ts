import assert from "node:assert/strict";
import { defineCommand, type Flags, type RunCtxWith } from "../../src/cli/spec.ts";

/** A helper of the kind commands share: it reads one flag, so it takes only a command that has it. */
function intFlag<K extends string>(ctx: RunCtxWith<NoInfer<K>>, name: K, def: number): number {
  const v = (ctx.flags as Flags)[name];
  return v === undefined ? def : Number(v);
}

// The checks here are made by `deno check` (tests/ is type-checked in CI): each `@ts-expect-error`
// fails the check if the line after it stops being an error.
Deno.test("a command reads only the flags its own table declares, typed by their spec", () => {
  const cmd = defineCommand({
    name: "x",
    summary: "x",
    flags: {
      limit: { type: "string", desc: "n" },
      all: { type: "boolean", desc: "a" },
      tag: { type: "string", multiple: true, desc: "t" },
    },
    run(ctx) {
      const limit: string | undefined = ctx.flags.limit;
      const all: boolean | undefined = ctx.flags.all;
      const tags: string[] | undefined = ctx.flags.tag;
      // @ts-expect-error: a renamed or missing flag is a type error where it is read
      void ctx.flags.limt;
      // @ts-expect-error: given() only knows the table's flags
      void ctx.given("offset");
      // @ts-expect-error: a helper that reads --offset needs a command that has it
      void intFlag(ctx, "offset", 0);
      return { data: { limit, all, tags, n: intFlag(ctx, "limit", 5) } };
    },
  });
  assert.equal(cmd.name, "x");
});
