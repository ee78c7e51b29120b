import assert from "node:assert/strict";
import { fuzz } from "../scripts/fuzz.ts";
import { randomArgv, rng } from "../scripts/fuzz_gen.ts";
import { loadRoot } from "../src/cli/registry.ts";

const ROOT = await loadRoot();

Deno.test({
  name: "fuzz: random argv, HTTP requests and MCP calls never crash, leak a stack trace or break the file",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const r = await fuzz({ cli: 400, http: 300, mcp: 200, seed: 7 });
    const broken = r.findings.filter((f) => f.kind !== "internal error");
    assert.deepEqual(broken, [], "no crash, hang, stack trace, undocumented exit code or status");
    assert.deepEqual(r.integrity, ["ok"]);
    assert.equal(Object.values(r.cli.exits).reduce((a, b) => a + b, 0), 400, "every argv vector finished");
    for (const code of Object.keys(r.cli.exits)) assert.ok(["0", "1", "2", "3", "4"].includes(code));
    assert.ok(r.cli.exits["0"] > 0 && r.cli.exits["2"] > 0, "both valid and invalid commands were tried");
    assert.ok(r.mcp.results.ok > 0 && r.mcp.results.isError > 0);
    assert.deepEqual(r.findings, [], "bad input is a usage/invalid error, never an internal one");
  },
});

Deno.test("fuzz: the argv generator is deterministic per seed and never starts a server", () => {
  const a = rng(42);
  const b = rng(42);
  for (let i = 0; i < 500; i++) {
    const x = randomArgv(a, ROOT);
    assert.deepEqual(x, randomArgv(b, ROOT));
    assert.ok(!["web", "watch", "serve"].includes(x[0]), `generated ${JSON.stringify(x)}`);
  }
});
