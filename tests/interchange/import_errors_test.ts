import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { copyDir, dump, taskFile } from "./helpers.ts";
import type { PeerImportResult } from "../../src/services/interchange/import_apply.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;

Deno.test("malformed values are refused with file, position and what was expected; nothing is written", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "Keep", "--alias", "keep"]);
    const before = await dump(ws.db);
    const dup = `${ws.home}/dup`;
    await copyDir(`${FIX}backlogmd`, dup);
    Deno.copyFileSync(taskFile(dup, "task-1 "), `${dup}/tasks/task-1 - Copy.md`);
    const baddate = `${ws.home}/baddate`;
    await copyDir(`${FIX}backlogmd`, baddate);
    const t2 = taskFile(baddate, "task-2 ");
    Deno.writeTextFileSync(
      t2,
      Deno.readTextFileSync(t2).replace(/created_date: .*/, "created_date: not a date"),
    );
    const cases: [string, string, RegExp][] = [
      [
        dup,
        "",
        /task-1 - Set-up-the-database\.md:2: duplicate id "TASK-1" \(also in tasks\/task-1 - Copy\.md\)/,
      ],
      [baddate, "", /task-2 - Write-the-API\.md:2: created_date: expected a date .*"not a date"/],
      [
        "dup.json",
        '{"tasks":[{"id":1,"title":"a"},{"id":1,"title":"dup"}]}',
        /dup\.json:1:38: tasks\[1\]\.id: duplicate id 1/,
      ],
      [
        "frac.json",
        '{"tasks":[{"id":1.5,"title":"a"}]}',
        /frac\.json:1:17: tasks\[0\]\.id: expected an integer id/,
      ],
      [
        "huge.json",
        '{"tasks":[{"id":1e20,"title":"a"}]}',
        /huge\.json:1:17: tasks\[0\]\.id: expected an integer id/,
      ],
      ["num.json", '{"tasks":[{"id":1,"title":5}]}', /num\.json:1:\d+: tasks\[0\]\.title: expected a string/],
      [
        "gh.json",
        '[{"number": 1, "title": "a"},\n {"number": "x", "title": "b"}]',
        /gh\.json:2:13: \[1\]\.number: expected the issue number/,
      ],
      [
        "ghdate.json",
        '[{"number": 1, "title": "a", "createdAt": "garbage"}]',
        /ghdate\.json:1:\d+: \[0\]\.createdAt: expected a date .*"garbage"/,
      ],
      [
        "ghc.json",
        '[{"number": 1, "title": "a", "comments": [{"body": "x", "createdAt": "nope"}]}]',
        /ghc\.json:1:\d+: \[0\]\.comments\[0\]\.createdAt: expected a date/,
      ],
      [
        "b.jsonl",
        '{"id":"a","title":"x","status":"open","created_at":"yesterday"}\n{"id":"b","title":"y"}\n',
        /b\.jsonl:1: created_at: expected a date/,
      ],
      [
        "l.jsonl",
        '{"id":"a","title":"x","status":"open","labels":"notalist"}\n{"id":"b","title":"y"}\n',
        /l\.jsonl:1: labels: expected an array of strings/,
      ],
    ];
    for (const [name, text, re] of cases) {
      const path = text ? `${ws.home}/${name}` : name;
      if (text) Deno.writeTextFileSync(path, text);
      const r = await ws.run(["import", path, "-p", "keep"]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, re, name);
    }
    assert.equal(await dump(ws.db), before, "nothing written");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("dangling references are kept under one Other fields heading and counted", async () => {
  const ws = await workspace();
  try {
    const src = `${ws.home}/bm`;
    await copyDir(`${FIX}backlogmd`, src);
    const t2 = taskFile(src, "task-2 ");
    Deno.writeTextFileSync(
      t2,
      Deno.readTextFileSync(t2).replace("---\nid: TASK-2\n", "---\nid: TASK-2\nparent_task_id: TASK-99\n"),
    );
    const r = await ws.json<PeerImportResult>(["import", src]);
    const list = await ws.json<{ tasks: { id: string; external_ref: string; description: string }[] }>([
      "task",
      "list",
      "-p",
      r.project,
      "--limit",
      "0",
    ]);
    const t = list.tasks.find((x) => x.external_ref === "TASK-2")!;
    const shown = await ws.json<{ description: string }>(["task", "show", t.id]);
    assert.match(shown.description, /parent_task_id \(not in this import\): TASK-99/);

    // beads: an unknown field and a missing dependency share one heading.
    await ws.run(["project", "add", "B", "--alias", "b"]);
    const jl = `${ws.home}/i.jsonl`;
    Deno.writeTextFileSync(
      jl,
      '{"id":"x-1","title":"x","status":"open","odd":"field","dependencies":[{"issue_id":"x-1","depends_on_id":"x-9","type":"blocks"}]}\n' +
        '{"id":"x-2","title":"y"}\n',
    );
    const br = await ws.json<PeerImportResult>(["import", jl, "-p", "b"]);
    assert.equal(br.unplaced, 2);
    const bl = await ws.json<{ tasks: { id: string; external_ref: string }[] }>(["task", "list", "-p", "b"]);
    const x1 = bl.tasks.find((t) => t.external_ref === "x-1")!;
    const d = (await ws.json<{ description: string }>(["task", "show", x1.id])).description;
    assert.equal(d.split("## Other fields").length, 2, d);
    assert.match(d, /- odd: field\n- depends on \(not in this import\): x-9/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("a repository named like an unrelated project gets its own project; control characters in its name are repaired", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    await ws.run(["task", "add", "-p", "api", "--title", "mine"]);
    const src = `${ws.home}/gh.json`;
    const issues = [{ number: 1, title: "a", url: "https://github.com/acme/api\u001b/issues/1" }];
    Deno.writeTextFileSync(src, JSON.stringify(issues));
    const r = await ws.json<PeerImportResult>(["import", src]);
    assert.deepEqual([r.project, r.project_created], ["api-2", true]);
    const again = await ws.json<PeerImportResult>(["import", src]);
    assert.deepEqual([again.project, again.tasks.unchanged], ["api-2", 1]);
    const mine = await ws.json<{ tasks: unknown[] }>(["task", "list", "-p", "api"]);
    assert.equal(mine.tasks.length, 1);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("a description over the limit in bytes (not characters) is named in bytes, with its task", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "Keep", "--alias", "keep"]);
    // 30,000 characters of CJK: 90,000 bytes.
    const src = `${ws.home}/tm.json`;
    Deno.writeTextFileSync(
      src,
      JSON.stringify({ tasks: [{ id: 1, title: "a", description: "漢".repeat(30_000) }] }),
    );
    const r = await ws.run(["import", src, "-p", "keep"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /tm\.json: 1: description is 90000 bytes with its gathered fields, over the limit of 65535 bytes/,
    );
  } finally {
    await ws.cleanup();
  }
});
