import assert from "node:assert/strict";
import { openPgStore } from "../../src/db/pg/open.ts";
import { PlaceholderCache } from "../../src/db/pg/sql.ts";
import { pgTest, withPgDatabase } from "../helpers/pg.ts";

Deno.test("placeholder cache: the first `names` statements get a name, never reused for other text", () => {
  const c = new PlaceholderCache(3, 4);
  const a = c.get("SELECT ?");
  assert.deepEqual(a, { text: "SELECT $1", name: "backlog_1" });
  assert.equal(c.get("SELECT ?"), a);
  const names = ["SELECT ?, 2", "SELECT ?, 3", "SELECT ?, 4", "SELECT ?, 5"].map((s) => c.get(s).name);
  // The map was cleared at 3 entries; names go on counting, then run out.
  assert.deepEqual(names, ["backlog_2", "backlog_3", "backlog_4", undefined]);
  assert.equal(c.get("SELECT ?").name, undefined);
});

for (const driver of ["auto", "pg"] as const) {
  pgTest(`store (${driver}): a prepared statement whose table changed shape runs again`, async () => {
    await withPgDatabase(async (url) => {
      const s = await openPgStore(url, { max: 1, driver });
      try {
        await s.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, a TEXT); INSERT INTO t VALUES (1, 'x')");
        const read = () => s.all("SELECT * FROM t WHERE id = ?", 1);
        for (let i = 0; i < 6; i++) assert.deepEqual(await read(), [{ id: 1, a: "x" }]); // prepared, generic plan
        await s.exec("ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'y'");
        // Outside a transaction, then inside one: each time the stale statement's connection is dropped.
        assert.deepEqual(await read(), [{ id: 1, a: "x", b: "y" }]);
        await s.exec("ALTER TABLE t ADD COLUMN c TEXT NOT NULL DEFAULT 'z'");
        for (let i = 0; i < 6; i++) await read();
        await s.exec("ALTER TABLE t DROP COLUMN c");
        assert.deepEqual(await s.tx(read), [{ id: 1, a: "x", b: "y" }]);
      } finally {
        await s.close();
      }
    });
  });
}
