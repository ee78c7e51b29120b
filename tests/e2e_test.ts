import assert from "node:assert/strict";
import { spawnCli } from "./helpers/cli.ts";

Deno.test("end to end: init, project, task lifecycle as real processes with an isolated HOME", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-e2e-" });
  const env = { HOME: home, USER: "e2e" };
  try {
    const init = await spawnCli(["init"], env);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /workspace initialized: .*\.backlog\/default/);
    assert.equal((await spawnCli(["project", "add", "Demo", "--alias", "demo"], env)).code, 0);
    assert.equal((await spawnCli(["project", "use", "demo"], env)).code, 0);
    const add = await spawnCli([
      "task",
      "add",
      "-t",
      "Ship it",
      "--priority",
      "P2",
      "--json",
      "--as",
      "ai:claude",
    ], env);
    assert.equal(add.code, 0, add.stderr);
    const t = JSON.parse(add.stdout);
    assert.equal(t.ref, "TASK-1");
    assert.deepEqual(t.actor, { kind: "ai", name: "claude" });
    const moved = await spawnCli(["task", "move", t.id.slice(0, 8), "--status", "done", "--json"], env);
    assert.equal(JSON.parse(moved.stdout).status, "done");
    const list = await spawnCli(["task", "list", "--status", "done", "--json"], {
      ...env,
      BACKLOG_DB: `${home}/.backlog/default/backlog.db`,
    });
    assert.equal(JSON.parse(list.stdout).page.total, 1);
    const bad = await spawnCli(["task", "show", "TASK-9"], env);
    assert.equal(bad.code, 3);
    assert.equal(bad.stderr, "error: task TASK-9 not found\n");
    const again = await spawnCli(["init"], env);
    assert.match(again.stdout, /already initialized/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("end to end: no workspace is exit 1 with a hint", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-e2e-" });
  try {
    const r = await spawnCli(["task", "list"], { HOME: home });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: no backlog workspace found/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
