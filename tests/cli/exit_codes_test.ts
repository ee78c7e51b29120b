import assert from "node:assert/strict";
import { AppError, EXIT_CODE_TABLE } from "../../src/domain/errors.ts";
import { EXIT_CODES, exitCodeMeaning } from "../../src/cli/help.ts";
import { workspace } from "../helpers/cli.ts";
import { httpTest } from "../http/client.ts";
import { session } from "../mcp/mcp_client.ts";

/** The README's `## Exit codes` table as trimmed cells. */
async function readmeRows(): Promise<string[][]> {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const section = readme.split("\n## Exit codes\n")[1].split("\n## ")[0];
  return section.split("\n").filter((l) => /^\|\s*\d/.test(l)).map((l) =>
    l.split("|").slice(1, -1).map((c) => c.trim())
  );
}

Deno.test("the README's exit-code table is the table in code, row for row", async () => {
  const want = EXIT_CODE_TABLE.map((r) => [
    String(r.exit),
    String(r.http),
    r.codes.map((c) => `\`${c}\``).join(", "),
    exitCodeMeaning(r),
  ]);
  assert.deepEqual(await readmeRows(), want);
});

Deno.test("help exit-codes prints every row with its cases, and errors map through the same table", async () => {
  const w = await workspace();
  try {
    const r = await w.run(["help", "exit-codes"]);
    assert.equal(r.stdout, EXIT_CODES);
    const flat = r.stdout.replace(/\n\s+/g, " ");
    for (const row of EXIT_CODE_TABLE) {
      for (const c of row.cases) assert.ok(flat.includes(c.replaceAll("`", "")), `help lacks "${c}"`);
      for (const code of row.codes) {
        const e = new AppError(code, "x");
        assert.deepEqual([e.exitCode, e.httpStatus], [row.exit, row.http], code);
      }
    }
    assert.match(flat, /4 {2}conflict: .*a taken project alias.*deleting a project that is not archived/);
  } finally {
    await w.cleanup();
  }
});

Deno.test("a taken project alias and deleting a live project are conflicts: exit 4, HTTP 409, MCP conflict", async () => {
  const w = await workspace();
  try {
    assert.equal((await w.run(["project", "add", "API", "--alias", "api"])).code, 0);
    const taken = await w.run(["project", "add", "Again", "--alias", "api"]);
    assert.deepEqual([taken.code, taken.stderr], [
      4,
      'error: project "api" already exists\nhint: pick another --alias\n',
    ]);
    const live = await w.run(["project", "delete", "api"]);
    assert.equal(live.code, 4, live.stderr);
    assert.match(live.stderr, /must be archived before it can be deleted/);
    assert.equal(
      (await w.run(["project", "list", "--json"])).stdout.includes('"api"'),
      true,
      "nothing deleted",
    );
  } finally {
    await w.cleanup();
  }
  const h = await httpTest();
  try {
    await h.post("/api/projects", { alias: "api", name: "API" });
    const dup = await h.post("/api/projects", { alias: "api", name: "again" });
    assert.deepEqual([dup.status, dup.json.code], [409, "conflict"]);
    const del = await h.del("/api/projects/api");
    assert.deepEqual([del.status, del.json.code], [409, "conflict"]);
  } finally {
    await h.close();
  }
  const s = await session();
  try {
    await s.ok("project_create", { alias: "api", name: "API" });
    assert.match(
      await s.err("project_create", { alias: "api" }),
      /^error \(conflict\): project "api" already exists/,
    );
  } finally {
    await s.close();
  }
});
