import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { isPgUrl } from "../../src/db/url.ts";
import { workspace } from "../helpers/cli.ts";
import { count, dump, originalV8Db, sha256, sqliteWorkspace, withDb } from "./helpers.ts";

type Ws = Awaited<Awaited<ReturnType<typeof workspace>>>;

async function seed(ws: Ws) {
  const as = ["--as", "ai:claude"];
  const ok = async (argv: string[]) => {
    const r = await ws.run([...argv, ...as]);
    assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r;
  };
  await ok(["project", "add", "API", "--alias", "api", "--repo-path", "/code/api"]);
  await ok(["project", "add", "Web", "--alias", "web"]);
  await ok([
    "task",
    "add",
    "-p",
    "api",
    "-t",
    "Fix login",
    "--type",
    "bug",
    "--priority",
    "P1",
    "--label",
    "auth,sec",
    "--source",
    "semgrep",
    "--external-ref",
    "SEM-1",
    "--project-path",
    "src/a.ts:1",
    "--due-date",
    "2026-03-01",
  ]);
  await ok(["task", "add", "-p", "api", "-t", "Write docs", "-d", "with a\nnewline"]);
  await ok(["task", "add", "-p", "web", "-t", "Landing page", "--status", "done"]);
  await ok(["task", "add", "-p", "web", "-t", "Old thing"]);
  await ok(["task", "archive", "TASK-4"]);
  await ok(["task", "dep", "add", "TASK-2", "--blocked-by", "TASK-1"]);
  await ok(["plan", "add", "--task", "TASK-1", "--title", "Plan", "--content", "v1"]);
  await ok(["comment", "add", "looked into it", "--task", "TASK-1"]);
  await ok(["memory", "add", "use prepared statements", "-p", "api", "--tag", "decisions"]);
  await ok(["doc", "add", "-p", "api", "--title", "Runbook", "--content", "step 1"]);
}

