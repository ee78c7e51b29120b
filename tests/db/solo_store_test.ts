// A solo SqliteStore (one-shot CLI commands) keeps the transaction rules without node:async_hooks:
// every query made while a transaction is open belongs to it.
import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";

async function soloStore(): Promise<{ db: SqliteStore; dir: string }> {
  const dir = await Deno.makeTempDir();
  const db = new SqliteStore(`${dir}/s.db`, { solo: true });
  await db.exec("CREATE TABLE log (k TEXT NOT NULL)");
  return { db, dir };
}

const keys = async (db: SqliteStore) =>
  (await db.all<{ k: string }>("SELECT k FROM log ORDER BY k")).map((r) => r.k);

Deno.test("a solo store commits, rolls back on a throw and joins nested transactions", async () => {
  const { db, dir } = await soloStore();
  try {
    const out = await db.tx(async () => {
      await db.run("INSERT INTO log (k) VALUES ('a')");
      assert.equal(db.inTx, true);
      await db.tx(async () => await db.run("INSERT INTO log (k) VALUES ('b')")); // joins
      await db.tx(async () => await db.run("INSERT INTO log (k) VALUES ('dry')"), { rollback: true });
      await assert.rejects(
        db.tx(async () => {
          await db.run("INSERT INTO log (k) VALUES ('saved')");
          throw new Error("undo the savepoint");
        }, { savepoint: true }),
        /undo the savepoint/,
      );
      return await keys(db); // the transaction's own rows
    });
    assert.deepEqual(out, ["a", "b"]);
    assert.equal(db.inTx, false);
    await assert.rejects(
      db.tx(async () => {
        await db.run("INSERT INTO log (k) VALUES ('doomed')");
        throw new Error("rolled back");
      }),
      /rolled back/,
    );
    assert.equal(db.inTx, false);
    assert.deepEqual(await keys(db), ["a", "b"]);
    // Transactions one after another, as a command runs them.
    for (const k of ["c", "d"]) await db.tx(async () => await db.run("INSERT INTO log (k) VALUES (?)", k));
    assert.deepEqual(await keys(db), ["a", "b", "c", "d"]);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
