import assert from "node:assert/strict";
import { openApp } from "../../src/app.ts";
import { SqliteStore } from "../../src/db/connection.ts";
import { checkFile, checkIntegrity } from "../../src/services/doctor.ts";
import { alice, appError, freshDb, sqliteOnly, TEST_ENGINE } from "../helpers/app.ts";
import { cacheDir } from "../helpers/cli.ts";

/**
 * An app with project api and one task, on a file in a temporary directory (SQLite) or on a fresh
 * database (PostgreSQL); backups go to the directory either way.
 */
async function fileApp() {
  const dir = await Deno.makeTempDir({ prefix: "backlog-doctor-" });
  const db = TEST_ENGINE === "sqlite" ? { path: `${dir}/backlog.db`, drop: async () => {} } : await freshDb();
  const app = await openApp({ dbPath: db.path });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.tasks.create({ project: "api", title: "one" }, alice);
  return {
    dir,
    app,
    dbPath: db.path,
    cleanup: async () => {
      await app.close();
      await db.drop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("doctor check reports a sound database as ok", async () => {
  const { app, dbPath, cleanup } = await fileApp();
  const r = await app.doctor.check();
  assert.equal(r.ok, true);
  assert.deepEqual(r.integrity, ["ok"]);
  assert.deepEqual(r.foreign_key_violations, []);
  assert.ok(r.schema_version >= 8);
  // `doctor check` opens the database itself, read-only: the same report.
  assert.deepEqual({ ...await checkFile(dbPath), path: "" }, { ...r, path: "" });
  await cleanup();
});

Deno.test("doctor check reports foreign key violations", async () => {
  const { app, cleanup } = await fileApp();
  const orphan =
    "INSERT INTO comments (id, task_id, body, actor_kind, actor_name, created_at) VALUES ('C1', 'NOPE', 'x', 'human', 'a', 1)";
  if (app.db.dialect === "sqlite") {
    await app.db.exec("PRAGMA foreign_keys = OFF");
    await app.db.run(orphan);
  } else {
    // Only a superuser's trick gets an orphan past PostgreSQL: the constraint's triggers disabled.
    await app.db.exec("ALTER TABLE comments DISABLE TRIGGER ALL");
    await app.db.run(orphan);
    assert.ok((await app.doctor.check()).integrity.some((l) => /trigger .* on comments is disabled/.test(l)));
    await app.db.exec("ALTER TABLE comments ENABLE TRIGGER ALL");
  }
  const r = await app.doctor.check();
  assert.equal(r.ok, false);
  assert.deepEqual(r.integrity, ["ok"]);
  assert.deepEqual(r.foreign_key_violations.map((v) => [v.table, v.parent]), [["comments", "tasks"]]);
  await cleanup();
});

Deno.test({
  name: "[pg] doctor check of an unreachable server reports it (password hidden); a malformed URL is invalid",
  ignore: TEST_ENGINE !== "postgres",
  fn: async () => {
    const r = await checkFile("postgres://backlog:s3cret@127.0.0.1:1/backlog");
    assert.equal(r.ok, false);
    assert.equal(r.path, "postgres://backlog:***@127.0.0.1:1/backlog");
    assert.equal(r.integrity.length, 1);
    assert.doesNotMatch(JSON.stringify(r), /s3cret/);
    assert.equal((await appError(() => checkFile("postgres://a:b@[nope/x"))).code, "invalid");
  },
});

Deno.test("[pg] doctor check names invalid indexes, unvalidated constraints and tasks missing from search", {
  ignore: TEST_ENGINE !== "postgres",
}, async () => {
  const { app, cleanup } = await fileApp();
  try {
    await app.db.exec("ALTER TABLE tasks ADD CONSTRAINT t_title_short CHECK (length(title) < 100) NOT VALID");
    await app.db.exec("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_tasks_type'::regclass");
    await app.db.exec("DELETE FROM tasks_fts");
    const r = await app.doctor.check();
    assert.equal(r.ok, false);
    assert.deepEqual(r.integrity, [
      "index idx_tasks_type on tasks is invalid (rebuild it with REINDEX INDEX idx_tasks_type)",
      "constraint t_title_short on tasks is not validated",
      "1 task(s) missing from the search index tasks_fts",
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test({
  name: "[sqlite] doctor check on an overwritten file reports damage instead of throwing",
  ignore: sqliteOnly,
  fn: async () => {
    const { dir, app, cleanup } = await fileApp();
    const copy = `${dir}/copy.db`;
    await app.doctor.backup(copy);
    // Garble the tasks table's root page: the schema still reads, the table's b-tree does not.
    const meta = new SqliteStore(copy, { readOnly: true });
    const { rootpage } = (await meta.get<{ rootpage: number }>(
      "SELECT rootpage FROM sqlite_schema WHERE name = 'tasks'",
    ))!;
    const { page_size } = (await meta.get<{ page_size: number }>("PRAGMA page_size"))!;
    await meta.close();
    const bytes = await Deno.readFile(copy);
    bytes.fill(0xab, (rootpage - 1) * page_size + 8, rootpage * page_size);
    await Deno.writeFile(copy, bytes);
    const db = new SqliteStore(copy, { readOnly: true });
    const r = await checkIntegrity(db);
    await db.close();
    assert.equal(r.ok, false);
    // One entry per problem (integrity_check may pack several into one row; they are split).
    assert.ok(r.integrity.length >= 1 && r.integrity.every((l) => !l.includes("\n")));
    assert.match(r.integrity[0], /malformed|corrupt|btree/i);
    await cleanup();
  },
});

Deno.test("doctor backup writes a consistent copy and refuses to overwrite without force", async () => {
  const { dir, app, cleanup } = await fileApp();
  const r = await app.doctor.backup(`${dir}/b.db`);
  assert.equal(r.path, `${dir}/b.db`);
  assert.ok(r.bytes > 0);
  const copy = await openApp({ dbPath: r.path, noMigrate: true });
  assert.equal((await copy.tasks.list({ project: "api" })).page.total, 1);
  await copy.close();
  const e = await appError(() => app.doctor.backup(`${dir}/b.db`));
  assert.equal(e.code, "conflict");
  assert.match(e.message, /backup target already exists/);
  await app.tasks.create({ project: "api", title: "two" }, alice);
  await app.doctor.backup(`${dir}/b.db`, { force: true });
  const again = await openApp({ dbPath: r.path, noMigrate: true });
  assert.equal((await again.tasks.list({ project: "api" })).page.total, 2);
  await again.close();
  // Nothing temporary is left beside the target.
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.includes(".tmp-"));
  assert.deepEqual(names, []);
  await cleanup();
});

Deno.test("doctor backup into a directory (a new one for a trailing /), a missing one, a file, or the database", async () => {
  const { dir, app, cleanup } = await fileApp();
  await Deno.mkdir(`${dir}/out`);
  assert.equal((await app.doctor.backup(`${dir}/out`)).path, `${dir}/out/backlog.backup.db`);
  const missing = await appError(() => app.doctor.backup(`${dir}/nope/b.db`));
  assert.equal(missing.code, "invalid");
  assert.equal(missing.message, `backup directory does not exist: ${dir}/nope`);
  // A trailing "/" names a directory: created (parents too), the default file name inside.
  const made = await app.doctor.backup(`${dir}/bk/daily/`);
  assert.equal(made.path, `${dir}/bk/daily/backlog.backup.db`);
  assert.ok(Deno.statSync(`${dir}/bk/daily`).isDirectory);
  assert.ok(Deno.statSync(made.path).size > 0);
  assert.equal((await app.doctor.backup(`${dir}/bk/daily//`, { force: true })).path, made.path);
  assert.equal((await appError(() => app.doctor.backup(`${dir}/bk/daily/`))).code, "conflict");
  // A file where a directory is named: refused, nothing created.
  await Deno.writeTextFile(`${dir}/plain`, "x");
  for (const to of [`${dir}/plain/`, `${dir}/plain/b.db`]) {
    const e = await appError(() => app.doctor.backup(to));
    assert.equal(e.code, "invalid");
    assert.equal(e.message, `backup destination is not a directory: ${dir}/plain`);
  }
  const under = await appError(() => app.doctor.backup(`${dir}/plain/sub/`));
  assert.equal(under.code, "invalid");
  assert.match(under.message, new RegExp(`^backup: cannot create directory "${dir}/plain/sub": `));
  assert.equal(Deno.readTextFileSync(`${dir}/plain`), "x");
  if (app.db.dialect === "sqlite") {
    assert.equal(
      (await appError(() => app.doctor.backup(`${dir}/backlog.db`, { force: true }))).code,
      "invalid",
    );
  }
  await cleanup();
});

Deno.test("doctor backup taken while another process keeps writing opens and passes integrity_check", async () => {
  const { dir, app, dbPath, cleanup } = await fileApp();
  await app.projects.create({ alias: "load", name: "Load" }, alice);
  for (let i = 0; i < 40; i++) await app.memory.add("api", "m".repeat(100_000), "bulk", alice); // ~4 MB to copy
  const writer = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fixtures/writer.ts", import.meta.url).pathname,
      dbPath,
      "4000",
    ],
    env: { DENO_DIR: await cacheDir() },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = writer.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("ready")) out += (await reader.read()).value ?? "";
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const b = await app.doctor.backup(`${dir}/b${i}.db`);
    const copy = new SqliteStore(b.path, { readOnly: true });
    assert.deepEqual((await checkIntegrity(copy)).integrity, ["ok"]);
    counts.push((await copy.get<{ n: number }>("SELECT COUNT(*) AS n FROM tasks"))!.n);
    await copy.close();
  }
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  assert.equal((await writer.status).code, 0);
  const written = Number(out.trim().split("\n").pop());
  assert.ok(written > 0, "the writer made progress");
  // Each snapshot saw more of the writer's tasks than the one before: backups ran while it wrote.
  assert.ok(counts[4] > counts[0], `counts grew: ${counts}`);
  await cleanup();
});

Deno.test("doctor check finds stale stored counts; repair rebuilds them and the queue honours the graph again", async () => {
  const { app, cleanup } = await fileApp();
  try {
    const a = await app.tasks.create({ project: "api", title: "blocker", priority: 3 }, alice);
    const b = await app.tasks.create({ project: "api", title: "waits", priority: 1 }, alice);
    await app.tasks.archive("TASK-1", alice); // out of the way: the queue is a and b
    await app.deps.add(b.ref, a.ref, alice);
    assert.equal((await app.doctor.check()).ok, true);
    // A writer that does not keep the counts (another tool, a hand edit) leaves them stale.
    await app.db.run("UPDATE tasks SET blockers_open = 0, unblocks = 4 WHERE id = ?", b.id);
    await app.db.run("UPDATE task_counts SET n = n + 2 WHERE status = 'todo' AND archived = 0");
    const r = await app.doctor.check();
    assert.equal(r.ok, false);
    assert.deepEqual(r.stale_ranking, [
      { task: b.ref, field: "unblocks", stored: 4, actual: 0 },
      { task: b.ref, field: "blockers_open", stored: 0, actual: 1 },
    ]);
    assert.deepEqual(r.stale_totals, [{
      project: "api",
      status: "todo",
      archived: false,
      stored: 4,
      actual: 2,
    }]);
    assert.deepEqual(await app.doctor.repair(), { unblocks: 1, blockers_open: 1, task_counts: 1 });
    assert.equal((await app.doctor.check()).ok, true);
    assert.deepEqual(await app.doctor.repair(), { unblocks: 0, blockers_open: 0, task_counts: 0 });
    assert.equal((await app.tasks.list({ project: "api", status: ["todo"] })).page.total, 2);
    const bot = { kind: "ai", name: "claude" } as const;
    assert.equal((await app.claims.next({ claim: true }, bot)).task?.ref, a.ref);
    assert.equal((await app.claims.next({ claim: true }, bot)).task, null); // b waits on a (doing)
  } finally {
    await cleanup();
  }
});
