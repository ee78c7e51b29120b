// import, export and doctor backup across the engines: a SQLite workspace moved into PostgreSQL,
// exported back, and backed up into a SQLite file that import restores.
import assert from "node:assert/strict";
import { type App, openApp } from "../../src/app.ts";
import type { Store } from "../../src/db/store.ts";
import { type ExportFormat, exportTo } from "../../src/services/interchange/export.ts";
import { importWorkspace } from "../../src/services/interchange/import_db.ts";
import { alice, appError } from "../helpers/app.ts";

import { freshPgDatabase, pgTest } from "../helpers/pg.ts";
import { counterIds, exactClock, originalV8Db, sqliteWorkspace } from "./helpers.ts";

/** The tables a workspace's content lives in (the search index differs by engine and is left out). */
const TABLES = [
  "projects",
  "tasks",
  "labels",
  "task_labels",
  "plans",
  "plan_versions",
  "comments",
  "task_deps",
  "task_runs",
  "project_memory",
  "project_docs",
  "project_doc_versions",
  "attachments",
  "activity_log",
  "task_counts",
  "schema_meta",
];

/**
 * Every row of every content table as text, the same on both engines for the same content: integers
 * exactly (as text), bytes as hex, rows sorted. `xmin` adds PostgreSQL's row version to each row, so
 * two dumps differ when a row was rewritten even with the same values.
 */
