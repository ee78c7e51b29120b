import assert from "node:assert/strict";
import { cacheDir, cli, mainPath, oneShotWithoutTimers, workspace } from "../helpers/cli.ts";
import { within } from "../helpers/app.ts";
import { pgTest, TEST_PG, withPgDatabase } from "../helpers/pg.ts";
import { resolveWorkspace } from "../../src/config/workspace.ts";
import { redactUrl } from "../../src/db/url.ts";

const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });

Deno.test("a postgres:// --db, $BACKLOG_DB or profile path is a server workspace with local files under ~/.backlog/servers", () => {
  const e = env({ HOME: "/home/ann" });
  const url = "postgres://ann:s3cret@db.example.com:6543/team?sslmode=require";
  const w = resolveWorkspace({ db: url }, {}, e, "/tmp");
  assert.deepEqual(w, {
    dbPath: url,
    dir: "/home/ann/.backlog/servers/db.example.com-6543-team",
    server: true,
    shown: "postgres://ann:***@db.example.com:6543/team?sslmode=require",
  });
  const viaEnv = resolveWorkspace(
    {},
    {},
    env({ HOME: "/home/ann", BACKLOG_DB: "postgresql://ann@db/x" }),
    "/",
  );
  assert.equal(viaEnv.dir, "/home/ann/.backlog/servers/db-5432-x");
  const viaProfile = resolveWorkspace({ profile: "team" }, { profiles: { team: { path: url } } }, e, "/tmp");
  assert.equal(viaProfile.dbPath, url);
  assert.equal(viaProfile.profile, "team");
  assert.equal(viaProfile.dir, w.dir, "one local directory per database, however it is reached");
  // A file keeps its directory; shown is the path itself.
  assert.deepEqual(resolveWorkspace({ db: "x/backlog.db" }, {}, e, "/w"), {
    dbPath: "/w/x/backlog.db",
    dir: "/w/x",
    shown: "/w/x/backlog.db",
  });
});

Deno.test("redactUrl hides the whole password, even one with an unencoded @", () => {
  assert.equal(
    redactUrl("postgres://u:p@ss@h:5/d?sslmode=require"),
    "postgres://u:***@h:5/d?sslmode=require",
  );
  assert.equal(redactUrl("postgresql://u@h/d"), "postgresql://u@h/d");
});

/** A port nothing listens on (bound, then closed). */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name: "an unreachable server is exit 1 with one error line, quickly, and without the password",
  // The driver's pool may keep a timer of the refused connection for a moment.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
    try {
      const url = `postgres://bob:hunter2-Secret@127.0.0.1:${closedPort()}/team`;
      for (const json of [false, true]) {
        const argv = ["--db", url, "project", "list", ...(json ? ["--json"] : [])];
        // The bound is the connect timeout (5 s) and a margin: a refused port must never hang.
        const r = await within(cli(argv, { env: { HOME: home } }), 6000, "the unreachable server's error");
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, "");
        assert.ok(!r.stderr.includes("hunter2"), r.stderr);
        const lines = r.stderr.trim().split("\n");
        if (json) {
          assert.equal(lines.length, 1, r.stderr);
          const e = JSON.parse(lines[0]).error;
          assert.equal(e.code, "internal");
          assert.match(e.message, /^cannot reach postgres bob@127\.0\.0\.1:\d+\/team: /);
        } else {
          assert.equal(lines.filter((l) => l.startsWith("error:")).length, 1, r.stderr);
          assert.match(lines[0], /^error: cannot reach postgres bob@127\.0\.0\.1:\d+\/team: .*ECONNREFUSED/);
          assert.ok(lines.slice(1).every((l) => l.startsWith("hint:")), r.stderr);
        }
      }
      // Nothing local was created for a server that never answered.
      assert.deepEqual([...Deno.readDirSync(home)], []);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

