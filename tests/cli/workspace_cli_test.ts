import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";

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

Deno.test("opening a database path that does not exist says a new one was created", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const r = await cli(["--db", `${home}/typo.db`, "project", "list"], { env: { HOME: home } });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^note: created a new workspace database at .*typo\.db/);
    const again = await cli(["--db", `${home}/typo.db`, "project", "list"], { env: { HOME: home } });
    assert.equal(again.stderr, "");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a mistyped --db for a command that fails leaves no new file behind", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const r = await cli(["--db", `${home}/typo.db`, "task", "show", "TASK-1"], { env: { HOME: home } });
    assert.equal(r.code, 3);
    for (const f of ["typo.db", "typo.db-wal", "typo.db-shm"]) {
      await assert.rejects(() => Deno.stat(`${home}/${f}`), Deno.errors.NotFound, f);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
