import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { workspace } from "../helpers/cli.ts";
import { dump } from "./helpers.ts";
import { httpTest } from "../http/client.ts";

const BOMB = [
  "---",
  "id: TASK-9",
  "title: bomb",
  "status: To Do",
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map((k, i) => {
    const prev = "abcdefgh"[i];
    return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(",")}]`;
  }),
  "---",
  "body",
  "",
].join("\n");

function project(dir: string, files: Record<string, string>): void {
  Deno.mkdirSync(`${dir}/tasks`, { recursive: true });
  Deno.writeTextFileSync(`${dir}/config.yml`, 'project_name: "Bomb"\n');
  for (const [name, text] of Object.entries(files)) Deno.writeTextFileSync(`${dir}/tasks/${name}`, text);
}

Deno.test("a YAML alias bomb in front matter is refused at once: exit 2 naming the file, nothing written", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "Keep", "--alias", "keep"]);
    project(`${ws.home}/bomb`, { "task-9 - bomb.md": BOMB });
    const before = await dump(ws.db);
    const r = await ws.run(["import", `${ws.home}/bomb`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /task-9 - bomb\.md:6:\d+: .*aliases \(\*name\) are not supported/);
    assert.equal(await dump(ws.db), before);

    project(`${ws.home}/big`, {
      "task-1 - big.md": `---\nid: TASK-1\ntitle: x\nz: "${"y".repeat(70_000)}"\n---\n`,
    });
    const big = await ws.run(["import", `${ws.home}/big`]);
    assert.equal(big.code, 2, big.stderr);
    assert.match(big.stderr, /task-1 - big\.md:2: .*exceeds 65536 bytes/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("POST /api/import: an alias bomb, a zip bomb and a control character in a name are 400s", async () => {
  const t = await httpTest();
  try {
    const enc = new TextEncoder();
    const yamlZip = zipSync({
      "config.yml": enc.encode("project_name: B\n"),
      "tasks/task-9 - bomb.md": enc.encode(BOMB),
    });
    const y = await t.post("/api/import", yamlZip, { "content-type": "application/zip" });
    assert.equal(y.status, 400, y.text);
    assert.match(y.json.error, /task-9 - bomb\.md:6:\d+: .*aliases/);

    // 20 MB of zeros packs into ~20 KB: refused from the declared size, before inflating.
    const huge = new Uint8Array(20 * 1024 * 1024);
    const zip = zipSync({
      "config.yml": enc.encode("project_name: B\n"),
      "tasks/task-1 - x.md": [huge, { level: 9 }],
    });
    const z = await t.post("/api/import?name=b.zip", zip, { "content-type": "application/zip" });
    assert.equal(z.status, 400, z.text);
    assert.match(
      z.json.error,
      /^b\.zip: zip archive too large: tasks\/task-1 - x\.md unpacks to more than 8388608 bytes/,
    );

    const esc = await t.post("/api/import?name=a%1Bb.jsonl", "{oops}\n");
    assert.equal(esc.status, 400, esc.text);
    assert.ok(!esc.json.error.includes("\x1b"), esc.json.error);
    assert.match(esc.json.error, /a\\x1bb\.jsonl/);
  } finally {
    await t.close();
  }
});