/** TEST_PG with a password: its own, or (a trust-auth server ignores it) a made-up one. */
function withPassword(url: string): { url: string; password: string } {
  const u = new URL(url);
  if (!u.password) u.password = "Made-Up-pw-7731";
  return { url: u.toString(), password: decodeURIComponent(u.password) };
}

pgTest(
  "a password in the URL never appears in output: init, project, doctor, profile, failing commands, activity",
  async () => {
    const w = await workspace({ engine: "postgres" });
    const { url, password } = withPassword(w.db);
    const env = { BACKLOG_DB: url };
    const seen: string[] = [];
    const run = async (argv: string[], o: { env?: Record<string, string> } = {}) => {
      const r = await w.run(argv, { env: { ...env, ...o.env } });
      seen.push(`$ ${argv.map(redactUrl).join(" ")} → ${r.code}\n${r.stdout}${r.stderr}`);
      return r;
    };
    try {
      assert.equal((await run(["init", "--db", url])).code, 0);
      assert.equal((await run(["init", "--db", url, "--json"])).code, 0);
      assert.equal((await run(["init", "--db", url, "--reset"])).code, 2, "reset is the server's job");
      assert.equal((await run(["project", "add", "API", "--alias", "api"])).code, 0);
      assert.equal((await run(["project", "list"])).code, 0);
      assert.equal((await run(["project", "list", "--json"])).code, 0);
      assert.equal((await run(["project", "show", "nope"])).code, 3);
      assert.equal((await run(["project", "set-default", "api"])).code, 0);
      assert.equal((await run(["project", "current", "--json"])).code, 0);
      assert.equal((await run(["task", "show", "TASK-99"])).code, 3);
      assert.equal((await run(["task", "add", "x", "--priority", "P9"])).code, 2);
      await run(["doctor", "check"]);
      await run(["doctor", "check", "--json"]);
      await run(["doctor", "project"]);
      await run(["activity", "--json"]); // (its exit code is the activity suite's business)
      assert.equal((await run(["profile", "add", "team", "--path", url])).code, 0);
      assert.equal((await run(["profile", "list"])).code, 0);
      assert.equal((await run(["profile", "list", "--json"])).code, 0);
      assert.equal((await run(["profile", "show", "team", "--json"])).code, 0);
      assert.equal((await run(["profile", "use", "team"])).code, 0);
      assert.equal((await run(["project", "list"], { env: { BACKLOG_DB: "" } })).code, 0);
      assert.equal((await run(["init", "--profile", "team2", "--path", url, "--json"])).code, 0);
      assert.equal((await run(["mcp", "config", "claude", "--db", url])).code, 0);
      assert.equal((await run(["import", url])).code, 2, "a server is not an import source");
      // A wrong password (refused, or ignored by a trust-auth server) is not echoed either.
      const wrong = url.replace(`:${encodeURIComponent(password)}@`, ":Wrong-pw-0042@");
      await run(["project", "list"], { env: { BACKLOG_DB: wrong } });
      await run(["--db", wrong, "project", "list", "--json"]);
      const all = seen.join("\n");
      assert.ok(!all.includes(password), all);
      assert.ok(!all.includes("Wrong-pw-0042"), all);
      assert.match(all, /postgres(ql)?:\/\/[^:@/]+:\*\*\*@/, "the URL is shown, password hidden");
      // The server workspace's config (the default project) lives in ~/.backlog/servers/….
      const dirs = [...Deno.readDirSync(`${w.home}/.backlog/servers`)].map((d) => d.name);
      assert.equal(dirs.length, 1);
      assert.match(Deno.readTextFileSync(`${w.home}/.backlog/servers/${dirs[0]}/config.toml`), /api/);
    } finally {
      await w.cleanup();
    }
  },
);

