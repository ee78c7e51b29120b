import assert from "node:assert/strict";
import { migrationFiles } from "../../src/db/migrate.ts";
import { migratePg, pgMigrationFiles, pgSchemaVersion } from "../../src/db/pg/migrate.ts";
import { openPgStore } from "../../src/db/pg/open.ts";
import { NEXT_TASK_SEQ } from "../../src/db/repos/tasks.ts";
import type { Store } from "../../src/db/store.ts";
import { pgTest, withPgStore } from "../helpers/pg.ts";

/** The next TASK-N on its own, as the INSERT of a create takes it (NEXT_TASK_SEQ). */
const nextTaskSeq = async (db: Store) => Number((await db.get<{ value: string }>(NEXT_TASK_SEQ))!.value);

Deno.test("postgres migrations share the SQLite files' version sequence, one for one", () => {
  assert.deepEqual(pgMigrationFiles(), migrationFiles());
});

pgTest("migratePg reaches the latest version once; a second run is a no-op", async () => {
  await withPgStore(async (db) => {
    assert.equal(await pgSchemaVersion(db), 0);
    assert.equal(await migratePg(db, { upTo: 3 }), 3);
    assert.equal(await migratePg(db), migrationFiles().length);
    assert.equal(await migratePg(db), migrationFiles().length);
    assert.equal(await pgSchemaVersion(db), migrationFiles().length);
  });
});

pgTest("four servers migrating one fresh database at once: applied exactly once, no error", async () => {
  await withPgStore(async (_db, url) => {
    const pools = await Promise.all([1, 2, 3, 4].map(() => openPgStore(url, { max: 2 })));
    try {
      // Every migration file would fail if run twice (ADD COLUMN, CREATE TRIGGER without IF NOT EXISTS).
      const versions = await Promise.all(pools.map((p) => migratePg(p)));
      assert.deepEqual(versions, [12, 12, 12, 12].map(() => migrationFiles().length));
      const cols = await pools[0].get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_name = 'tasks' AND column_name = 'task_seq'",
      );
      assert.equal(cols?.n, 1);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});

pgTest("a database migrated by a newer backlog is refused, and left as it was", async () => {
  await withPgStore(async (db) => {
    await migratePg(db);
    await db.run("UPDATE schema_meta SET value = '999' WHERE key = 'schema_version'");
    await assert.rejects(migratePg(db), (e: Error) => {
      // The words SQLite's checkSchemaVersion uses, naming the server without its password.
      assert.match(
        e.message,
        /^postgres:\/\/[^@]*@[^ ]+ has schema version 999, newer than this backlog's \(\d+\): upgrade backlog to open it$/,
      );
      return true;
    });
    assert.equal(await pgSchemaVersion(db), 999);
  });
});

pgTest("TASK-N under 30 concurrent creates: unique, gapless, never reused after a delete", async () => {
  await withPgStore(async (db) => {
    await migratePg(db);
    await db.run(
      "INSERT INTO projects (id, alias, name, created_at, updated_at) VALUES ('p', 'p', 'P', 1, 1)",
    );
    const create = (i: number) =>
      db.tx(async () => {
        const seq = await nextTaskSeq(db);
        await new Promise((r) => setTimeout(r, 2)); // hold the counter while others conflict on it
        await db.run(
          "INSERT INTO tasks (id, project_id, title, created_at, updated_at, task_seq) VALUES (?, 'p', ?, 1, 1, ?)",
          `t${i}`,
          `task ${i}`,
          seq,
        );
        return seq;
      });
    const seqs = await Promise.all(Array.from({ length: 30 }, (_, i) => create(i)));
    assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
    const top = seqs.indexOf(30);
    await db.run("DELETE FROM tasks WHERE id = ?", `t${top}`);
    assert.equal(await create(100), 31);
    // A rolled-back create gives its number back.
    await assert.rejects(db.tx(async () => {
      await nextTaskSeq(db);
      throw new Error("abandoned");
    }));
    assert.equal(await create(101), 32);
  });
});
