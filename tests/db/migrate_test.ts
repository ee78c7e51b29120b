import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";
import type { Store } from "../../src/db/store.ts";
import { migrate, migrationFiles, schemaVersion } from "../../src/db/migrate.ts";
import { openApp } from "../../src/app.ts";
import { alice } from "../helpers/app.ts";

const cols = async (db: Store, t: string) =>
  (await db.all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(
    `PRAGMA table_info(${t})`,
  )).map((c) =>
    `${c.name} ${c.type}${c.notnull ? " NOT NULL" : ""}${
      c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ""
    }${c.pk ? " PK" : ""}`
  );

Deno.test("migrations 0001-0008 produce the original's schema v8", async () => {
  const db = new SqliteStore(":memory:");
  assert.equal(await migrate(db, { upTo: 8 }), 8);
  assert.equal(await schemaVersion(db), 8);
  const names = (await db.all<{ type: string; name: string }>(
    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'tasks_fts_%' ORDER BY type, name",
  )).map((r) => `${r.type}:${r.name}`);
  assert.deepEqual(names, [
    "index:idx_activity_entity",
    "index:idx_activity_project_created",
    "index:idx_attachments_linked",
    "index:idx_comments_task",
    "index:idx_plan_versions_plan",
    "index:idx_plans_task",
    "index:idx_project_docs_project",
    "index:idx_project_memory_project",
    "index:idx_tasks_actor",
    "index:idx_tasks_priority",
    "index:idx_tasks_project_status",
    "index:idx_tasks_task_seq",
    "index:idx_tasks_type",
    "table:activity_log",
    "table:attachments",
    "table:comments",
    "table:labels",
    "table:plan_versions",
    "table:plans",
    "table:project_doc_versions",
    "table:project_docs",
    "table:project_memory",
    "table:projects",
    "table:schema_meta",
    "table:task_labels",
    "table:tasks",
    "table:tasks_fts",
    "trigger:tasks_ad",
    "trigger:tasks_ai",
    "trigger:tasks_au",
  ]);
  assert.deepEqual(await cols(db, "tasks"), [
    "id TEXT PK",
    "project_id TEXT NOT NULL",
    "title TEXT NOT NULL",
    "description TEXT NOT NULL DEFAULT ''",
    "type TEXT NOT NULL DEFAULT 'task'",
    "status TEXT NOT NULL DEFAULT 'todo'",
    "priority INTEGER NOT NULL DEFAULT 3",
    "assignee TEXT NOT NULL DEFAULT ''",
    "due_at INTEGER",
    "actor_kind TEXT NOT NULL DEFAULT 'human'",
    "actor_name TEXT NOT NULL DEFAULT ''",
    "source TEXT NOT NULL DEFAULT ''",
    "external_ref TEXT NOT NULL DEFAULT ''",
    "completed_at INTEGER",
    "archived_at INTEGER",
    "created_at INTEGER NOT NULL",
    "updated_at INTEGER NOT NULL",
    "task_seq INTEGER",
    "project_path TEXT NOT NULL DEFAULT ''",
  ]);
  assert.deepEqual(await cols(db, "project_memory"), [
    "id TEXT PK",
    "project_id TEXT NOT NULL",
    "body TEXT NOT NULL",
    "tags TEXT NOT NULL DEFAULT ''",
    "actor_kind TEXT NOT NULL DEFAULT 'human'",
    "actor_name TEXT NOT NULL DEFAULT ''",
    "created_at INTEGER NOT NULL",
  ]);
  await assert.rejects(
    async () =>
      await db.exec(`INSERT INTO projects VALUES ('P', 'a', 'A', '', '', NULL, 1, 1);
      INSERT INTO tasks (id, project_id, title, type, created_at, updated_at) VALUES ('T', 'P', 't', 'bucket-list', 1, 1)`),
    /CHECK/,
  );
  await db.close();
});

