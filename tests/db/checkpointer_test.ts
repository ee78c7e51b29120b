// A busy writer's checkpoints run on a background thread (src/db/checkpointer.ts): the data stays
// whole, and closing the store ends the thread and its connection.
import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
const count = async (db: SqliteStore, where = "") =>
  (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM b ${where}`))!.n;

Deno.test("a busy writer checkpoints in the background; close ends the worker and the WAL", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/s.db`;
  const db = new SqliteStore(path);
  let n = 0;
  try {
    await db.exec("CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    const blob = new Uint8Array(32 * 1024).fill(7);
    const insert = async () => {
      await db.tx(async () => void await db.run("INSERT INTO b (data) VALUES (?)", blob));
      n++;
    };
    // The first write imports the checkpointer; a loop of writes never yields to that import.
    await insert();
    await import("../../src/db/checkpointer.ts");
    await new Promise((r) => setTimeout(r, 10));
    // Back-to-back transactions of 32 KiB: the WAL passes 8 MiB, so the checkpointer starts.
    while (!db.checkpointing && n < 3000) await insert();
    assert.equal(db.checkpointing, true);
    // Writes go on while the worker copies frames into the database.
    for (let i = 0; i < 100; i++) await insert();
    for (let i = 1; i <= 150; i++) {
      await db.tx(async () => void await db.run("DELETE FROM b WHERE id = ?", i));
    }
    assert.equal(await count(db), n - 150);
  } finally {
    await db.close();
  }
  // The worker's connection closed first: ours, the last one out, checkpointed and removed the WAL.
  assert.equal(await exists(`${path}-wal`), false);
  const again = new SqliteStore(path);
  try {
    const check = await again.get<{ integrity_check: string }>("PRAGMA integrity_check");
    assert.equal(check!.integrity_check, "ok");
    assert.equal(await count(again, "WHERE length(data) = 32768"), n - 150);
    assert.equal(again.checkpointing, false);
  } finally {
    await again.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store that writes little never starts a checkpointer", async () => {
  const dir = await Deno.makeTempDir();
  const db = new SqliteStore(`${dir}/s.db`);
  try {
    await db.exec("CREATE TABLE t (x INTEGER)");
    for (let i = 0; i < 200; i++) await db.tx(async () => void await db.run("INSERT INTO t VALUES (?)", i));
    assert.equal(db.checkpointing, false);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
