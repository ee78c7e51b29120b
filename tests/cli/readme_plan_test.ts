import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

// The original requires a plan body (`body is required`), so the README must list it for `plan add`.
Deno.test("plan add needs --content or --from-file, and the README's command table says so", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const row = readme.split("\n").find((l) => l.startsWith("| `plan`"));
  assert.ok(row, "README has a plan row");
  assert.match(row, /`add --task --title --content\\\|--from-file`/);
  const w = await workspace();
  try {
    assert.equal((await w.run(["project", "add", "API", "--alias", "api"])).code, 0);
    assert.equal((await w.run(["task", "add", "-p", "api", "-t", "t"])).code, 0);
    const bare = await w.run(["plan", "add", "--task", "1", "--title", "P"]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /--content or --from-file is required/);
    assert.equal((await w.run(["plan", "add", "--task", "1", "--title", "P", "--content", "steps"])).code, 0);
  } finally {
    await w.cleanup();
  }
});
