import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { copyDir, dump, taskFile } from "./helpers.ts";
import type { PeerImportResult } from "../../src/services/interchange/import_apply.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;

type Report = PeerImportResult;
type Label = string | { name: string };
type Task = {
  id: string;
  ref: string;
  title: string;
  description: string;
  type: string;
  status: string;
  priority: number;
  assignee?: string;
  labels?: Label[];
  source?: string;
  external_ref?: string;
  created_at: number;
  updated_at: number;
  completed_at?: number;
  archived_at?: number;
  version: number;
};

const names = (t: Task) => (t.labels ?? []).map((l) => typeof l === "string" ? l : l.name).sort();
const ns = (iso: string) => Date.parse(iso) * 1_000_000;
const c = (created: number, updated = 0, unchanged = 0, skipped = 0) => ({
  created,
  updated,
  unchanged,
  skipped,
});

async function tasksOf(
  ws: Awaited<Awaited<ReturnType<typeof workspace>>>,
  project: string,
): Promise<Map<string, Task>> {
  const r = await ws.json<{ tasks: Task[] }>([
    "task",
    "list",
    "-p",
    project,
    "--limit",
    "0",
    "--include-archived",
  ]);
  const out = new Map<string, Task>();
  for (const t of r.tasks) out.set(t.external_ref!, await ws.json<Task>(["task", "show", t.id]));
  return out;
}

async function blockers(ws: Awaited<Awaited<ReturnType<typeof workspace>>>, t: Task, all: Map<string, Task>) {
  const r = await ws.json<{ blocked_by: Task[] }>(["task", "dep", "list", t.id]);
  const byId = new Map([...all.values()].map((x) => [x.id, x.external_ref]));
  return r.blocked_by.map((b) => byId.get(b.id)).sort();
}

