import assert from "node:assert/strict";
import { cacheDir, spawnCli, workspace } from "../helpers/cli.ts";
import { MAX_ATTACHMENT_BYTES } from "../../src/domain/files.ts";

type Ws = Awaited<Awaited<ReturnType<typeof workspace>>>;

async function setup(): Promise<Ws> {
  const ws = await workspace();
  await ws.json(["project", "add", "API", "--alias", "api"]);
  await ws.json(["task", "add", "-p", "api", "-t", "Fix login"]);
  return ws;
}

const count = async (ws: Ws) =>
  (await ws.json<{ page: { total: number } }>(["attachment", "list", "--limit", "1"])).page.total;

function binary(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

Deno.test("attachment add + fetch round-trips exactly 10 MiB of binary, to a file and to stdout", async () => {
  const ws = await setup();
  const data = binary(MAX_ATTACHMENT_BYTES);
  await Deno.writeFile(`${ws.home}/blob.bin`, data);
  const add = await ws.run(["attach", "add", "blob.bin", "--task", "TASK-1"]);
  assert.equal(add.code, 0, add.stderr);
  const id = add.stdout.match(/^✓ attachment added: (\w{26}) \(blob\.bin, 10485760 bytes\)\n$/)![1];
  await Deno.remove(`${ws.home}/blob.bin`);
  const fetched = await ws.run(["attachment", "fetch", id.slice(0, 8)]);
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.equal(fetched.stderr, `written 10485760 bytes to ${ws.home}/blob.bin\n`);
  assert.ok(same(await Deno.readFile(`${ws.home}/blob.bin`), data));
  const out = await ws.run(["attachment", "fetch", id, "--out", "-"]);
  assert.equal(out.stdout, "");
  assert.ok(same(out.bytes, data));
  await ws.cleanup();
});

Deno.test("attachment add refuses 10 MiB + 1 byte, missing files and directories, writing nothing", async () => {
  const ws = await setup();
  await Deno.writeFile(`${ws.home}/big.bin`, new Uint8Array(MAX_ATTACHMENT_BYTES + 1));
  await Deno.mkdir(`${ws.home}/dir`);
  const cases: [string[], number, RegExp][] = [
    [
      ["attachment", "add", "big.bin", "--task", "1"],
      2,
      /^error: attachment exceeds max size of 10 MiB \(10485761 bytes/,
    ],
    [
      ["attachment", "add", "missing.bin", "--task", "1"],
      2,
      /^error: cannot read "missing.bin": no such file\n$/,
    ],
    [["attachment", "add", "dir", "--task", "1"], 2, /cannot read "dir": is a directory/],
    [["attachment", "add", "-", "--task", "1"], 2, /^error: attachment exceeds max size/],
  ];
  for (const [argv, code, re] of cases) {
    const r = await ws.run(argv, {
      stdin: argv[2] === "-" ? new Uint8Array(MAX_ATTACHMENT_BYTES + 1) : undefined,
    });
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  assert.equal(await count(ws), 0);
  await ws.cleanup();
});

Deno.test("attachment add needs an existing task or doc", async () => {
  const ws = await setup();
  await Deno.writeTextFile(`${ws.home}/a.txt`, "hello");
  const cases: [string[], number, RegExp][] = [
    [["attachment", "add", "a.txt"], 2, /needs --task or --doc/],
    [["attachment", "add", "a.txt", "--task", "TASK-42"], 3, /task TASK-42 not found/],
    [["attachment", "add", "a.txt", "--task", "01ZZZZZZ"], 3, /task not found/],
    [["attachment", "add", "a.txt", "--doc", "01ZZZZZZ"], 3, /doc not found/],
    [["attachment", "add", "a.txt", "--doc", "x"], 2, /invalid doc id|too short/],
    [["attachment", "add", "a.txt", "--task", "1", "--doc", "01ZZZZZZ"], 2, /either --task or --doc/],
  ];
  for (const [argv, code, re] of cases) {
    const r = await ws.run(argv);
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  assert.equal(await count(ws), 0);
  await ws.cleanup();
});

Deno.test("attachment list, fetch conflicts and delete", async () => {
  const ws = await setup();
  const doc = await ws.json<{ id: string }>(["doc", "add", "-p", "api", "--title", "Spec"]);
  await Deno.writeTextFile(`${ws.home}/notes.md`, "# notes");
  const a = await ws.json<{ id: string; mime_type: string; name: string }>([
    "attachment",
    "add",
    "notes.md",
    "--doc",
    doc.id.slice(0, 8),
    "--name",
    "../Spec notes.md",
  ]);
  assert.equal(a.name, "Spec notes.md");
  assert.equal(a.mime_type, "text/markdown; charset=utf-8");
  const list = await ws.run(["attachment", "list", "-p", "api"]);
  assert.match(list.stdout, /Spec notes\.md │ text\/markdown; charset=utf-8 │ 7 B\s+│ doc "Spec"/);
  assert.equal((await ws.run(["attachment", "list", "--task", "1"])).stdout, "no attachments\n");
  // fetch refuses to overwrite, then --force does.
  await Deno.writeTextFile(`${ws.home}/Spec notes.md`, "mine");
  const clash = await ws.run(["attachment", "fetch", a.id]);
  assert.equal(clash.code, 4);
  assert.match(clash.stderr, /file already exists: .*Spec notes\.md\nhint: pass --force/);
  assert.equal(await Deno.readTextFile(`${ws.home}/Spec notes.md`), "mine");
  assert.equal((await ws.run(["attachment", "fetch", a.id, "--force"])).code, 0);
  assert.equal(await Deno.readTextFile(`${ws.home}/Spec notes.md`), "# notes");
  const nodir = await ws.run(["attachment", "fetch", a.id, "--out", "no/such/dir/x.md"]);
  assert.equal(nodir.code, 2);
  assert.match(nodir.stderr, /--out: directory does not exist/);
  const fetchJson = await ws.json<{ path: string; size: number }>([
    "attachment",
    "fetch",
    a.id,
    "-o",
    "copy.md",
  ]);
  assert.deepEqual([fetchJson.path, fetchJson.size], [`${ws.home}/copy.md`, 7]);
  await Deno.mkdir(`${ws.home}/out`);
  const intoDir = await ws.json<{ path: string }>(["attachment", "fetch", a.id, "-o", "out"]);
  assert.equal(intoDir.path, `${ws.home}/out/Spec notes.md`);
  const del = await ws.run(["attachment", "delete", a.id, "--as", "ai:cleaner"]);
  assert.equal(del.stdout, `✓ attachment deleted: ${a.id.slice(0, 8)}\n`);
  const gone = await ws.run(["attachment", "fetch", a.id]);
  assert.equal(gone.code, 3);
  assert.equal(gone.stderr, `error: attachment not found: ${a.id}\n`);
  const ev = await ws.json<{ events: { summary: string; actor: { name: string } }[] }>([
    "activity",
    "--kind",
    "attachment",
  ]);
  assert.deepEqual(ev.events.map((e) => `${e.actor.name}: ${e.summary}`), [
    'cleaner: Deleted attachment "Spec notes.md"',
    `tester: Added attachment "Spec notes.md" to doc ${doc.id.slice(0, 8)}`,
  ]);
  await ws.cleanup();
});

Deno.test("attachment fetch --out - writes raw bytes to a real process's stdout", async () => {
  const ws = await setup();
  const data = binary(300_000);
  await Deno.writeFile(`${ws.home}/b.bin`, data);
  const a = await ws.json<{ id: string }>(["attachment", "add", "b.bin", "--task", "1"]);
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../main.ts", import.meta.url).pathname,
      "attachment",
      "fetch",
      a.id,
      "--out",
      "-",
    ],
    env: { ...ws.env, DENO_DIR: await cacheDir() },
    cwd: ws.home,
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.ok(same(out.stdout, data));
  // The real process also reports errors as one line.
  const r = await spawnCli(["attachment", "fetch", "01ZZZZZZZZ"], ws.env);
  assert.deepEqual([r.code, r.stderr], [3, "error: attachment not found: 01ZZZZZZZZ\n"]);
  await ws.cleanup();
});
