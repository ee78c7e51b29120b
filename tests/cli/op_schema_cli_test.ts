// The CLI parses each command's flag values through its operation's schema (domain/schemas.ts, compiled
// for the CLI): a bad value is refused with the schema's message, exit 2, and nothing is written.
import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

type Ws = Awaited<ReturnType<typeof workspace>>;

/** Runs argv, expecting exit 2 and an error line matching `message`. */
async function refused(w: Ws, argv: string[], message: RegExp): Promise<void> {
  const r = await w.run(argv);
  assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
  assert.match(r.stderr, message, argv.join(" "));
}

async function withWorkspace(fn: (w: Ws) => Promise<void>): Promise<void> {
  const w = await workspace();
  try {
    await w.json(["project", "add", "API", "--alias", "api"]);
    await fn(w);
  } finally {
    await w.cleanup();
  }
}

Deno.test("--expect-version of task archive, unarchive, delete and move goes through task_guard", async () => {
  await withWorkspace(async (w) => {
    await w.json(["task", "add", "-p", "api", "-t", "one"]);
    const tooSmall = /^error: expected_version: too small: expected number to be >=1$/m;
    for (const cmd of ["archive", "unarchive", "delete"]) {
      await refused(w, ["task", cmd, "TASK-1", "--expect-version", "0"], tooSmall);
    }
    await refused(w, ["task", "move", "TASK-1", "--status", "done", "--expect-version", "0"], tooSmall);
    await refused(
      w,
      ["task", "archive", "TASK-1", "--expect-version", "x"],
      /^error: --expect-version: invalid/m,
    );
    const t = await w.json<{ status: string; version: number; archived_at?: number }>(["task", "show", "1"]);
    assert.deepEqual([t.status, t.version, t.archived_at], ["todo", 1, undefined], "nothing written");
    // A good one still guards: a stale version is a conflict (exit 4), the current one passes.
    assert.equal((await w.run(["task", "archive", "TASK-1", "--expect-version", "9"])).code, 4);
    assert.equal((await w.run(["task", "archive", "TASK-1", "--expect-version", "1"])).code, 0);
    assert.equal((await w.run(["task", "unarchive", "TASK-1", "--expect-version", "2"])).code, 0);
    const moved = await w.run(["task", "move", "TASK-1", "--status", "done", "--expect-version", "3"]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal((await w.run(["task", "delete", "TASK-1", "--expect-version", "4"])).code, 0);
  });
});

Deno.test("memory append and doc append parse through memory_append and doc_append", async () => {
  await withWorkspace(async (w) => {
    const m = await w.json<{ id: string }>(["memory", "add", "note", "-p", "api"]);
    const big = "x".repeat((1 << 20) + 1);
    await refused(w, ["memory", "append", m.id, big], /^error: value .*1048576/m);
    assert.equal((await w.json<{ body: string }>(["memory", "show", m.id])).body, "note", "nothing written");
    const d = await w.json<{ id: string }>(["doc", "add", "-p", "api", "--title", "Arch", "--content", "v1"]);
    await refused(
      w,
      ["doc", "append", d.id, "--content", "more", "--change-note", "n".repeat(1025)],
      /^error: change_note .*1024/m,
    );
    await refused(w, ["doc", "append", d.id, "--content", big], /^error: content .*1048576/m);
    assert.equal((await w.json<{ current_version: number }>(["doc", "show", d.id])).current_version, 1);
    // Which flags give the text stays the CLI's message.
    await refused(w, ["doc", "append", d.id], /^error: --content or --from-file is required$/m);
    const ok = await w.run(["doc", "append", d.id, "--content", "more", "--change-note", "why"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await w.run(["memory", "append", m.id, "more"])).code, 0);
  });
});

Deno.test("doc show --version, comment/attachment/token lists read their counts through their query schemas", async () => {
  await withWorkspace(async (w) => {
    await w.json(["task", "add", "-p", "api", "-t", "one"]);
    const d = await w.json<{ id: string }>(["doc", "add", "-p", "api", "--title", "Arch", "--content", "v1"]);
    await refused(w, ["doc", "show", d.id, "--version", "-1"], /^error: --version: invalid number "-1"/m);
    assert.equal(
      (await w.json<{ version: { version: number } }>(["doc", "show", d.id, "--version", "1"]))
        .version.version,
      1,
    );
    await refused(
      w,
      ["comment", "list", "--task", "1", "--limit", "x"],
      /^error: --limit: invalid number "x"/m,
    );
    await refused(w, ["attachment", "list", "--offset", "1.5"], /^error: --offset: invalid number "1.5"/m);
    await refused(w, ["token", "list", "--limit", "-3"], /^error: --limit: invalid number "-3"/m);
    assert.equal(
      (await w.json<{ page: { total: number } }>(["comment", "list", "--task", "1"])).page.total,
      0,
    );
    assert.equal(
      (await w.json<{ page: { total: number } }>(["token", "list", "--limit", "0"])).page.total,
      0,
    );
  });
});

Deno.test("token create parses --actor and --name through token_create; attachment add its flags", async () => {
  await withWorkspace(async (w) => {
    await refused(
      w,
      ["token", "create", "--actor", "robot:x"],
      /^error: --actor: invalid actor "robot:x" \(use human:<name> or ai:<name>\)$/m,
    );
    await refused(w, ["token", "create", "--actor", "ai:claude", "--name", "bell\u0007"], /^error: name /m);
    assert.equal((await w.json<{ page: { total: number } }>(["token", "list"])).page.total, 0, "no token");
    const made = await w.json<{ actor: string; name: string }>([
      "token",
      "create",
      "--actor",
      "AI:claude",
      "--name",
      "laptop",
    ]);
    assert.deepEqual([made.actor, made.name], ["ai:claude", "laptop"]);
    await w.json(["task", "add", "-p", "api", "-t", "one"]);
    await Deno.writeTextFile(`${w.home}/n.txt`, "hello");
    const a = await w.json<{ name: string; mime_type: string }>([
      "attachment",
      "add",
      "n.txt",
      "--task",
      "1",
      "--name",
      "notes.md",
      "--mime",
      "text/markdown",
    ]);
    assert.deepEqual([a.name, a.mime_type], ["notes.md", "text/markdown"]);
  });
});

Deno.test("task renew without --token renews the claim you hold (renew_input's token is optional)", async () => {
  await withWorkspace(async (w) => {
    await w.json(["task", "add", "-p", "api", "-t", "one"]);
    const c = await w.json<{ token: string }>(["task", "claim", "1", "--as", "ai:a"]);
    assert.equal((await w.run(["task", "renew", "1", "--as", "ai:a"])).code, 0);
    const other = await w.run(["task", "renew", "1", "--as", "ai:b"]);
    assert.equal(other.code, 4, other.stderr);
    assert.match(other.stderr, /is claimed by ai:a, not ai:b/);
    const byToken = await w.run(["task", "renew", "1", "--as", "ai:b", "--token", c.token, "--lease", "1h"]);
    assert.equal(byToken.code, 0, byToken.stderr);
    await refused(w, ["task", "renew", "1", "--as", "ai:a", "--lease", "7x"], /^error: --lease: /m);
  });
});

Deno.test("activity analyze, doctor project, plan show and report read their flags through their schemas", async () => {
  await withWorkspace(async (w) => {
    await w.json(["task", "add", "-p", "api", "-t", "one"]);
    const p = await w.json<{ id: string }>(["plan", "add", "--task", "1", "--title", "P", "--content", "b"]);
    await refused(
      w,
      ["activity", "analyze", "-p", "api", "--limit", "x"],
      /^error: --limit: invalid number "x"/m,
    );
    await refused(
      w,
      ["doctor", "project", "-p", "api", "--limit", "-1"],
      /^error: --limit: invalid number "-1"/m,
    );
    await refused(w, ["plan", "show", p.id, "--version", "v2"], /^error: --version: invalid number "v2"/m);
    assert.equal(
      (await w.json<{ version: { version: number } }>(["plan", "show", p.id, "--version", "1"]))
        .version.version,
      1,
    );
    const a = await w.json<{ project: string }>(["activity", "analyze", "-p", "api", "--limit", "3"]);
    assert.equal(a.project, "api");
    const d = await w.json<{ stale_after: string }>([
      "doctor",
      "project",
      "-p",
      "api",
      "--stale-after",
      "3d",
    ]);
    assert.equal(d.stale_after, "3d");
    await refused(w, ["doctor", "project", "-p", "api", "--stale-after", "soon"], /^error: --stale-after: /m);
    const r = await w.run(["report", "-p", "api", "--since", "30d"]);
    assert.equal(r.code, 0, r.stderr);
  });
});