async function dumpStore(db: Store, opts: { xmin?: boolean } = {}): Promise<Record<string, string[]>> {
  const pg = db.dialect === "postgres";
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    if (table === "task_counts") {
      // PostgreSQL spreads a total over per-connection slots (pg/0016_task_counts_slots.sql): the totals.
      const x = pg && opts.xmin ? ", string_agg(CAST(xmin AS TEXT), ',' ORDER BY slot) AS xmin" : "";
      out[table] = (await db.all(
        `SELECT CAST(archived AS TEXT) AS archived, CAST(SUM(n) AS TEXT) AS n, project_id, status${x}
         FROM task_counts GROUP BY project_id, status, archived HAVING SUM(n) <> 0`,
      )).map((r) => JSON.stringify(r)).sort();
      continue;
    }
    const cols = pg
      ? await db.all<{ name: string; type: string }>(
        `SELECT column_name AS name, data_type AS type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ? ORDER BY column_name`,
        table,
      )
      : (await db.all<{ name: string; type: string }>("SELECT name, type FROM pragma_table_info(?)", table))
        .sort((a, b) => a.name < b.name ? -1 : 1);
    // activity_log.seq is PostgreSQL's own log position (drawn at commit), not imported data.
    const exprs = cols.filter((c) => !(pg && table === "activity_log" && c.name === "seq")).map(
      ({ name, type }) => {
        const t = type.toLowerCase();
        if (t === "bytea") return `upper(encode(${name}, 'hex')) AS ${name}`;
        if (t === "blob") return `hex(${name}) AS ${name}`;
        if (t === "bigint" || t === "integer") return `CAST(${name} AS TEXT) AS ${name}`;
        return name;
      },
    );
    if (pg && opts.xmin) exprs.push("CAST(xmin AS TEXT) AS xmin");
    const rows = await db.all(`SELECT ${exprs.join(", ")} FROM ${table}`);
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

async function exportText(app: App, format: ExportFormat = "json"): Promise<string> {
  let s = "";
  await exportTo(app, { format, includeArchived: true }, (c) => void (s += c));
  return s;
}

/** An app with the fixed clock and IDs of tests/interchange (so two imports write the same rows). */
const fixed = (dbPath: string) => openApp({ dbPath, clock: exactClock(), ids: counterIds("01K9") });

/** A workspace with a bit of everything, written by the CLI (SQLite). */
async function seeded() {
  const ws = await sqliteWorkspace();
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
  await ok(["task", "add", "-p", "api", "-t", "Held"]);
  await ok(["task", "archive", "TASK-4"]);
  await ok(["task", "dep", "add", "TASK-2", "--blocked-by", "TASK-1"]);
  await ok(["task", "claim", "TASK-5"]);
  await ok(["plan", "add", "--task", "TASK-1", "--title", "Plan", "--content", "v1"]);
  await ok(["comment", "add", "looked into it", "--task", "TASK-1"]);
  await ok(["memory", "add", "use prepared statements", "-p", "api", "--tag", "decisions"]);
  await ok(["doc", "add", "-p", "api", "--title", "Runbook", "--content", "step 1"]);
  await Deno.writeFile(`${ws.home}/trace.bin`, new Uint8Array([0, 255, 16, 226]));
  await ok(["attachment", "add", "trace.bin", "--task", "TASK-1"]);
  return ws;
}

pgTest(
  "a SQLite workspace moves into PostgreSQL as into SQLite; again writes nothing; export and backup round-trip",
  async () => {
    const src = await seeded();
    const dir = await Deno.makeTempDir({ prefix: "backlog-pginter-" });
    const one = await freshPgDatabase();
    const two = await freshPgDatabase();
    const lite = await fixed(":memory:");
    const pg = await fixed(one.path);
    let restored: App | undefined;
    try {
      const expected = await importWorkspace(lite, src.db, {}, alice);
      const got = await importWorkspace(pg, src.db, {}, alice);
      assert.deepEqual(got, expected);
      assert.equal(got.tasks, 5);
      // The same rows, actors and timestamps (activity rows and IDs included) on both engines.
      const rows = await dumpStore(pg.db);
      assert.deepEqual(rows, await dumpStore(lite.db));
      assert.deepEqual(
        [
          rows.tasks.length,
          rows.comments.length,
          rows.task_deps.length,
          rows.task_runs.length,
          rows.attachments.length,
        ],
        [5, 1, 1, 1, 1],
      );
      assert.equal(rows.activity_log.filter((r) => r.includes('"action":"imported"')).length, 2);
      for (const f of ["json", "csv", "md"] as const) {
        assert.equal(await exportText(pg, f), await exportText(lite, f));
      }

      // A second import writes nothing at all: no row added, none rewritten, no activity.
      const before = await dumpStore(pg.db, { xmin: true });
      const again = await importWorkspace(pg, src.db, {}, alice);
      assert.deepEqual([again.tasks, again.tasks_existing, again.projects, again.projects_existing], [
        0,
        5,
        0,
        2,
      ]);
      assert.deepEqual(await dumpStore(pg.db, { xmin: true }), before);

      // doctor backup on PostgreSQL: a SQLite workspace holding everything, which import restores.
      const backup = await pg.doctor.backup(`${dir}/pg.backup.db`);
      const file = await openApp({ dbPath: backup.path, noMigrate: true });
      try {
        assert.deepEqual(await dumpStore(file.db), await dumpStore(pg.db));
        assert.equal((await file.doctor.check()).ok, true);
      } finally {
        await file.close();
      }
      restored = await fixed(two.path);
      const r = await importWorkspace(restored, backup.path, {}, alice);
      assert.deepEqual([r.projects, r.tasks, r.plans, r.comments, r.docs, r.attachments], [2, 5, 1, 1, 1, 1]);
      assert.equal(await exportText(restored), await exportText(pg));
      assert.equal((await restored.doctor.check()).ok, true);

      // Another server's workspace imports straight from its URL (one snapshot, the server untouched).
      const pulled = await fixed(":memory:");
      try {
        const p = await importWorkspace(pulled, one.path, {}, alice);
        assert.deepEqual([p.format, p.tasks, p.source.includes(":***@")], ["postgres", 5, true]);
        assert.equal(await exportText(pulled), await exportText(pg));
      } finally {
        await pulled.close();
      }
      const self = await appError(() => importWorkspace(pg, one.path, {}, alice));
      assert.equal(self.code, "invalid");
      assert.match(self.message, /is the current workspace database/);
    } finally {
      await lite.close();
      await pg.close();
      await restored?.close();
      await one.drop();
      await two.drop();
      await src.cleanup();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

pgTest("the original's workspace (schema v8) imports into PostgreSQL exactly as into SQLite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "backlog-pginter-" });
  const db = await freshPgDatabase();
  const lite = await fixed(":memory:");
  const pg = await fixed(db.path);
  try {
    await originalV8Db(`${dir}/orig.db`);
    const expected = await importWorkspace(lite, `${dir}/orig.db`, {}, alice);
    assert.deepEqual(await importWorkspace(pg, `${dir}/orig.db`, {}, alice), expected);
    assert.equal(expected.tasks, 3);
    assert.deepEqual(await dumpStore(pg.db), await dumpStore(lite.db));
    // Exact nanosecond timestamps survive the trip into PostgreSQL.
    const t = await pg.db.get<{ c: string }>(
      "SELECT CAST(created_at AS TEXT) AS c FROM tasks WHERE id = '01HV00000000000000000TASK1'",
    );
    assert.equal(t?.c, String(BigInt(Date.parse("2025-06-01T10:00:00Z")) * 1_000_000n + 123_457n));
    // A dry run reports the same counts and leaves everything as it was.
    const before = await dumpStore(pg.db, { xmin: true });
    const dry = await importWorkspace(pg, `${dir}/orig.db`, { dryRun: true }, alice);
    assert.equal(dry.dry_run, true);
    assert.deepEqual(await dumpStore(pg.db, { xmin: true }), before);
  } finally {
    await lite.close();
    await pg.close();
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});
