import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";

async function home() {
  const dir = await Deno.makeTempDir({ prefix: "backlog-profile-" });
  // BACKLOG_DB points nowhere: profile commands must never open (or create) a database.
  const env = { HOME: dir, BACKLOG_DB: `${dir}/no/such/dir/backlog.db` };
  const run = (argv: string[]) => cli(argv, { env, cwd: dir });
  const json = async <T>(argv: string[]) => {
    const r = await run([...argv, "--json"]);
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  return { dir, run, json, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

type P = { name: string; path: string; dir: string; default: boolean };

Deno.test("profile add/list/show: sorted by name, relative paths stored absolute, ~ kept", async () => {
  const h = await home();
  const add = await h.run(["profile", "add", "work", "--path", "ws/work"]);
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.stdout, `✓ profile "work" registered → ${h.dir}/ws/work\n`);
  assert.match(add.stderr, /^note: no backlog.db in .*ws\/work yet; run `backlog init --profile work/);
  await h.run(["profile", "add", "alpha", "--path", "~/alpha/"]);
  await h.run(["profile", "add", "mid", "--path", "/srv/mid"]);
  const list = await h.json<{ profiles: P[]; default_profile: string }>(["profile", "list"]);
  assert.deepEqual(list.profiles.map((p) => p.name), ["alpha", "mid", "work"]);
  assert.deepEqual(list.profiles.map((p) => p.path), ["~/alpha", "/srv/mid", `${h.dir}/ws/work`]);
  assert.equal(list.profiles[0].dir, `${h.dir}/alpha`);
  assert.equal(list.default_profile, "");
  const text = await h.run(["profile", "list"]);
  assert.equal(text.stdout.split("\n")[0], `  alpha                ${h.dir}/alpha`);
  const show = await h.run(["profile", "show", "mid"]);
  assert.match(
    show.stdout,
    /^Profile: +mid\nPath: +\/srv\/mid\nDefault: +no\nDatabase: +\/srv\/mid\/backlog.db \(missing\)\n$/,
  );
  assert.equal((await Deno.stat(`${h.dir}/.config/backlog/config.toml`)).isFile, true);
  await h.cleanup();
});

Deno.test("profile set-default, use, current, clear-default", async () => {
  const h = await home();
  assert.equal(
    (await h.run(["profile", "current"])).stdout,
    "no active profile — run `backlog init` to create one\n",
  );
  await h.run(["profile", "add", "a", "--path", "/x/a"]);
  await h.run(["profile", "add", "b", "--path", "/x/b", "--set-default"]);
  assert.equal((await h.run(["profile", "current"])).stdout, `* ${"b".padEnd(20)} /x/b\n`);
  const sd = await h.json<{ ok: boolean; action: string; ref: string }>(["profile", "set-default", "a"]);
  assert.deepEqual([sd.ok, sd.action, sd.ref], [true, "set-default", "a"]);
  assert.equal((await h.run(["profile", "use", "b"])).stdout, '✓ active profile: "b" → /x/b\n');
  const cur = await h.json<{ default_profile: string; profile: P }>(["profile", "current"]);
  assert.deepEqual([cur.default_profile, cur.profile.dir], ["b", "/x/b"]);
  assert.equal(
    (await h.run(["profile", "clear-default"])).stdout,
    "✓ default profile cleared — no active profile\n",
  );
  assert.equal((await h.json<{ default_profile: string }>(["profile", "list"])).default_profile, "");
  await h.cleanup();
});

Deno.test("removing the default profile clears the default", async () => {
  const h = await home();
  await h.run(["profile", "add", "a", "--path", "/x/a", "--set-default"]);
  await h.run(["profile", "add", "b", "--path", "/x/b"]);
  const rm = await h.json<{ cleared_default: boolean }>(["profile", "remove", "a"]);
  assert.equal(rm.cleared_default, true);
  assert.equal(
    (await h.run(["profile", "current"])).stdout,
    "no active profile — run `backlog init` to create one\n",
  );
  const rmb = await h.run(["profile", "remove", "b"]);
  assert.equal(rmb.stdout, '✓ profile "b" removed (files in /x/b kept)\n');
  assert.equal((await h.run(["profile", "list"])).stdout, "no profiles registered\n");
  // Commands needing a workspace now fail cleanly instead of using a dangling default.
  const r = await cli(["task", "list"], { env: { HOME: h.dir }, cwd: h.dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: no backlog workspace found/);
  await h.cleanup();
});

Deno.test("profile bad input: duplicate, unknown, bad name, missing --path", async () => {
  const h = await home();
  await h.run(["profile", "add", "a", "--path", "/x/a"]);
  const cases: [string[], number, RegExp][] = [
    [["profile", "add", "a", "--path", "/y"], 4, /^error: profile "a" already exists\n$/],
    [["profile", "add", "b"], 2, /required flag --path/],
    [["profile", "add", "-x", "--path", "/y"], 2, /unknown flag|invalid profile name/],
    [["profile", "add", "bad name", "--path", "/y"], 2, /invalid profile name "bad name"/],
    // One rule for every profile name: `init --profile` and `profile add` both cap it at 64.
    [["profile", "add", "p".repeat(65), "--path", "/y"], 2, /invalid profile name "p{65}" .*max 64/],
    [["init", "--profile", "p".repeat(65)], 2, /--profile: invalid profile name "p{65}" .*max 64/],
    [["init", "--profile", "bad name"], 2, /--profile: invalid profile name "bad name"/],
    [["profile", "show", "zz"], 3, /^error: profile "zz" not found\nhint: /],
    [["profile", "use", "zz"], 3, /profile "zz" not found/],
    [["profile", "set-default", "zz"], 3, /profile "zz" not found/],
    [["profile", "remove", "zz"], 3, /profile "zz" not found/],
  ];
  for (const [argv, code, re] of cases) {
    const r = await h.run(argv);
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  const json = await h.run(["profile", "show", "zz", "--json"]);
  assert.equal(JSON.parse(json.stderr).error.code, "not_found");
  assert.deepEqual((await h.json<{ profiles: P[] }>(["profile", "list"])).profiles.map((p) => p.name), ["a"]);
  await h.cleanup();
});

Deno.test("a profile added with the CLI is used by --profile", async () => {
  const h = await home();
  await Deno.mkdir(`${h.dir}/ws`);
  await h.run(["profile", "add", "ws", "--path", `${h.dir}/ws`]);
  const env = { HOME: h.dir };
  const r = await cli(["project", "add", "API", "--alias", "api", "--profile", "ws"], { env, cwd: h.dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await Deno.stat(`${h.dir}/ws/backlog.db`)).isFile, true);
  await h.cleanup();
});
