import assert from "node:assert/strict";
import { cli, workspace } from "../helpers/cli.ts";

Deno.test("the default project belongs to its workspace and never leaks into another", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  const env = { HOME: home };
  const a = ["--db", `${home}/a/backlog.db`];
  const b = ["--db", `${home}/b/backlog.db`];
  try {
    await Deno.mkdir(`${home}/a`);
    await Deno.mkdir(`${home}/b`);
    assert.equal((await cli([...a, "project", "add", "--alias", "api"], { env })).code, 0);
    assert.equal((await cli([...a, "project", "use", "api"], { env })).code, 0);
    assert.equal((await cli([...b, "project", "add", "--alias", "web"], { env })).code, 0);
    const r = await cli([...b, "task", "list"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match((await cli([...a, "project", "current"], { env })).stdout, /api/);
    assert.match((await cli([...b, "project", "current"], { env })).stdout, /no active project/);
    await cli([...a, "project", "clear-default"], { env });
    assert.match((await cli([...a, "project", "current"], { env })).stdout, /no active project/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("init --profile keeps a registered profile's directory", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  const env = { HOME: home };
  try {
    await Deno.mkdir(`${home}/ws`);
    assert.equal((await cli(["profile", "add", "work", "--path", `${home}/ws`], { env })).code, 0);
    const r = await cli(["init", "--profile", "work"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${home}/ws`));
    await Deno.stat(`${home}/ws/backlog.db`);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("init run again says whether its profile is the default, and --set-default then makes it so", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  const env = { HOME: home };
  const init = async (...argv: string[]) => {
    const r = await cli(["init", ...argv, "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const { default: isDefault, created } = JSON.parse(r.stdout);
    return { default: isDefault, created };
  };
  try {
    assert.deepEqual(await init(), { default: true, created: true });
    assert.deepEqual(await init(), { default: true, created: false }, "still the default");
    assert.match(
      (await cli(["init"], { env })).stdout,
      /^✓ already initialized; .*\(profile: "default", .*\) \[default\]\n$/,
    );
    assert.deepEqual(await init("--reset"), { default: true, created: true });
    assert.deepEqual(await init("--profile", "work", "--path", `${home}/ws`), {
      default: false,
      created: true,
    });
    assert.deepEqual(await init("--profile", "work"), { default: false, created: false });
    assert.deepEqual(await init("--profile", "work", "--set-default"), { default: true, created: false });
    assert.deepEqual(await init(), { default: false, created: false }, "default moved to work");
    const list = JSON.parse((await cli(["profile", "list", "--json"], { env })).stdout);
    assert.equal(list.default_profile, "work");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a write to a database path that does not exist creates it and says so", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const r = await cli(["--db", `${home}/new.db`, "project", "add", "Api", "--alias", "api"], {
      env: { HOME: home },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: created a new workspace database at .*new\.db/);
    const again = await cli(["--db", `${home}/new.db`, "project", "list"], { env: { HOME: home } });
    assert.equal(again.code, 0);
    assert.equal(again.stderr, "");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

const READS = [
  ["project", "list"],
  ["project", "show", "api"],
  ["task", "list"],
  ["task", "show", "TASK-1"],
  ["task", "next"],
  ["task", "context", "TASK-1"],
  ["activity"],
  ["export"],
  ["doctor", "check"],
  ["doctor", "backup", "--to", "b.db"],
  ["watch"],
  ["web", "--port", "0", "--no-browser"],
  ["mcp", "serve"],
];

Deno.test("a read or a server on a database path that does not exist is exit 1 and creates nothing", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    for (const argv of READS) {
      for (const viaEnv of [false, true]) {
        const env: Record<string, string> = viaEnv
          ? { HOME: home, BACKLOG_DB: `${home}/typo.db` }
          : { HOME: home };
        const args = viaEnv ? argv : ["--db", `${home}/typo.db`, ...argv];
        const r = await cli(args, { env, cwd: home });
        const what = args.join(" ");
        assert.equal(r.code, 1, `${what}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^error: .*does not exist: ${home}/typo\\.db\n`), what);
        assert.match(r.stderr, /backlog init/, what);
        assert.deepEqual([...Deno.readDirSync(home)], [], `${what} left files behind`);
      }
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a read on a profile whose database was deleted names it and the init command", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const env = { HOME: home };
    assert.equal((await cli(["init", "--profile", "work", "--path", `${home}/ws`], { env })).code, 0);
    await Deno.remove(`${home}/ws/backlog.db`);
    const r = await cli(["task", "list"], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does not exist: .*ws\/backlog\.db\nhint: run `backlog init --profile work`/);
    await assert.rejects(() => Deno.stat(`${home}/ws/backlog.db`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("init --db creates that database (and its directory), says where, and commands use it", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const env = { HOME: home };
    const db = ["--db", "sub/team.db"];
    const r = await cli([...db, "init"], { env, cwd: home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `✓ database created: ${home}/sub/team.db\n`);
    await Deno.stat(`${home}/sub/team.db`);
    await assert.rejects(() => Deno.stat(`${home}/.backlog`), Deno.errors.NotFound);
    await assert.rejects(() => Deno.stat(`${home}/sub/config.toml`), Deno.errors.NotFound);
    assert.equal(
      (await cli([...db, "project", "add", "Api", "--alias", "api"], { env, cwd: home })).stderr,
      "",
    );
    const again = await cli([...db, "init", "--json"], { env, cwd: home });
    assert.equal(JSON.parse(again.stdout).created, false);
    const list = await cli([...db, "project", "list", "--json"], { env, cwd: home });
    assert.equal(JSON.parse(list.stdout).projects.length, 1);
    const bad = await cli([...db, "init", "--path", "x"], { env, cwd: home });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^error: --path configures a workspace directory; init --db creates only a database/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("init --db -q prints the database path: a new file, an existing one, a reset", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const env = { HOME: home };
    for (const extra of [[], [], ["--reset"]]) {
      const r = await cli(["--db", "sub/q2.db", "init", "-q", ...extra], { env, cwd: home });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, `${home}/sub/q2.db\n`, extra.join(" "));
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a mistyped --db for a write that fails leaves no new file behind", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const r = await cli(["--db", `${home}/typo.db`, "task", "add", "-p", "api", "-t", "x"], {
      env: { HOME: home },
    });
    assert.equal(r.code, 3);
    for (const f of ["typo.db", "typo.db-wal", "typo.db-shm"]) {
      await assert.rejects(() => Deno.stat(`${home}/${f}`), Deno.errors.NotFound, f);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a bad output.default_format in either config file is refused, naming the setting (exit 2)", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "--alias", "api"]);
    const files = [`${w.dir}/config.toml`, `${w.home}/.config/backlog/config.toml`];
    await Deno.mkdir(`${w.home}/.config/backlog`, { recursive: true });
    for (const file of files) {
      await Deno.writeTextFile(file, '[output]\ndefault_format = "yaml"\n');
      for (const argv of [["task", "list"], ["task", "add", "-p", "api", "-t", "x"]]) {
        const r = await w.run(argv);
        assert.equal(r.code, 2, `${file}: ${argv.join(" ")}`);
        assert.equal(r.stdout, "");
        assert.equal(
          r.stderr,
          'error: config output.default_format: invalid format "yaml" (valid: table, json)\n',
        );
      }
      // "JSON" (any case) is json; the refused add wrote nothing.
      await Deno.writeTextFile(file, '[output]\ndefault_format = "JSON"\n');
      assert.deepEqual(JSON.parse((await w.run(["task", "list"])).stdout).tasks, []);
      await Deno.remove(file);
    }
    assert.equal((await w.run(["task", "list"])).code, 0);
  } finally {
    await w.cleanup();
  }
});