Deno.test("a Backlog.md project made by the real CLI imports with every field mapped, once", async () => {
  const ws = await workspace();
  try {
    const src = `${ws.home}/repo/backlog`;
    await copyDir(`${FIX}backlogmd`, src);
    await ws.run(["init", "--db", ws.db]); // a dry run is a read: it creates no database
    const dry = await ws.json<Report>(["import", `${ws.home}/repo`, "--dry-run"]);
    assert.equal((await ws.run(["project", "list", "--json"])).stdout.includes("fixture-project"), false);
    const r = await ws.json<Report>(["import", `${ws.home}/repo`]);
    assert.deepEqual({ ...dry, dry_run: false }, r, "the dry run reports exactly what the import does");
    assert.equal(r.format, "backlog.md");
    assert.equal(r.project, "fixture-project");
    assert.deepEqual([r.tasks, r.plans, r.comments, r.dependencies, r.docs], [c(6), c(1), c(3), c(2), c(2)]);
    const all = await tasksOf(ws, "fixture-project");
    const t1 = all.get("TASK-1")!;
    assert.equal(t1.title, "Set up the database");
    assert.deepEqual([t1.status, t1.priority, t1.type, t1.assignee, t1.source], [
      "doing",
      2,
      "feature",
      "alice",
      "backlog.md",
    ]);
    assert.deepEqual(names(t1), ["backend", "db"]);
    assert.match(t1.description, /^Create the schema and the first migration\./);
    assert.match(
      t1.description,
      /## Acceptance Criteria\n\n- \[x\] #1 Schema applies cleanly\n- \[ \] #2 Migration/,
    );
    assert.match(t1.description, /## Definition of Done\n\n- \[ \] #1 Tests pass/);
    assert.match(t1.description, /## Other fields\n\n- ordinal: 1000/);
    // The real CLI stamps the time it ran: read it back from the generated file.
    const made = /created_date: '(.+)'/.exec(Deno.readTextFileSync(taskFile(src, "task-1 ")))![1];
    const madeNs = ns(`${made.replace(" ", "T")}:00Z`);
    assert.equal(t1.created_at, madeNs);
    const plans = await ws.json<{ plans: { version: { title: string; body: string } }[] }>([
      "plan",
      "list",
      "--task",
      t1.id,
    ]);
    assert.deepEqual(plans.plans.map((p) => [p.version.title, p.version.body]), [[
      "Implementation Plan",
      "1. Write the schema\n2. Add the migration runner",
    ]]);
    const comments = await ws.json<{ comments: { body: string; created_at: number }[] }>([
      "comment",
      "list",
      "--task",
      t1.id,
    ]);
    const bodies = comments.comments.map((x) => x.body).sort();
    assert.deepEqual(bodies, [
      "@bob wrote:\n\nSchema drafted, review please.",
      "@carol wrote:\n\nLooks good.",
      "Implementation notes:\n\nChose SQLite for now.",
    ]);
    const said = /\ncreated: (.+)\n/.exec(Deno.readTextFileSync(taskFile(src, "task-1 ")))![1];
    assert.ok(comments.comments.some((x) => x.created_at === ns(`${said.replace(" ", "T")}:00Z`)));
    // Dependencies: TASK-2 waits on TASK-1 (its own) and on its subtask TASK-2.1.
    assert.deepEqual(await blockers(ws, all.get("TASK-2")!, all), ["TASK-1", "TASK-2.1"]);
    assert.match(all.get("TASK-2")!.description, /references: \["https:\/\/example.com\/api-spec"\]/);
    assert.deepEqual([all.get("TASK-3")!.status, all.get("TASK-3")!.type], ["done", "bug"]);
    assert.match(all.get("TASK-3")!.description, /## Final Summary\n\nGuarded the empty case\./);
    assert.ok(all.get("TASK-4")!.archived_at, "archive/tasks/ → archived");
    assert.deepEqual(names(all.get("DRAFT-1")!), ["draft"]);
    const docs = await ws.json<{ docs: { id: string; title: string }[] }>([
      "doc",
      "list",
      "-p",
      "fixture-project",
    ]);
    assert.deepEqual(docs.docs.map((d) => d.title).sort(), ["Architecture", "Decision: Use SQLite"]);

    // Twice: nothing changes, not even an activity row.
    const before = await dump(ws.db);
    const again = await ws.json<Report>(["import", `${ws.home}/repo`]);
    assert.deepEqual([again.tasks, again.plans, again.comments, again.dependencies, again.docs], [
      c(0, 0, 6),
      c(0, 0, 1),
      c(0, 0, 3),
      c(0, 0, 2),
      c(0, 0, 2),
    ]);
    assert.equal(await dump(ws.db), before);

    // The source changes: exactly the change arrives (a new plan version, a status, no new task).
    const f = taskFile(src, "task-1 ");
    const text = Deno.readTextFileSync(f);
    Deno.writeTextFileSync(
      f,
      text.replace("status: In Progress", "status: Done").replace(
        "2. Add the migration runner",
        "2. Add the runner",
      ),
    );
    const third = await ws.json<Report>(["import", `${ws.home}/repo`]);
    assert.deepEqual([third.tasks, third.plans, third.comments], [c(0, 1, 5), c(0, 1, 0), c(0, 0, 3)]);
    const t1b = await ws.json<Task>(["task", "show", t1.id]);
    assert.equal(t1b.status, "done");
    const history = await ws.json<{ plans: { id: string; current_version: number }[] }>([
      "plan",
      "list",
      "--task",
      t1.id,
    ]);
    assert.equal(history.plans.length, 1);
    assert.equal(history.plans[0].current_version, 2);
    assert.equal((await tasksOf(ws, "fixture-project")).size, 6);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("Task Master: tagged tasks.json, subtask dependencies relative to their parent, parents wait", async () => {
  const ws = await workspace();
  try {
    const r = await ws.json<Report>(["import", `${FIX}taskmaster/tasks.json`]);
    assert.equal(r.format, "taskmaster");
    assert.deepEqual([r.tasks, r.plans, r.dependencies], [c(9), c(5), c(9)]);
    const all = await tasksOf(ws, "taskmaster");
    assert.deepEqual([...all.keys()].sort(), ["1", "2", "2.1", "2.2", "2.3", "3", "3.1", "4", "feature-x:1"]);
    assert.deepEqual(await blockers(ws, all.get("2")!, all), ["1", "2.1", "2.2", "2.3"]);
    assert.deepEqual(await blockers(ws, all.get("2.2")!, all), ["2.1"]);
    assert.deepEqual(await blockers(ws, all.get("2.3")!, all), ["2.2", "3.1"]);
    const t2 = all.get("2")!;
    assert.deepEqual([t2.status, t2.priority, t2.source], ["doing", 3, "taskmaster"]);
    assert.equal(t2.description, "REST endpoints.");
    const plans = await ws.json<{ plans: { version: { title: string; body: string } }[] }>([
      "plan",
      "list",
      "--task",
      t2.id,
    ]);
    assert.deepEqual(plans.plans.map((p) => [p.version.title, p.version.body]), [[
      "Details",
      "Hono on Deno.",
    ]]);
    assert.deepEqual([all.get("1")!.status, all.get("1")!.priority], ["done", 2]);
    assert.deepEqual(names(all.get("2.3")!), ["status:review"]);
    assert.deepEqual([all.get("4")!.status, names(all.get("4")!)], ["done", ["status:cancelled"]]);
    assert.deepEqual(names(all.get("feature-x:1")!), ["tag:feature-x"]);
    const before = await dump(ws.db);
    await ws.json(["import", `${FIX}taskmaster/tasks.json`]);
    assert.equal(await dump(ws.db), before, "a second import writes nothing");
    // The legacy form, written by hand: numeric subtask dependencies name siblings.
    const missing = await ws.run(["import", `${FIX}taskmaster/tasks_legacy.json`, "-p", "old"]);
    assert.equal(missing.code, 3, "-p names an existing project");
    await ws.run(["project", "add", "Old", "--alias", "old"]);
    await ws.json<Report>(["import", `${FIX}taskmaster/tasks_legacy.json`, "-p", "old"]);
    const old = await tasksOf(ws, "old");
    assert.deepEqual(await blockers(ws, old.get("2.2")!, old), ["2.1"]);
    assert.match(old.get("1")!.description, /## Test Strategy\n\nCI runs green on an empty commit\./);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("beads: parent-child points from child to parent, blocks edges, design, notes and comments", async () => {
  const ws = await workspace();
  try {
    const r = await ws.json<Report>(["import", `${FIX}beads/issues.jsonl`, "-p", "auth"]).catch((e) => e);
    assert.match(String(r), /exit 3: .*not_found/, "-p names an existing project");
    await ws.run(["project", "add", "Auth", "--alias", "auth"]);
    const ok = await ws.json<Report>(["import", `${FIX}beads/issues.jsonl`, "-p", "auth"]);
    assert.deepEqual([ok.project, ok.project_created, ok.tasks, ok.dependencies], [
      "auth",
      false,
      c(5),
      c(3),
    ]);
    const all = await tasksOf(ws, "auth");
    assert.deepEqual(await blockers(ws, all.get("bd-a1")!, all), ["bd-a1.1", "bd-a1.2"]);
    assert.deepEqual(await blockers(ws, all.get("bd-a1.2")!, all), ["bd-a1.1"]);
    const epic = all.get("bd-a1")!;
    assert.deepEqual([epic.priority, epic.type, names(epic)], [2, "task", ["auth", "epic"]]);
    assert.match(
      epic.description,
      /^Replace the session layer\.\n\n## Acceptance Criteria\n\n- Sessions survive/,
    );
    assert.equal(epic.created_at, ns("2026-01-05T09:00:00Z"));
    const bug = all.get("bd-b2")!;
    assert.deepEqual([bug.status, bug.priority, bug.type], ["done", 1, "bug"]);
    assert.equal(bug.completed_at, ns("2026-01-08T12:00:00Z"));
    assert.match(bug.description, /- link discovered-from: bd-b2 → bd-a1\.1/);
    assert.match(bug.description, /- close_reason: fixed in 4f2a9c1/);
    assert.deepEqual([all.get("bd-c3")!.priority, names(all.get("bd-c3")!)], [5, [
      "docs",
      "status:deferred",
    ]]);
    const login = all.get("bd-a1.1")!;
    assert.deepEqual([login.status, login.assignee], ["doing", "alice"]);
    const cm = await ws.json<{ comments: { body: string; created_at: number }[] }>([
      "comment",
      "list",
      "--task",
      login.id,
    ]);
    assert.deepEqual(cm.comments.map((x) => [x.body, x.created_at]), [[
      "bob wrote:\n\nStarted on the markup.",
      ns("2026-01-07T08:30:00Z"),
    ]]);
    const ep = await ws.json<{ comments: { body: string }[] }>(["comment", "list", "--task", epic.id]);
    assert.deepEqual(ep.comments.map((x) => x.body), ["Notes:\n\nSecurity review booked for March."]);
    const plans = await ws.json<{ plans: { version: { title: string } }[] }>([
      "plan",
      "list",
      "--task",
      epic.id,
    ]);
    assert.deepEqual(plans.plans.map((p) => p.version.title), ["Design"]);
    const before = await dump(ws.db);
    await ws.json(["import", `${FIX}beads/issues.jsonl`, "-p", "auth"]);
    assert.equal(await dump(ws.db), before);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("GitHub issues: url as the key, labels, P1, closed dates, comments, extra assignees kept", async () => {
  const ws = await workspace();
  try {
    const r = await ws.json<Report>(["import", `${FIX}github/issues.json`]);
    assert.deepEqual([r.format, r.project, r.tasks, r.comments, r.unplaced], [
      "github",
      "widgets",
      c(3),
      c(1),
      1,
    ]);
    const all = await tasksOf(ws, "widgets");
    const i7 = all.get("https://github.com/acme/widgets/issues/7")!;
    assert.deepEqual([i7.type, i7.priority, i7.status, i7.assignee, names(i7)], ["bug", 2, "todo", "alice", [
      "P1",
      "bug",
    ]]);
    assert.equal(i7.created_at, ns("2026-02-01T09:00:00Z"));
    const i5 = all.get("https://github.com/acme/widgets/issues/5")!;
    assert.deepEqual([i5.type, i5.status, i5.completed_at], [
      "improvement",
      "done",
      ns("2026-02-10T16:00:00Z"),
    ]);
    assert.match(all.get("https://github.com/acme/widgets/issues/8")!.description, /other assignees: dave/);
    const cm = await ws.json<{ comments: { body: string }[] }>(["comment", "list", "--task", i7.id]);
    assert.deepEqual(cm.comments.map((x) => x.body), ["@bob wrote:\n\nReproduced on main."]);
    const before = await dump(ws.db);
    await ws.json(["import", `${FIX}github/issues.json`]);
    assert.equal(await dump(ws.db), before);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("malformed input names the file, line and column; nothing is written; exit 2", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "Keep", "--alias", "keep"]);
    const before = await dump(ws.db);
    const bad = `${ws.home}/bad`;
    await copyDir(`${FIX}backlogmd`, bad);
    Deno.writeTextFileSync(
      taskFile(bad, "task-2 "),
      "---\nid: TASK-2\ntitle: [unclosed\nstatus: To Do\n---\n",
    );
    const cases: [string, string, RegExp][] = [
      [bad, "", new RegExp(`tasks/task-2 - Write-the-API\\.md:4:1: invalid YAML front matter \\(expected`)],
      [
        "issues.jsonl",
        '{"id":"a","title":"x","status":"open"}\n{"id":"b","title":"y"}\n{"id":"c", "title" "z"}\n',
        /issues\.jsonl:3:20: invalid JSON: unexpected "\\"", expected ':'/,
      ],
      [
        "tasks.json",
        '{"tasks": [{"id": 1, "title": "a",}]}',
        /tasks\.json: invalid JSON at line 1, column 35/,
      ],
      [
        "tm.json",
        '{"tasks": [{"id": 1, "title": {"a": 1}}]}',
        /tm\.json:1:31: tasks\[0\]\.title: expected a string/,
      ],
      // Recognised by the first issue's shape; the bad second one is reported where it is.
      [
        "gh.json",
        '[{"number": 1, "title": "a", "labels": []}, {"number": 2}]',
        /gh\.json:1:45: \[1\]\.title: expected a string/,
      ],
      ["notes.txt", "hello", /not a recognised format/],
    ];
    for (const [name, text, re] of cases) {
      const path = text ? `${ws.home}/${name}` : name;
      if (text) Deno.writeTextFileSync(path, text);
      const r = await ws.run(["import", path]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, re, name);
    }
    assert.equal(await dump(ws.db), before, "nothing written");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("control characters in imported titles and labels are replaced by spaces and counted", async () => {
  const ws = await workspace();
  try {
    const path = `${ws.home}/gh.json`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify([{
        number: 1,
        title: "red\u001b[31m title\u202e",
        labels: [{ name: "a\u0007b" }],
        url: "u1",
      }]),
    );
    const r = await ws.json<Report>(["import", path]);
    assert.equal(r.sanitised, 2);
    const all = await tasksOf(ws, "github");
    assert.equal(all.get("u1")!.title, "red [31m title");
    assert.deepEqual(names(all.get("u1")!), ["a b"]);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("after the source changed, a re-import brings exactly the change (Task Master, beads, GitHub)", async () => {
  const cases: [string, string, string, (r: Report) => unknown, unknown][] = [
    ["taskmaster/tasks.json", "Hono on Deno.", "Hono on Deno 2.", (r) => [r.tasks, r.plans], [
      c(0, 1, 8),
      c(0, 1, 4),
    ]],
    ["beads/issues.jsonl", "rotate on login", "rotate hourly", (r) => [r.tasks, r.plans], [
      c(0, 1, 4),
      c(0, 1, 0),
    ]],
    ["github/issues.json", '"Widget list empty after reload"', '"Widget list empty"', (r) => [r.tasks], [
      c(0, 1, 2),
    ]],
  ];
  for (const [fixture, from, to, pick, want] of cases) {
    const ws = await workspace();
    try {
      const path = `${ws.home}/${fixture.split("/")[1]}`;
      const text = Deno.readTextFileSync(`${FIX}${fixture}`);
      Deno.writeTextFileSync(path, text);
      await ws.json(["import", path]);
      assert.ok(text.includes(from), fixture);
      Deno.writeTextFileSync(path, text.replace(from, to));
      const r = await ws.json<Report>(["import", path]);
      assert.deepEqual(pick(r), want, fixture);
      assert.deepEqual([r.comments.created, r.dependencies.created], [0, 0], fixture);
    } finally {
      await ws.cleanup();
    }
  }
});

Deno.test("a changed issue takes the source's newer updated and closed dates", async () => {
  const ws = await workspace();
  try {
    const path = `${ws.home}/issues.jsonl`;
    const text = Deno.readTextFileSync(`${FIX}beads/issues.jsonl`);
    Deno.writeTextFileSync(path, text);
    await ws.json(["import", path]);
    const line = text.split("\n")[4]; // bd-c3, deferred
    const closed = line.replace('"status":"deferred"', '"status":"closed"')
      .replace(
        '"updated_at":"2026-01-09T15:00:00Z"',
        '"updated_at":"2026-02-01T08:00:00Z","closed_at":"2026-02-01T08:00:00Z"',
      );
    Deno.writeTextFileSync(path, text.replace(line, closed));
    const r = await ws.json<Report>(["import", path]);
    assert.deepEqual(r.tasks, c(0, 1, 4));
    const t = (await tasksOf(ws, "beads")).get("bd-c3")!;
    assert.deepEqual([t.status, t.updated_at, t.completed_at], [
      "done",
      ns("2026-02-01T08:00:00Z"),
      ns("2026-02-01T08:00:00Z"),
    ]);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("titles and labels too long for a field keep their full text in the description; a body too long names its task", async () => {
  const ws = await workspace();
  try {
    const path = `${ws.home}/gh.json`;
    const long = "word ".repeat(80).trim();
    const label = "l".repeat(70);
    Deno.writeTextFileSync(
      path,
      JSON.stringify([{ number: 1, title: long, labels: [{ name: label }], url: "u1" }]),
    );
    const r = await ws.json<Report>(["import", path]);
    assert.equal(r.unplaced, 2);
    const t = (await tasksOf(ws, "github")).get("u1")!;
    assert.ok(t.title.endsWith("…") && new TextEncoder().encode(t.title).length <= 255);
    assert.match(t.description, new RegExp(`## Full title\\n\\n${long}`));
    assert.match(t.description, new RegExp(`## Labels too long for a label\\n\\n- ${label}`));
    assert.deepEqual(names(t), []);
    const before = await dump(ws.db);
    Deno.writeTextFileSync(
      path,
      JSON.stringify([{ number: 2, title: "big", body: "x".repeat(70_000), url: "u2" }]),
    );
    const big = await ws.run(["import", path]);
    assert.equal(big.code, 2);
    assert.match(
      big.stderr,
      /gh\.json: u2: description is 70000 bytes with its gathered fields, over the limit of 65535 bytes/,
    );
    assert.equal(await dump(ws.db), before);
  } finally {
    await ws.cleanup();
  }
});
