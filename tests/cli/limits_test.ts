import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { seeded } from "../http/client.ts";
import { TaskInputSchema } from "../../src/domain/schemas.ts";

// The original bounds titles by UTF-8 bytes (255) while its message said "characters": the bound is
// kept and every surface names its unit.
const TITLE = "中".repeat(100); // 100 characters, 300 bytes
const MESSAGE = "title exceeds max length of 255 bytes (UTF-8)";

Deno.test("length limits count UTF-8 bytes and every surface says so", async () => {
  const w = await workspace();
  const t = await seeded();
  try {
    assert.equal((await w.run(["project", "add", "API", "--alias", "api"])).code, 0);
    const r = await w.run(["task", "add", "-p", "api", "-t", TITLE]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.split("\n")[0], `error: ${MESSAGE}`);
    assert.equal((await w.run(["task", "add", "-p", "api", "-t", "中".repeat(85)])).code, 0, "255 bytes fit");
    const h = await t.post("/api/tasks", { project: "api", title: TITLE });
    assert.equal(h.status, 400);
    assert.equal(h.json.error, MESSAGE);
    const z = TaskInputSchema.safeParse({ project: "api", title: TITLE });
    assert.equal(z.error?.issues[0].message, MESSAGE);
  } finally {
    await t.close();
    await w.cleanup();
  }
});
