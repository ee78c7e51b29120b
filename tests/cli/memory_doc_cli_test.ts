import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

type Ws = Awaited<Awaited<ReturnType<typeof workspace>>>;

async function setup(): Promise<Ws> {
  const ws = await workspace();
  await ws.json(["project", "add", "API", "--alias", "api"]);
  await ws.json(["project", "add", "Web", "--alias", "web"]);
  return ws;
}

/** Rows of the table that records writes: unchanged by a rejected command. */
const activityTotal = async (ws: Ws) =>
  (await ws.json<{ page: { total: number } }>(["activity", "--limit", "1"])).page.total;

Deno.test("memory add, list, append, update, show and delete through the CLI", async () => {
  const ws = await setup();
  const add = await ws.run([
    "memory",
    "add",
    "Deploys need VPN",
    "-p",
    "api",
    "--tag",
    "ops, deploy",
    "--as",
    "ai:claude",
  ]);
  assert.equal(add.code, 0, add.stderr);
  const id = add.stdout.match(/^✓ memory added: (\w{26})\n$/)![1];
  const id8 = id.slice(0, 8);
  const other = await ws.json<{ id: string }>(["memory", "add", "Use pnpm", "-p", "web", "--tag", "build"]);
  if (other.id.slice(0, 8) === id8) {
    // Two IDs from the same second share their first 8 characters: the prefix is refused, not guessed.
    const amb = await ws.run(["memory", "show", id8]);
    assert.equal(amb.code, 2);
    assert.match(amb.stderr, /is ambiguous\nhint: give more characters of the id: it matches \w{26}, \w{26}\n$/);
  }
  const list = await ws.run(["memory", "list"]);
  assert.match(list.stdout, /ID\s+│ DATE\s+│ PROJECT │ TAGS\s+│ BODY/);
  assert.match(list.stdout, /ops,deploy │ Deploys need VPN/);
  const tagged = await ws.json<{ entries: { body: string }[] }>(["memory", "list", "--tag", "OPS"]);
  assert.deepEqual(tagged.entries.map((e) => e.body), ["Deploys need VPN"]);
  assert.equal((await ws.run(["memory", "append", id, "and 2FA"])).code, 0);
  const up = await ws.json<{ body: string; tags?: string }>([
    "memory",
    "update",
    id.slice(0, 12),
    "--tag",
    "",
  ]);
  assert.equal(up.body, "Deploys need VPN\nand 2FA");
  assert.equal(up.tags, undefined);
  const show = await ws.run(["memory", "show", id]);
  assert.match(show.stdout, /^ID: +\w{26}\n/);
  const del = await ws.json<{ ok: boolean; action: string; entity: string; ref: string }>([
    "memory",
    "delete",
    id,
    "--as",
    "human:bob",
  ]);
  assert.deepEqual([del.ok, del.action, del.entity, del.ref], [true, "delete", "memory", id8]);
  const events = await ws.json<{ events: { action: string; actor: { name: string } }[] }>([
    "activity",
    "--kind",
    "memory",
  ]);
  assert.deepEqual(events.events.map((e) => `${e.action}:${e.actor.name}`), [
    "deleted:bob",
    "updated:tester",
    "appended:tester",
    "created:tester",
    "created:claude",
  ]);
  await ws.cleanup();
});

Deno.test("memory bad input: unknown id, empty body, unknown project, no project", async () => {
  const ws = await setup();
  const before = await activityTotal(ws);
  const cases: [string[], number, RegExp][] = [
    [["memory", "delete", "01ZZZZZZ"], 3, /^error: memory entry not found: 01ZZZZZZ\n$/],
    [["memory", "append", "0000", "x"], 3, /memory entry not found/],
    [["memory", "add", "  ", "-p", "api"], 2, /^error: body is required\n$/],
    [["memory", "add", "x", "-p", "nope"], 3, /project "nope" not found/],
    [["memory", "add", "x"], 2, /project is required/],
    [["memory", "update", "01ZZZZZZ"], 2, /nothing to change/],
    [["memory", "list", "--limit", "x"], 2, /--limit: invalid number "x"/],
  ];
  for (const [argv, code, re] of cases) {
    const r = await ws.run(argv);
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re, argv.join(" "));
    assert.equal(r.stdout, "");
  }
  assert.equal(await activityTotal(ws), before);
  await ws.cleanup();
});

Deno.test("doc add, update (keeping the body), append, history, show --version, list, delete", async () => {
  const ws = await setup();
  await Deno.writeTextFile(`${ws.home}/arch.md`, "# Architecture\n");
  const add = await ws.run(["doc", "add", "-p", "api", "--title", "Arch", "--from-file", "arch.md"]);
  const id8 = add.stdout.match(/^✓ doc created: Arch \(ID: (\w{26})\)\n$/)![1].slice(0, 8);
  assert.equal(
    (await ws.run(["doc", "update", id8, "--title", "Architecture"])).stdout,
    "✓ doc updated to v2\n",
  );
  const shown = await ws.json<{ title: string; version: { body: string; version: number } }>([
    "doc",
    "show",
    id8,
  ]);
  assert.equal(shown.title, "Architecture");
  assert.equal(shown.version.body, "# Architecture\n");
  await ws.run(["doc", "append", id8, "--content=- queues", "--change-note", "queues"]);
  const text = await ws.run(["doc", "show", id8]);
  assert.match(text.stdout, /Version: +v3\n/);
  assert.match(text.stdout, /\n\n# Architecture\n- queues\n$/);
  const v1 = await ws.run(["doc", "show", id8, "--version", "1"]);
  assert.match(v1.stdout, /Version: +v1 \(current: v3\)/);
  const hist = await ws.run(["doc", "history", id8]);
  assert.match(hist.stdout, /^v1 .+ Arch\nv2 .+ Architecture\nv3 .+ Architecture — queues\n$/);
  const list = await ws.json<{ docs: { title: string }[]; page: { total: number } }>(["doc", "list"]);
  assert.deepEqual(list.docs.map((d) => d.title), ["Architecture"]);
  assert.equal((await ws.run(["doc", "list", "-p", "web"])).stdout, "no docs\n");
  const del = await ws.run(["doc", "delete", id8]);
  assert.equal(del.stdout, `✓ doc deleted: ${id8}\n`);
  await ws.cleanup();
});

Deno.test("doc bad input: missing file, unknown doc and version, nothing to append", async () => {
  const ws = await setup();
  const d = await ws.json<{ id: string }>(["doc", "add", "-p", "api", "--title", "T"]);
  const before = await activityTotal(ws);
  const cases: [string[], number, RegExp][] = [
    [
      ["doc", "add", "-p", "api", "--title", "X", "--from-file", "missing.md"],
      2,
      /--from-file: cannot read "missing.md": no such file/,
    ],
    [["doc", "add", "-p", "api"], 2, /required flag --title/],
    [["doc", "show", "01ZZZZZZZZ"], 3, /doc not found/],
    [["doc", "show", d.id, "--version", "7"], 3, /doc version not found: v7/],
    [["doc", "show", d.id, "--version", "x"], 2, /--version: invalid number/],
    [["doc", "append", d.id], 2, /--content or --from-file is required/],
    [["doc", "update", d.id], 2, /nothing to change/],
    [["doc", "history", "zz"], 2, /too short|invalid doc id/],
  ];
  for (const [argv, code, re] of cases) {
    const r = await ws.run(argv);
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re, argv.join(" "));
  }
  assert.equal(await activityTotal(ws), before);
  await ws.cleanup();
});