pgTest("backlog web on a postgres URL serves /api/tasks", async () => {
  const w = await workspace({ engine: "postgres" });
  try {
    assert.equal((await w.run(["project", "add", "API", "--alias", "api"])).code, 0);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", mainPath, "web", "--port", "0", "--no-browser", "--as", "ai:server"],
      env: { DENO_DIR: await cacheDir(), HOME: w.home, BACKLOG_DB: w.db, NO_COLOR: "1", CI: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let err = "";
      const url = await within(
        (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`web exited: ${err}`);
            err += value;
            const m = err.match(/backlog web UI → (http:\/\/127\.0\.0\.1:\d+)/);
            if (m) return m[1];
          }
        })(),
        60_000,
        "backlog web's address",
      );
      assert.ok(!err.includes(new URL(TEST_PG).password || "\u0000"), err);
      const made = await fetch(`${url}/api/tasks`, {
        method: "POST",
        body: JSON.stringify({ project: "api", title: "via http on postgres" }),
      });
      assert.equal(made.status, 200, await made.clone().text());
      assert.deepEqual((await made.json()).actor, { kind: "ai", name: "server" });
      const list = await fetch(`${url}/api/tasks?project=api`);
      const body = await list.json();
      assert.equal(list.status, 200, JSON.stringify(body));
      assert.deepEqual(body.tasks.map((t: { title: string }) => t.title), ["via http on postgres"]);
      // The CLI reads the same server database.
      const cliList = await w.json<{ tasks: { title: string }[] }>(["task", "list", "-p", "api"]);
      assert.deepEqual(cliList.tasks.map((t) => t.title), ["via http on postgres"]);
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await reader.cancel().catch(() => {});
    }
  } finally {
    await w.cleanup();
  }
});

pgTest(
  "a server database that does not exist is exit 1 naming it (never created), and nothing local is made",
  async () => {
    const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
    try {
      const u = new URL(TEST_PG);
      u.pathname = "/backlog_no_such_db_4711";
      for (const argv of [["project", "list"], ["project", "add", "X", "--alias", "x"]]) {
        const r = await cli(argv, { env: { HOME: home, BACKLOG_DB: u.toString() } });
        assert.equal(r.code, 1, r.stderr);
        assert.match(
          r.stderr,
          /^error: postgres database does not exist: \S+@[^:]+:\d+\/backlog_no_such_db_4711\n/,
        );
        if (u.password) assert.ok(!r.stderr.includes(u.password));
      }
      assert.deepEqual([...Deno.readDirSync(home)], []);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
);

pgTest(
  "init --db and init --path on an empty server database migrate it once; a teammate's init registers the profile",
  async () => {
    await withPgDatabase(async (url) => {
      const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
      try {
        const run = async (argv: string[]) => {
          const r = await cli([...argv, "--json"], { env: { HOME: home } });
          assert.equal(r.code, 0, r.stderr);
          return JSON.parse(r.stdout);
        };
        assert.deepEqual(await run(["init", "--db", url]), {
          ok: true,
          action: "init",
          path: redactUrl(url),
          created: true,
        });
        assert.equal((await run(["init", "--db", url])).created, false);
        // A teammate: the database already has its schema; the profile is registered all the same.
        const joined = await run(["init", "--profile", "team", "--path", url]);
        assert.deepEqual(joined, {
          ok: true,
          action: "init",
          path: redactUrl(url),
          profile: "team",
          default: true,
          created: false,
        });
        assert.equal((await run(["init", "--profile", "team", "--path", url])).default, true, "run again");
        const local = `${home}/.backlog/servers/${new URL(url).hostname}-${new URL(url).port}-${
          new URL(url).pathname.slice(1)
        }`;
        assert.match(Deno.readTextFileSync(`${local}/config.toml`), /actor = "human:tester"/);
        assert.deepEqual(
          (await run(["project", "list"])).projects,
          [],
          "the default profile names the server",
        );
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });
  },
);

pgTest(
  "a one-shot command on postgres never loads Deno's timers (their first call costs ~5 ms)",
  async () => {
    await withPgDatabase((url) => oneShotWithoutTimers(() => url));
  },
);
