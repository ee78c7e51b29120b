import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { dump } from "./helpers.ts";

type Ws = Awaited<ReturnType<typeof workspace>>;

/**
 * Where the workspace keeps backlog.json: beside a database file, or in a server workspace's local
 * directory. Asked of `sync --write` (whose file is removed again), so the test needs no rule of its own.
 */
async function manifestPath(ws: Ws): Promise<string> {
  const r = await ws.run(["sync", "--write"]);
  const path = /wrote (.*backlog\.json):/.exec(r.stdout)?.[1];
  assert.ok(path, r.stdout + r.stderr);
  await Deno.remove(path);
  return path;
}

const manifest = (projects: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, name: "team", description: "ours", projects, ...extra }, null, 2);

Deno.test("sync creates missing projects, skips existing ones, and --update applies changes", async () => {
  const ws = await workspace();
  try {
    const path = await manifestPath(ws);
    const none = await ws.run(["sync"]);
    assert.equal(none.stdout, "nothing to sync\n");
    await ws.run(["project", "add", "Alpha", "--alias", "alpha"]);
    await Deno.writeTextFile(
      path,
      manifest([
        { alias: "alpha", name: "Alpha v2", repo_path: "/code/alpha" },
        { alias: "beta", name: "Beta", description: "b" },
      ]),
    );
    const first = await ws.run(["sync"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, "✓ added projects: [beta]\nalready exist: [alpha]\n");
    const again = await ws.json<Record<string, string[]>>(["sync"]);
    assert.deepEqual(again, {
      manifest: path,
      dry_run: false,
      added: [],
      updated: [],
      skipped: ["alpha", "beta"],
    });
    const upd = await ws.json<Record<string, string[]>>(["sync", "--update"]);
    assert.deepEqual(upd.updated, ["alpha"]);
    const alpha = await ws.json<{ name: string; repo_path: string }>(["project", "show", "alpha"]);
    assert.deepEqual([alpha.name, alpha.repo_path], ["Alpha v2", "/code/alpha"]);
    const quiet = await ws.json<Record<string, string[]>>(["sync", "--update"]);
    assert.deepEqual(quiet.updated, []);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("sync --write writes the manifest from the database and sync reads it back", async () => {
  const ws = await workspace();
  try {
    const path = await manifestPath(ws);
    await ws.run(["project", "add", "Web", "--alias", "web", "--description", "site"]);
    await ws.run(["project", "add", "API", "--alias", "api", "--repo-path", "/code/api"]);
    await ws.run(["project", "add", "Old", "--alias", "old"]);
    await ws.run(["project", "archive", "old"]);
    const w = await ws.run(["sync", "--write"]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /✓ wrote .*backlog\.json: 2 projects/);
    const m = JSON.parse(await Deno.readTextFile(path));
    assert.equal(m.version, 1);
    assert.deepEqual(m.projects, [
      { alias: "api", name: "API", description: "", repo_path: "/code/api" },
      { alias: "web", name: "Web", description: "site", repo_path: "" },
    ]);
    const other = await workspace();
    try {
      await Deno.copyFile(path, await manifestPath(other));
      const r = await other.json<{ added: string[] }>(["sync"]);
      assert.deepEqual(r.added, ["api", "web"]);
    } finally {
      await other.cleanup();
    }
    const combo = await ws.run(["sync", "--write", "--update"]);
    assert.equal(combo.code, 2);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("a bad manifest fails with exit 2 naming the field (or line and column) and changes nothing", async () => {
  const ws = await workspace();
  try {
    const path = await manifestPath(ws);
    await ws.run(["project", "add", "Alpha", "--alias", "alpha"]);
    const before = await dump(ws.db);
    const cases: [string, RegExp][] = [
      [
        manifest([{ alias: "ok-one" }, { alias: "Bad Alias" }]),
        /projects\[1\]\.alias: alias "Bad Alias" must be lowercase/,
      ],
      [
        '{\n  "version": 1,\n  "projects": [\n    {"alias": "x"\n  ]\n}',
        /backlog\.json: invalid JSON at line 5, column 3/,
      ],
      [manifest([], { version: 3 }), /version: unsupported version 3/],
    ];
    for (const [text, re] of cases) {
      await Deno.writeTextFile(path, text);
      const r = await ws.run(["sync"]);
      assert.equal(r.code, 2, text);
      assert.match(r.stderr, re);
    }
    assert.equal(await dump(ws.db), before, "the valid project before the bad one was not created");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("sync --write to an unwritable place fails with exit 2", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "Alpha", "--alias", "alpha"]);
    await Deno.mkdir(await manifestPath(ws)); // a directory where the file should go
    const r = await ws.run(["sync", "--write"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: sync --write: cannot write ".*backlog\.json"/);
  } finally {
    await ws.cleanup();
  }
});
