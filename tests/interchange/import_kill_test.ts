import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SqliteStore } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { sqliteOnly } from "../helpers/app.ts";
import { cacheDir, mainPath } from "../helpers/cli.ts";
import { count, dump, sqliteWorkspace } from "./helpers.ts";

/** A source workspace with `n` tasks (a description and a comment each), generated inside SQLite. */
async function bigSource(path: string, n: number): Promise<void> {
  const db = new SqliteStore(path);
  await migrate(db);
  await db.close();
  const raw = new DatabaseSync(path);
  const now = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;
  raw.exec("PRAGMA synchronous = OFF");
  raw.exec(`BEGIN;
    INSERT INTO projects (id, alias, name, created_at, updated_at) VALUES ('01KB00000000000000000PROJ1', 'big', 'Big', ${now}, ${now});
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
    INSERT INTO tasks (id, project_id, title, description, actor_kind, actor_name, created_at, updated_at, task_seq)
      SELECT printf('01KB%022d', i), '01KB00000000000000000PROJ1', 'task number ' || i,
        'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ' || i || ' ' || hex(randomblob(60)),
        'ai', 'gen', ${now} + i * 1000, ${now} + i * 1000, i FROM n;
    INSERT INTO comments (id, task_id, body, actor_kind, actor_name, created_at)
      SELECT printf('01KC%s', substr(id, 5)), id, 'comment on ' || title || ' ' || hex(randomblob(40)), 'ai', 'gen', created_at
      FROM tasks WHERE project_id = '01KB00000000000000000PROJ1';
    COMMIT;`);
  raw.close();
}

Deno.test("[sqlite] kill -9 in the middle of a large import leaves the database exactly as before", {
  ignore: sqliteOnly,
}, async () => {
  const ws = await sqliteWorkspace();
  try {
    await ws.run(["project", "add", "Mine", "--alias", "mine"]);
    await ws.run(["task", "add", "-p", "mine", "-t", "keep me"]);
    const src = `${ws.home}/big.db`;
    await bigSource(src, 30_000);
    const before = await dump(ws.db);
    const tmp = `${ws.home}/tmp`;
    await Deno.mkdir(tmp);
    // BACKLOG_RESIDENT off: the kill must reach the import itself, not a resident process's client.
    const env = {
      DENO_DIR: await cacheDir(),
      HOME: ws.home,
      BACKLOG_DB: ws.db,
      NO_COLOR: "1",
      TMPDIR: tmp,
      BACKLOG_RESIDENT: "off",
    };
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", mainPath, "import", src],
      env,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until the import's transaction is writing pages to the WAL, then kill it.
    let walBytes = 0;
    const deadline = Date.now() + 60_000;
    let exited = false;
    child.status.then(() => exited = true);
    while (Date.now() < deadline && !exited) {
      try {
        walBytes = (await Deno.stat(`${ws.db}-wal`)).size;
      } catch { /* not yet */ }
      if (walBytes > 1_000_000) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(!exited, "the import finished before it could be killed: make the source bigger");
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.signal, "SIGKILL");
    assert.ok(walBytes > 1_000_000, `the import was writing (wal ${walBytes} bytes)`);
    assert.equal(await dump(ws.db), before, "no partial rows");
    assert.equal(await count(ws.db, "tasks"), 1);
    const check = await ws.run(["doctor", "check"]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const copies = () => [...Deno.readDirSync(tmp)].filter((e) => e.name.startsWith("backlog-import-"));
    assert.equal(copies().length, 1, "the killed import left its copy of the source");
    // The same import, uninterrupted, then brings everything, and removes the killed run's copy.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", mainPath, "import", src, "--json"],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const r = JSON.parse(new TextDecoder().decode(out.stdout)) as { tasks: number; comments: number };
    assert.deepEqual([r.tasks, r.comments], [30_000, 30_000]);
    assert.deepEqual(copies(), [], "nothing left behind in the temp directory");
  } finally {
    await ws.cleanup();
  }
});
