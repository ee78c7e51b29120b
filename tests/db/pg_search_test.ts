import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";
import type { Store } from "../../src/db/store.ts";
import { migrate } from "../../src/db/migrate.ts";
import { toSearch } from "../../src/domain/search.ts";
import { migratePg } from "../../src/db/pg/migrate.ts";
import { ftsToTsquery, PG_SEPARATORS } from "../../src/db/pg/search.ts";
import { pgTest, withPgStore } from "../helpers/pg.ts";
import { NASTY_QUERIES } from "../helpers/untrusted.ts";

/** [title, description] per task; ids are t0, t1, … */
const ROWS: [string, string][] = [
  ["Upload files to the server", "Retry the upload when the network drops"],
  ["Fix login redirect", "Users land on /home after login instead of the page they asked for"],
  ["upload-progress bar", "Show a progress bar while uploading"],
  ["Write docs", "Document the upload API and the login flow"],
  ["Flaky test in CI", "test_upload_retry fails one run in ten"],
  ["Release v2.1", "Tag, build, publish. Don't forget the changelog"],
  ["Dark theme", "Colours: background #111, text #eee — contrast ratio 4.5"],
  ["Server crash", "files upload crashes the server when the disk is full"],
  ["日本語のタイトル", "Ünïcode text with a Straße and naïve words"],
  ["Rate limits", "limit the upload rate per user; files over 10MB rejected"],
  ["Cleanup", "remove old files"],
  ["Ship it", "the end of the title and the start of the description"],
  ["Emoji 🚀 launch", "rocket🚀ship and café au lait"],
];

/** The README's query forms and FTS5's operators, as a user types them after `--search`. */
const QUERIES = [
  "nocolumn:x", // a colon after no column name is ordinary text: a phrase on both engines
  "upload",
  "Upload",
  "upload files",
  "files upload",
  "login flow",
  "upl*",
  "upload*",
  "prog* bar",
  '"upload files"',
  '"files upload"',
  '"upload" files',
  '"upl" *',
  "upload OR login",
  "upload AND login",
  "upload NOT login",
  "upload NOT login OR tag",
  "files NOT upload server",
  "files NOT upload AND server",
  "(upload OR login) AND docs",
  "title:upload",
  "description:upload",
  "title:upl*",
  'title:"fix login"',
  "-title:upload",
  "{title description}:crash",
  "title:(upload OR release)",
  "test_upload_retry",
  "v2.1",
  "v2",
  "2.1",
  "don't",
  "4.5",
  "#111",
  "/home",
  "Straße",
  "straße",
  "日本語のタイトル",
  "café",
  "launch",
  "rocket",
  "ship",
  "rocket ship",
  "rocket🚀ship",
  "Release v2.1 --",
  "title description",
  "description ship",
  '"title and the start"',
  "x + y",
  "upload + files",
  "10MB",
  "nothing matches this",
  "upload NOT (crash OR retry)",
  "-{title}:upload",
  "title:(upload files)",
  '"progress bar" OR "dark theme"',
  "files upload*",
  "UPLOAD or login",
  "a1 OR b2",
  "title: fix",
];

/** Queries SQLite rejects; PostgreSQL must reject them too (exit 2, invalid search syntax). */
const INVALID = [
  '"unterminated',
  "upload AND OR login",
  "upload OR NOT login",
  "(upload",
  "foo-bar*",
  "upload )",
];

/** Known differences (README "Team mode"): SQLite's unicode61 folds diacritics, PostgreSQL does not. */
const DIFFERENT: Record<string, { sqlite: string[]; pg: string[] }> = {
  "naive": { sqlite: ["t8"], pg: [] },
  "unicode": { sqlite: ["t8"], pg: [] },
  "cafe": { sqlite: ["t12"], pg: [] },
};

async function sqliteIds(db: Store, q: string): Promise<string[] | Error> {
  const s = toSearch(q);
  if (!s?.fts) return [];
  try {
    return (await db.all<{ id: string }>(
      "SELECT id FROM tasks WHERE rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?) ORDER BY id",
      s.fts,
    )).map((r) => r.id);
  } catch (err) {
    return err as Error;
  }
}

