import assert from "node:assert/strict";
import { migrationFiles } from "../../src/db/migrate.ts";
import { migratePg, pgMigrationFiles, pgSchemaVersion } from "../../src/db/pg/migrate.ts";
import { openPg } from "../../src/db/pg/connection.ts";
import { nextTaskSeq } from "../../src/db/pg/seq.ts";
import { pgTest, withPgDb } from "../helpers/pg.ts";

Deno.test("postgres migrations share the SQLite files' version sequence, one for one", () => {
  assert.deepEqual(pgMigrationFiles(), migrationFiles());
});

pgTest("migratePg reaches the latest version once; a second run is a no-op", async () => {
  await withPgDb(async (db) => {
    assert.equal(await pgSchemaVersion(db), 0);
    assert.equal(await migratePg(db, { upTo: 3 }), 3);
    assert.equal(await migratePg(db), migrationFiles().length);
    assert.equal(await migratePg(db), migrationFiles().length);
    assert.equal(await pgSchemaVersion(db), migrationFiles().length);
  });
});

pgTest("four servers migrating one fresh database at once: applied exactly once, no error", async () => {
  await withPgDb(async (_db, url) => {
    const pools = await Promise.all([1, 2, 3, 4].map(() => openPg(url, { max: 2 })));
    try {
      // Every migration file would fail if run twice (ADD COLUMN, CREATE TRIGGER without IF NOT EXISTS).
      const versions = await Promise.all(pools.map((p) => migratePg(p)));
      assert.deepEqual(versions, [12, 12, 12, 12].map(() => migrationFiles().length));
      const cols = await pools[0].query<{ n: string }>(
        "SELECT COUNT(*)::text AS n FROM information_schema.columns WHERE table_name = 'tasks' AND column_name = 'task_seq'",
      );
      assert.equal(cols[0].n, "1");
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});

pgTest("a database migrated by a newer backlog is refused, and left as it was", async () => {
  await withPgDb(async (db) => {
    await migratePg(db);
    await db.query("UPDATE schema_meta SET value = '999' WHERE key = 'schema_version'");
    await assert.rejects(migratePg(db), (e: Error) => {
      assert.match(e.message, /^database schema version 999 is newer than this backlog \(\d+\)$/);
      return true;
    });
    assert.equal(await pgSchemaVersion(db), 999);
  });
});

pgTest("TASK-N under 30 concurrent creates: unique, gapless, never reused after a delete", async () => {
  await withPgDb(async (db) => {
    await migratePg(db);
    await db.query(
      "INSERT INTO projects (id, alias, name, created_at, updated_at) VALUES ('p', 'p', 'P', 1, 1)",
    );
    const create = (i: number) =>
      db.tx(async (c) => {
        const seq = await nextTaskSeq(c);
        await new Promise((r) => setTimeout(r, 2)); // hold the counter while others queue
        await c.query(
          "INSERT INTO tasks (id, project_id, title, created_at, updated_at, task_seq) VALUES ($1, 'p', $2, 1, 1, $3)",
          [`t${i}`, `task ${i}`, seq],
        );
        return seq;
      });
    const seqs = await Promise.all(Array.from({ length: 30 }, (_, i) => create(i)));
    assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
    const top = seqs.indexOf(30);
    await db.query("DELETE FROM tasks WHERE id = $1", [`t${top}`]);
    assert.equal(await create(100), 31);
    // A rolled-back create gives its number back.
    await assert.rejects(db.tx(async (c) => {
      await nextTaskSeq(c);
      throw new Error("abandoned");
    }));
    assert.equal(await create(101), 32);
  });
});
