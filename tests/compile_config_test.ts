// deno.json turns on `lazy-dynamic-imports` (a CLI run then reads only the modules it imports), but
// `deno compile` builds its graph the same way and would leave dynamically imported modules out of
// the binary: scripts/compile.ts compiles with a copy of deno.json without it.
import assert from "node:assert/strict";
import { compileConfig } from "../scripts/compile.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("deno compile runs with deno.json minus lazy-dynamic-imports, everything else the same", async () => {
  const text = await Deno.readTextFile(new URL("deno.json", ROOT));
  const config = JSON.parse(text);
  assert.ok(config.unstable.includes("lazy-dynamic-imports"), "deno run loads dynamic imports lazily");
  const compiled = JSON.parse(compileConfig(text));
  assert.deepEqual(compiled.unstable, config.unstable.filter((f: string) => f !== "lazy-dynamic-imports"));
  assert.deepEqual({ ...compiled, unstable: [] }, { ...config, unstable: [] });
  const script = await Deno.readTextFile(new URL("scripts/compile.ts", ROOT));
  assert.match(script, /"compile",\s*"--config",\s*config,/);
});
