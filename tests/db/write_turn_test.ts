// Writers take turns (src/db/write_turn.ts): a writer waits for the turn in the kernel instead of
// polling SQLite's lock; within one process a second store on the file waits without blocking the
// event loop, so the first one's transaction (across an await) can finish.
import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("two stores of one process on one file take turns: the second waits, neither fails", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/s.db`;
  const a = new SqliteStore(path);
  const b = new SqliteStore(path);
  try {
    await a.exec("CREATE TABLE log (k TEXT NOT NULL)");
    await b.tx(async () => void await b.run("INSERT INTO log VALUES ('b0')")); // b opens its turn handle
    const first = a.tx(async () => {
      await a.run("INSERT INTO log VALUES ('a1')");
      await sleep(30); // holds the write lock across an await
      await a.run("INSERT INTO log VALUES ('a2')");
    });
    await sleep(5);
    // Before turns, b polled SQLite's lock with the thread blocked, so a's await never came back:
    // busy after 10 s.
    await b.tx(async () => void await b.run("INSERT INTO log VALUES ('b1')"));
    await first;
    const rows = (await a.all<{ k: string }>("SELECT k FROM log ORDER BY rowid")).map((r) => r.k);
    assert.deepEqual(rows, ["b0", "a1", "a2", "b1"]);
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
