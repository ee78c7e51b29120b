import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";
import { httpTest } from "../http/client.ts";

/** A file-backed store with one counter table (WAL, as a workspace runs). */
async function counterStore(): Promise<{ db: SqliteStore; dir: string }> {
  const dir = await Deno.makeTempDir();
  const db = new SqliteStore(`${dir}/s.db`);
  await db.exec("CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO c VALUES (1, 0);");
  await db.exec("CREATE TABLE log (k TEXT NOT NULL)");
  return { db, dir };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("50 concurrent read-modify-write transactions across awaits lose no update", async () => {
  const { db, dir } = await counterStore();
  try {
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      await db.tx(async () => {
        const { n } = (await db.get<{ n: number }>("SELECT n FROM c WHERE id = 1"))!;
        await tick(); // another request gets the event loop here
        await db.run("UPDATE c SET n = ? WHERE id = 1", n + 1);
        await db.run("INSERT INTO log (k) VALUES (?)", `w${i}`);
      });
    }));
    assert.equal((await db.get<{ n: number }>("SELECT n FROM c"))!.n, 50);
    assert.equal((await db.all("SELECT k FROM log")).length, 50);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a query from outside an open transaction never sees its uncommitted or rolled-back rows", async () => {
  const { db, dir } = await counterStore();
  try {
    let release!: () => void;
    const gate = new Promise<void>((r) => release = r);
    const failing = db.tx(async () => {
      await db.run("INSERT INTO log (k) VALUES ('doomed')");
      await gate;
      throw new Error("rolled back");
    });
    // Issued while the transaction is open: it waits for it, then sees the rolled-back state.
    const outside = db.all<{ k: string }>("SELECT k FROM log");
    release();
    await assert.rejects(failing, /rolled back/);
    assert.deepEqual(await outside, []);
    assert.equal(db.inTx, false);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a nested tx joins the outer one; a nested dry run or savepoint undoes only its own writes", async () => {
  const { db, dir } = await counterStore();
  try {
    const seen = await db.tx(async () => {
      await db.run("INSERT INTO log (k) VALUES ('outer')");
      await db.tx(async () => await db.run("INSERT INTO log (k) VALUES ('joined')"));
      const dry = await db.tx(async () => {
        await db.run("INSERT INTO log (k) VALUES ('dry')");
        return (await db.all("SELECT k FROM log")).length;
      }, { rollback: true });
      await assert.rejects(
        db.tx(async () => {
          await db.run("INSERT INTO log (k) VALUES ('failed')");
          throw new Error("inner failure");
        }, { savepoint: true }),
        /inner failure/,
      );
      return dry;
    });
    assert.equal(seen, 3, "the dry run saw its own row");
    const rows = (await db.all<{ k: string }>("SELECT k FROM log ORDER BY rowid")).map((r) => r.k);
    assert.deepEqual(rows, ["outer", "joined"]);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("40 concurrent HTTP creates and claims in one server keep every transaction whole", async () => {
  using t = await httpTest();
  await t.post("/api/projects", { alias: "api", name: "API" });
  const created = await Promise.all(
    Array.from(
      { length: 40 },
      (_, i) => t.post("/api/tasks", { project: "api", title: `T${i}`, labels: ["x"] }),
    ),
  );
  assert.ok(created.every((r) => r.status < 300), created.map((r) => r.text).join("\n"));
  const refs = created.map((r) => r.json.ref as string);
  assert.equal(new Set(refs).size, 40, "every TASK-N is distinct");
  const claims = await Promise.all(
    Array.from({ length: 40 }, (_, i) => t.post("/api/tasks/next", {}, { "X-Backlog-Actor": `ai:a${i}` })),
  );
  const got = claims.filter((r) => r.status === 200 && r.json.task).map((r) => r.json.task.ref as string);
  assert.equal(got.length, 40, `every agent got a task: ${claims.map((r) => r.status).join(",")}`);
  assert.equal(new Set(got).size, 40, "no task was claimed twice");
  // Every create wrote its task, its label link and its activity row together.
  const db = t.app.db;
  const one = async (sql: string) => (await db.get<{ n: number }>(sql))!.n;
  assert.equal(await one("SELECT COUNT(*) AS n FROM tasks"), 40);
  assert.equal(await one("SELECT COUNT(*) AS n FROM task_labels"), 40);
  assert.equal(
    await one("SELECT COUNT(*) AS n FROM activity_log WHERE action = 'created' AND entity = 'task'"),
    40,
  );
});

Deno.test("a savepoint call still running when its transaction ended touches no later transaction", async () => {
  const { db, dir } = await counterStore();
  try {
    let finish!: () => void;
    const late = new Promise<void>((r) => finish = r);
    let inner: Promise<unknown> | undefined;
    // A: starts a savepoint it does not wait for, and commits.
    await db.tx(async () => {
      await db.get("SELECT n FROM c");
      inner = db.tx(async () => {
        await late;
        throw new Error("late failure"); // would be ROLLBACK TO SAVEPOINT sp_1
      }, { savepoint: true });
      void inner.catch(() => {});
    });
    // B: its own savepoint has the same name; A's leftover ends while B's is open.
    await db.tx(async () => {
      await db.tx(async () => {
        await db.run("INSERT INTO log (k) VALUES ('kept')");
        finish();
        await assert.rejects(inner!, /late failure/);
      }, { savepoint: true });
    });
    assert.deepEqual((await db.all("SELECT k FROM log")).map((r) => r.k), ["kept"]);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