const exportAll = async (ws: Ws) => {
  const r = await ws.run(["export", "-p", "", "--include-archived"]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};

Deno.test("export json → import into a fresh workspace gives the same tasks, and a second import changes nothing", async () => {
  const a = await workspace();
  const b = await workspace();
  try {
    await seed(a);
    const exported = await exportAll(a);
    await Deno.writeTextFile(`${b.home}/tasks.json`, exported);
    const r = await b.json<Record<string, number>>(["import", "tasks.json"]);
    assert.equal(r.tasks, 4);
    assert.equal(r.projects, 2);
    assert.equal(await exportAll(b), exported);
    const before = await dump(b.db);
    const again = await b.json<Record<string, number>>(["import", "tasks.json"]);
    assert.equal(again.tasks, 0);
    assert.equal(again.tasks_existing, 4);
    assert.equal(await dump(b.db), before);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});

Deno.test("import of another workspace keeps everything and is idempotent; the source file is untouched", async () => {
  const a = await sqliteWorkspace();
  const b = await workspace();
  try {
    await seed(a);
    await b.run(["project", "add", "API here", "--alias", "api"]);
    await b.run(["task", "add", "-p", "api", "-t", "Local task"]);
    const hash = await sha256(a.db);
    const r = await b.json<Record<string, number>>(["import", a.db]);
    assert.deepEqual(
      [r.projects, r.projects_existing, r.tasks, r.plans, r.comments, r.memory, r.docs, r.deps, r.labels],
      [1, 1, 4, 1, 1, 1, 1, 1, 2],
    );
    assert.equal(await sha256(a.db), hash);
    // Same IDs, actors and timestamps; new TASK-N numbers after the local task.
    const src = JSON.parse(await exportAll(a)).tasks;
    const dst = JSON.parse(await exportAll(b)).tasks;
    for (const t of src) {
      const d = dst.find((x: { id: string }) => x.id === t.id);
      assert.ok(d, `task ${t.id} imported`);
      for (
        const k of [
          "title",
          "description",
          "actor",
          "created_at",
          "updated_at",
          "project_path",
          "due_at",
        ]
      ) {
        assert.deepEqual(d[k], t[k], k);
      }
      // Labels keep their ids, names and colours; they belong to the project they were merged into.
      const label = ({ project_id: _, ...l }: { project_id: string }) => l;
      assert.deepEqual(d.labels?.map(label), t.labels?.map(label), "labels");
      assert.notEqual(d.seq, 1);
    }
    const show = await b.json<{ plans: unknown[]; comments: { actor: { name: string } }[] }>([
      "task",
      "show",
      src[0].id,
    ]);
    assert.equal(show.plans.length, 1);
    assert.equal(show.comments[0].actor.name, "claude");
    // The API project kept its local name; nothing duplicated on a second run.
    const before = await dump(b.db);
    const again = await b.json<Record<string, number>>(["import", a.db]);
    assert.equal(again.tasks + again.plans + again.comments + again.memory + again.docs + again.labels, 0);
    assert.equal(await dump(b.db), before);
    assert.equal(await count(b.db, "tasks"), 5);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});

Deno.test("import -p brings one project; --dry-run reports the same counts and writes nothing", async () => {
  const a = await sqliteWorkspace();
  const b = await workspace();
  try {
    await seed(a);
    await b.run(["--db", b.db, "init"]);
    const before = await dump(b.db);
    const dry = await b.run(["import", a.db, "-p", "web", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\[dry-run\] imported: 1 projects, 2 tasks, 0 plans, 0 comments, 0 labels/);
    assert.equal(await dump(b.db), before);
    const real = await b.json<Record<string, number>>(["import", a.db, "-p", "web"]);
    assert.equal(real.tasks, 2);
    assert.equal(await count(b.db, "projects"), 1);
    const missing = await b.run(["import", a.db, "-p", "nope"]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /project "nope" not found in the source/);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});

Deno.test("import of a database written by the original (schema v8) keeps actors, exact timestamps, docs, memory and attachments", async () => {
  const b = await workspace();
  try {
    const src = `${b.home}/original.db`;
    await originalV8Db(src);
    const hash = await sha256(src);
    const r = await b.json<Record<string, number>>(["import", src]);
    assert.deepEqual(
      [
        r.projects,
        r.tasks,
        r.plans,
        r.plan_versions,
        r.comments,
        r.labels,
        r.memory,
        r.docs,
        r.doc_versions,
        r.attachments,
      ],
      [2, 3, 1, 2, 1, 2, 1, 1, 2, 2],
    );
    assert.equal(await sha256(src), hash, "source file unchanged");
    for (const side of ["-wal", "-shm", "-journal"]) {
      await assert.rejects(Deno.stat(src + side), Deno.errors.NotFound);
    }
    await withDb(b.db, async (raw) => {
      const t = (await raw.get<Record<string, unknown>>(
        "SELECT actor_name, project_path, CAST(created_at AS TEXT) AS created FROM tasks WHERE id = '01HV00000000000000000TASK1'",
      ))!;
      assert.equal(t.actor_name, "alice");
      assert.equal(t.project_path, "src/login.go:84");
      assert.equal(t.created, String(BigInt(Date.parse("2025-06-01T10:00:00Z")) * 1_000_000n + 123_457n));
      const archived = await raw.get<{ archived_at: number }>(
        "SELECT archived_at FROM projects WHERE alias = 'web'",
      );
      assert.ok(archived!.archived_at > 0);
      const att = await raw.get<{ data: Uint8Array; linked_id: string }>(
        "SELECT data, linked_id FROM attachments WHERE id = '01HV000000000000000000ATT1'",
      );
      assert.deepEqual([...att!.data], [0x00, 0xff, 0x10, 0xe2]);
      assert.equal(att!.linked_id, "01HV00000000000000000TASK1");
      const mem = await raw.get<Record<string, string>>("SELECT actor_name, tags FROM project_memory");
      assert.deepEqual({ ...mem }, { actor_name: "claude", tags: "decisions,sql" });
      const pv = await raw.get<{ current_version: number }>("SELECT current_version FROM plans");
      assert.equal(pv!.current_version, 2);
    });
    const doc = await b.json<{ docs: { id: string; current_version: number }[] }>([
      "doc",
      "list",
      "-p",
      "api",
    ]);
    assert.equal(doc.docs[0].current_version, 2);
    const fts = await b.json<{ tasks: unknown[] }>(["task", "list", "-p", "api", "--search", "login"]);
    assert.equal(fts.tasks.length, 1);
    const before = await dump(b.db);
    const again = await b.run(["import", src]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await dump(b.db), before);
  } finally {
    await b.cleanup();
  }
});

Deno.test("tasks the original importer copied (imported:<id> or same external_ref) are matched, not duplicated", async () => {
  const b = await workspace();
  try {
    const src = `${b.home}/original.db`;
    await originalV8Db(src);
    await b.run(["project", "add", "API", "--alias", "api"]);
    await b.run([
      "task",
      "add",
      "-p",
      "api",
      "-t",
      "Fix login timeout",
      "--source",
      "semgrep",
      "--external-ref",
      "SEM-1",
    ]);
    await b.run([
      "task",
      "add",
      "-p",
      "api",
      "-t",
      "Write docs",
      "--external-ref",
      "imported:01HV00000000000000000TASK2",
    ]);
    const r = await b.json<Record<string, number>>(["import", src, "-p", "api"]);
    assert.equal(r.tasks, 0);
    assert.equal(r.tasks_existing, 2);
    assert.equal(await count(b.db, "tasks"), 2);
    assert.equal(r.plans, 1, "plans of matched tasks are merged");
  } finally {
    await b.cleanup();
  }
});

Deno.test("import refuses the current workspace, non-databases and corrupted files, changing nothing", async () => {
  const b = await workspace();
  try {
    await b.run(["project", "add", "API", "--alias", "api"]);
    const before = await dump(b.db);
    if (!isPgUrl(b.db)) {
      const self = await b.run(["import", b.db]);
      assert.equal(self.code, 2);
      assert.match(self.stderr, /is the current workspace database/);
      const viaLink = `${b.home}/link.db`;
      await Deno.symlink(b.db, viaLink);
      assert.equal((await b.run(["import", viaLink])).code, 2);
    }

    await Deno.writeTextFile(`${b.home}/notes.txt`, "hello, not a database\n");
    const text = await b.run(["import", "notes.txt"]);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /is not a recognised format/);

    const other = await sqliteWorkspace();
    await other.run(["project", "add", "X", "--alias", "x"]);
    for (let i = 0; i < 30; i++) {
      await other.run(["task", "add", "-p", "x", "-t", `task ${i} ${"y".repeat(300)}`]);
    }
    const bytes = await Deno.readFile(other.db);
    for (let off = 4096; off < bytes.length; off += 97) bytes[off] = (bytes[off] + 77) & 0xff;
    await Deno.writeFile(`${b.home}/corrupt.db`, bytes);
    const bad = await b.run(["import", "corrupt.db"]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /is damaged or not a database/);
    await other.cleanup();

    const plain = new DatabaseSync(`${b.home}/plain.db`);
    plain.exec("CREATE TABLE t (x)");
    plain.close();
    const notOurs = await b.run(["import", "plain.db"]);
    assert.equal(notOurs.code, 2);
    assert.match(notOurs.stderr, /not a backlog workspace/);

    await Deno.writeTextFile(`${b.home}/broken.json`, '{\n  "tasks": [\n    {"id": }\n  ]\n}\n');
    const json = await b.run(["import", "broken.json"]);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /invalid JSON at line 3, column 12/);

    const missing = await b.run(["import", "nope.db"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read ".*nope\.db": no such file/);
    assert.equal(await dump(b.db), before);
  } finally {
    await b.cleanup();
  }
});