async function pgIds(db: Store, q: string): Promise<string[] | Error> {
  const s = toSearch(q);
  if (!s?.fts) return [];
  let tsq: string | undefined;
  try {
    tsq = ftsToTsquery(s.fts);
  } catch (err) {
    return err as Error;
  }
  if (tsq === undefined) return [];
  const rows = await db.all<{ id: string }>(
    "SELECT task_id AS id FROM tasks_fts WHERE document @@ ?::tsquery ORDER BY task_id",
    tsq,
  );
  return rows.map((r) => r.id);
}

Deno.test("the postgres FTS tokenizer splits on the same characters as the query translator", () => {
  const sql = Deno.readTextFileSync(new URL("../../migrations/pg/0001_init.sql", import.meta.url));
  assert.ok(sql.includes(`regexp_replace(s, '[${PG_SEPARATORS}]+', ' ', 'g')`));
});

Deno.test("FTS5 expressions become tsquery text", () => {
  assert.equal(ftsToTsquery('"upload files"'), "('upload':A <-> 'files':A | 'upload':B <-> 'files':B)");
  assert.equal(ftsToTsquery("title:upl*"), "'upl':*A");
  assert.equal(ftsToTsquery("a b NOT c OR d"), "((('a' & 'b') & !'c') | 'd')");
  assert.equal(ftsToTsquery('"it\'s"'), "('it':A <-> 's':A | 'it':B <-> 's':B)");
  assert.equal(ftsToTsquery('"--"'), undefined);
  assert.throws(() => ftsToTsquery("NEAR(a b)"), /invalid search syntax/);
  assert.throws(() => ftsToTsquery("^a"), /invalid search syntax/);
});

pgTest("the same searches over the same tasks find the same rows on SQLite and PostgreSQL", async () => {
  const lite = new SqliteStore(":memory:");
  await migrate(lite);
  await withPgStore(async (pg) => {
    await migratePg(pg);
    // The same SQL on both engines.
    const project =
      "INSERT INTO projects (id, alias, name, created_at, updated_at) VALUES ('p', 'p', 'P', 1, 1)";
    const insert =
      "INSERT INTO tasks (id, project_id, title, description, created_at, updated_at, task_seq) VALUES (?, 'p', ?, ?, 1, 1, ?)";
    const retitle = "UPDATE tasks SET title = ? WHERE id = ?";
    for (const db of [lite, pg]) {
      await db.exec(project);
      for (const [i, [title, description]] of ROWS.entries()) {
        await db.run(insert, `t${i}`, title, description, i + 1);
      }
      // An update keeps the index in step on both engines.
      await db.run(retitle, "Cleanup stale uploads", "t10");
    }

    let nonEmpty = 0;
    for (const q of QUERIES) {
      const a = await sqliteIds(lite, q);
      assert.ok(!(a instanceof Error), `sqlite rejected ${q}: ${a}`);
      assert.deepEqual(await pgIds(pg, q), a, `query ${q}`);
      if (a.length) nonEmpty++;
    }
    assert.ok(nonEmpty >= 30, `${nonEmpty} queries matched something`);
    assert.deepEqual(await sqliteIds(lite, "stale"), ["t10"]);
    for (const q of INVALID) {
      assert.ok((await sqliteIds(lite, q)) instanceof Error, `sqlite accepted ${q}`);
      const b = await pgIds(pg, q);
      assert.ok(b instanceof Error && /invalid search syntax/.test(b.message), `postgres accepted ${q}`);
    }
    // Hostile input: rejected on both engines alike, or the same rows.
    for (const q of NASTY_QUERIES) {
      const [a, b] = [await sqliteIds(lite, q), await pgIds(pg, q)];
      if (a instanceof Error) {
        assert.ok(b instanceof Error && /invalid search syntax/.test(b.message), `pg took ${q}`);
      } else assert.deepEqual(b, a, `query ${JSON.stringify(q)}`);
    }
    for (const [q, want] of Object.entries(DIFFERENT)) {
      assert.deepEqual(await sqliteIds(lite, q), want.sqlite, `sqlite ${q}`);
      assert.deepEqual(await pgIds(pg, q), want.pg, `postgres ${q}`);
    }
    // Deleting a task removes it from the index.
    await pg.run("DELETE FROM tasks WHERE id = 't0'");
    assert.deepEqual(await pgIds(pg, '"upload files"'), []);
  });
  await lite.close();
});
