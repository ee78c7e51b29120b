import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { workspace } from "../helpers/cli.ts";
import { migrationFiles } from "../../src/db/migrate.ts";

const sha = async (path: string) =>
  Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path))),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");

/** A workspace whose database claims a schema version one past ours (written by a newer backlog). */
async function newerWorkspace() {
  const ws = await workspace();
  assert.equal((await ws.run(["project", "add", "Api", "--alias", "api"])).code, 0);
  const next = migrationFiles().length + 1;
  const raw = new DatabaseSync(ws.db);
  raw.exec(`UPDATE schema_meta SET value = '${next}' WHERE key = 'schema_version'`);
  raw.close();
  return { ws, next, ours: next - 1 };
}

Deno.test("a database from a newer backlog is refused on open by reads, writes and servers, untouched", async () => {
  const { ws, next, ours } = await newerWorkspace();
  try {
    const before = await sha(ws.db);
    const line = `error: ${ws.db} has schema version ${next}, newer than this backlog's (${ours}): ` +
      "upgrade backlog to open it\n";
    for (
      const argv of [
        ["task", "list"],
        ["project", "add", "Web", "--alias", "web"],
        ["web", "--port", "0", "--no-browser"],
        ["mcp", "serve"],
        ["watch"],
      ]
    ) {
      const r = await ws.run(argv);
      assert.equal(r.code, 1, argv.join(" "));
      assert.equal(r.stderr, line, argv.join(" "));
      assert.equal(r.stdout, "");
    }
    assert.equal(await sha(ws.db), before);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("import of a database from a newer backlog is refused with the same check", async () => {
  const { ws: src, next, ours } = await newerWorkspace();
  const dst = await workspace();
  try {
    assert.equal((await dst.run(["project", "add", "Web", "--alias", "web"])).code, 0);
    const r = await dst.run(["import", src.db]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.split("\n")[0],
      `error: import: "${src.db}" has schema version ${next}, newer than this backlog's (${ours}): ` +
        "upgrade backlog to open it",
    );
  } finally {
    await src.cleanup();
    await dst.cleanup();
  }
});
