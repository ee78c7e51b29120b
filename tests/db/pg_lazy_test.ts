import assert from "node:assert/strict";
import { staticGraph } from "../helpers/graph.ts";

Deno.test("the postgres driver is not in main.ts's or run.ts's static import graph (a SQLite user never loads it)", async () => {
  const graph = [...await staticGraph(), ...await staticGraph("src/cli/run.ts")];
  assert.ok([...graph].some((s) => s.endsWith("/src/cli/parse.ts")), "the walk follows static imports");
  assert.deepEqual([...graph].filter((s) => /^npm:\/?pg@|\/src\/db\/pg\//.test(s)), []);
});