/** Builds a database the way the original does: schema v8, ns timestamps, ULIDs, task_seq. */
async function originalDb(path: string) {
  const db = new SqliteStore(path);
  await migrate(db, { upTo: 8 });
  const ns = 1778233740123456789n; // full-precision nanoseconds, as Go writes them
  await db.exec(`
    INSERT INTO projects VALUES ('01JAAAAAAAAAAAAAAAAAAAAAAA', 'api', 'API', 'the api', '/code/api', NULL, ${ns}, ${ns});
    INSERT INTO tasks (id, project_id, title, description, type, status, priority, assignee, actor_kind, actor_name,
      source, external_ref, created_at, updated_at, task_seq, project_path)
    VALUES ('01JBBBBBBBBBBBBBBBBBBBBBBB', '01JAAAAAAAAAAAAAAAAAAAAAAA', 'Fix login', 'jwt expiry', 'bug', 'doing', 1, 'bob',
      'ai', 'claude', 'semgrep', 'SG-1', ${ns}, ${ns}, 7, 'src/login.go:12');
    INSERT INTO labels VALUES ('01JCCCCCCCCCCCCCCCCCCCCCCC', '01JAAAAAAAAAAAAAAAAAAAAAAA', 'auth', '#f00');
    INSERT INTO task_labels VALUES ('01JBBBBBBBBBBBBBBBBBBBBBBB', '01JCCCCCCCCCCCCCCCCCCCCCCC');
    INSERT INTO plans VALUES ('01JDDDDDDDDDDDDDDDDDDDDDDD', '01JBBBBBBBBBBBBBBBBBBBBBBB', 2, '', NULL, ${ns}, ${ns});
    INSERT INTO plan_versions VALUES ('01JEEEEEEEEEEEEEEEEEEEEEE1', '01JDDDDDDDDDDDDDDDDDDDDDDD', 1, 'Plan', 'v1 body', 'ai', 'claude', '', ${ns});
    INSERT INTO plan_versions VALUES ('01JEEEEEEEEEEEEEEEEEEEEEE2', '01JDDDDDDDDDDDDDDDDDDDDDDD', 2, 'Plan', 'v2 body', 'human', 'alice', 'tweak', ${ns});
    INSERT INTO comments VALUES ('01JFFFFFFFFFFFFFFFFFFFFFFF', '01JBBBBBBBBBBBBBBBBBBBBBBB', 'looking', 'human', 'alice', ${ns});
    INSERT INTO project_memory VALUES ('01JGGGGGGGGGGGGGGGGGGGGGGG', '01JAAAAAAAAAAAAAAAAAAAAAAA', 'use sqlc', 'arch', 'human', 'alice', ${ns});
    INSERT INTO activity_log (id, entity, entity_id, action, actor_kind, actor_name, payload, created_at, project_id, summary)
      VALUES ('01JHHHHHHHHHHHHHHHHHHHHHHH', 'task', '01JBBBBBBBBBBBBBBBBBBBBBBB', 'created', 'ai', 'claude', '{}', ${ns},
      '01JAAAAAAAAAAAAAAAAAAAAAAA', 'Created task "Fix login" (TASK-7)');
  `);
  await db.close();
}

Deno.test("a database written by the original opens in place and every row reads back", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/backlog.db`;
  await originalDb(path);
  const app = await openApp({ dbPath: path });
  try {
    assert.equal(await schemaVersion(app.db), migrationFiles().length);
    const t = await app.tasks.show("TASK-7");
    assert.equal(t.title, "Fix login");
    assert.equal(t.project_path, "src/login.go:12");
    assert.deepEqual(t.actor, { kind: "ai", name: "claude" });
    assert.deepEqual(t.labels, [{
      id: "01JCCCCCCCCCCCCCCCCCCCCCCC",
      project_id: "01JAAAAAAAAAAAAAAAAAAAAAAA",
      name: "auth",
      color: "#f00",
    }]);
    assert.equal(t.plans?.[0].version?.body, "v2 body");
    assert.equal(t.comments?.[0].body, "looking");
    assert.equal(t.version, 1);
    assert.ok(
      Math.abs(t.created_at - 1778233740123456789) < 512,
      "ns timestamps read within double precision",
    );
    assert.equal((await app.plans.history("01JDDDDD")).length, 2);
    assert.equal(
      (await app.tasks.list({ search: "jwt" })).tasks.length,
      1,
      "FTS index survives the tasks rebuild",
    );
    assert.equal((await app.activity.list({ project: "api" })).page.total, 1);
    assert.equal((await app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM project_memory"))!.n, 1);
    const next = await app.tasks.create(
      { project: "api", title: "After import", type: "bucket-list" },
      alice,
    );
    assert.equal(next.seq, 8, "TASK-N continues after the original's highest number");
    assert.deepEqual(await app.db.all("PRAGMA foreign_key_check"), []);
    assert.equal(
      (await app.db.get<{ integrity_check: string }>("PRAGMA integrity_check"))!.integrity_check,
      "ok",
    );
  } finally {
    await app.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two processes migrating one new file at once both succeed", async () => {
  const dir = await Deno.makeTempDir();
  const code = `import { openApp } from "${new URL(
    "../../src/app.ts",
    import.meta.url,
  )}"; await (await openApp({ dbPath: Deno.args[0] })).close();`;
  const run = () =>
    new Deno.Command(Deno.execPath(), { args: ["eval", code, `${dir}/b.db`], stderr: "piped" }).output();
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a.code, 0, new TextDecoder().decode(a.stderr));
  assert.equal(b.code, 0, new TextDecoder().decode(b.stderr));
  await Deno.remove(dir, { recursive: true });
});
