import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { httpTest } from "./client.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;

/** Every file of a folder, named by its path relative to `base` (as a browser names a folder upload). */
function folderFiles(dir: string, base: string): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...folderFiles(p, base));
    else out.push([p.slice(base.length + 1), Deno.readFileSync(p)]);
  }
  return out;
}

Deno.test("POST /api/import: a Backlog.md folder uploaded file by file, dry run first, then for real, then again", async () => {
  const t = await httpTest();
  try {
    const form = () => {
      const f = new FormData();
      for (const [name, data] of folderFiles(`${FIX}backlogmd`, FIX)) {
        f.append("file", new File([data as Uint8Array<ArrayBuffer>], name), name);
      }
      return f;
    };
    const dry = await t.post("/api/import?dry_run=1", form());
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.dry_run, true);
    assert.deepEqual([dry.json.format, dry.json.project, dry.json.tasks.created], [
      "backlog.md",
      "fixture-project",
      6,
    ]);
    assert.equal((await t.get("/api/projects")).json.projects?.length ?? 0, 0, "a dry run writes nothing");
    const real = await t.post("/api/import", form());
    assert.equal(real.status, 201, real.text);
    assert.deepEqual({ ...real.json, dry_run: true }, dry.json);
    const again = await t.post("/api/import", form());
    assert.deepEqual(again.json.tasks, { created: 0, updated: 0, unchanged: 6, skipped: 0 });
  } finally {
    await t.close();
  }
});

Deno.test("POST /api/import: raw bodies (tasks.json, issues.jsonl, a zip), -p as ?project=, bad input as 400", async () => {
  const t = await httpTest();
  try {
    const tm = await t.post(
      "/api/import?name=tasks.json",
      Deno.readTextFileSync(`${FIX}taskmaster/tasks.json`),
    );
    assert.equal(tm.status, 201, tm.text);
    assert.deepEqual([tm.json.format, tm.json.tasks.created], ["taskmaster", 9]);
    await t.post("/api/projects", { alias: "auth", name: "Auth" });
    const beads = await t.post("/api/import?project=auth", Deno.readTextFileSync(`${FIX}beads/issues.jsonl`));
    assert.deepEqual([beads.status, beads.json.project, beads.json.tasks.created], [201, "auth", 5]);
    const zip = zipSync(Object.fromEntries(folderFiles(`${FIX}backlogmd`, FIX)));
    const z = await t.post("/api/import?project=auth&dry_run=true", zip, {
      "content-type": "application/zip",
    });
    assert.deepEqual([z.status, z.json.format, z.json.tasks.created], [200, "backlog.md", 6]);
    const bad = await t.post(
      "/api/import?name=issues.jsonl",
      '{"id":"a","title":"x","status":"open"}\n{oops}\n',
    );
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.json.error, /^issues\.jsonl:2:2: invalid JSON/);
    const gh = await t.post(
      "/api/import?format=github&name=gh.json",
      '[\n  {"number": 1, "title": "a"},\n  {"number": 2, "title": 7}\n]',
    );
    assert.deepEqual([gh.status, gh.json.error], [400, "gh.json:3:26: [1].title: expected a string"]);
    const fmt = await t.post("/api/import?format=jira", "{}");
    assert.equal(fmt.status, 400);
    assert.match(fmt.json.error, /invalid format "jira"/);
    const missing = await t.post(
      "/api/import?project=nope",
      Deno.readTextFileSync(`${FIX}github/issues.json`),
    );
    assert.equal(missing.status, 404);
  } finally {
    await t.close();
  }
});
