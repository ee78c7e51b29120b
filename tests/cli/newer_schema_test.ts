import { sqliteOnly } from "../helpers/app.ts";
import assert from "node:assert/strict";
import { openStore } from "../../src/db/open.ts";
import { redactUrl } from "../../src/db/url.ts";
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
  const raw = await openStore(ws.db, { noMigrate: true });
  await raw.run(`UPDATE schema_meta SET value = '${next}' WHERE key = 'schema_version'`);
  await raw.close();
  return { ws, next, ours: next - 1 };
}

Deno.test("a database from a newer backlog is refused on open by reads, writes and servers, untouched", async () => {
  const { ws, next, ours } = await newerWorkspace();
  try {
    // A file must stay byte-for-byte the same; a server database is checked by its version below.
    const file = ws.engine === "sqlite";
    const before = file ? await sha(ws.db) : "";
    const line =
      `error: ${redactUrl(ws.db)} has schema version ${next}, newer than this backlog's (${ours}): ` +
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
    if (file) assert.equal(await sha(ws.db), before);
    const db = await openStore(ws.db, { noMigrate: true });
    const v = await db.get<{ value: string }>("SELECT value FROM schema_meta WHERE key = 'schema_version'");
    await db.close();
    assert.equal(v?.value, String(next));
  } finally {
    await ws.cleanup();
  }
});

Deno.test({
  name: "[sqlite] import of a database from a newer backlog is refused with the same check",
  ignore: sqliteOnly,
}, async () => {
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
