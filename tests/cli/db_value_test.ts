import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { pgTest, withPgDatabase } from "../helpers/pg.ts";
import { openPgStore } from "../../src/db/pg/open.ts";
import { notAFilePath, redactUrl } from "../../src/db/url.ts";

// A mistyped database URL is neither a server nor a path: taken as a path it was echoed in errors and
// created as folders, password and all.

const SECRET = "Hunter2-Secret";
const typos = [
  `postgress://ann:${SECRET}@127.0.0.1:5432/team`,
  `pg://ann:${SECRET}@db/team`,
  `postgres//ann:${SECRET}@db/team`,
  `postgres:/ann:${SECRET}@db/team`,
  ` postgres://ann:${SECRET}@db/team`,
];

Deno.test("a mistyped database URL is exit 2 on --db, $BACKLOG_DB, init and profile add, never echoed, nothing created", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    for (const bad of typos) {
      for (
        const [argv, env] of [
          [["task", "list", "--db", bad], {}],
          [["task", "add", "-t", "x"], { BACKLOG_DB: bad }],
          [["init", "--db", bad], {}],
          [["init", "--path", bad], {}],
          [["profile", "add", "t", "--path", bad], {}],
        ] as [string[], Record<string, string>][]
      ) {
        // (profile add trims its --path, as it always has: a URL with spaces around it is a URL there.)
        if (argv[0] === "profile" && bad !== bad.trim()) continue;
        const r = await cli(argv, { env: { HOME: home, ...env }, cwd: home });
        assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
        assert.ok(!(r.stdout + r.stderr).includes(SECRET), r.stderr);
        assert.match(r.stderr, /^error: (--db|\$BACKLOG_DB|--path): /);
      }
    }
    assert.deepEqual([...Deno.readDirSync(home)], [], "no folder, file or config was created");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("plain paths and postgres URLs are not refused; redactUrl hides a password with / or # in it", () => {
  for (
    const ok of ["/tmp/a.db", "x/backlog.db", "~/work", "team.db", "postgres://u:p@h/d", "postgresql://h/d"]
  ) {
    assert.equal(notAFilePath(ok), undefined, ok);
  }
  assert.equal(
    redactUrl(`postgres://weird:p@ss:w/rd%1#x@127.0.0.1:5432/db`),
    "postgres://weird:***@127.0.0.1:5432/db",
  );
});

pgTest(
  "a read on a database without backlog's schema is no_workspace and creates nothing; a write sets it up",
  async () => {
    await withPgDatabase(async (url) => {
      const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
      try {
        const tables = async () => {
          const s = await openPgStore(url, { max: 1 });
          try {
            return (await s.all("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).length;
          } finally {
            await s.close();
          }
        };
        const r = await cli(["task", "list", "--db", url, "--json"], { env: { HOME: home } });
        assert.equal(r.code, 1, r.stderr);
        assert.equal(JSON.parse(r.stderr.trim()).error.code, "no_workspace");
        assert.match(r.stderr, /no backlog schema in postgres database/);
        assert.equal(await tables(), 0);
        const w = await cli(["project", "add", "API", "--alias", "api", "--db", url], {
          env: { HOME: home },
        });
        assert.equal(w.code, 0, w.stderr);
        assert.ok(await tables() > 0);
        assert.equal((await cli(["task", "list", "--db", url], { env: { HOME: home } })).code, 0);
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });
  },
);
