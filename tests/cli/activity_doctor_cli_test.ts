import { sqliteOnly } from "../helpers/app.ts";
import assert from "node:assert/strict";
import { openStore } from "../../src/db/open.ts";
import { spawnCli, workspace } from "../helpers/cli.ts";

type Ws = Awaited<Awaited<ReturnType<typeof workspace>>>;

async function setup(): Promise<Ws> {
  const ws = await workspace();
  await ws.json(["project", "add", "API", "--alias", "api"]);
  await ws.json(["project", "add", "Web", "--alias", "web"]);
  await ws.json(["task", "add", "-p", "api", "-t", "Fix login", "--type", "bug"]);
  await ws.json(["task", "move", "1", "--status", "doing", "--as", "ai:claude"]);
  await ws.json(["task", "add", "-p", "web", "-t", "Landing page", "--as", "ai:claude"]);
  return ws;
}

type Events = {
  events: { entity: string; summary: string; actor: { kind: string; name: string } }[];
  page: { total: number; count: number; has_more: boolean };
};

Deno.test("activity lists events newest first with filters and real totals", async () => {
  const ws = await setup();
  const text = await ws.run(["activity"]);
  assert.match(
    text.stdout,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}\[task\] Created task "Landing page" \(TASK-2\) by ai:claude\n/,
  );
  const all = await ws.json<Events>(["activity"]);
  assert.equal(all.page.total, 5);
  const api = await ws.json<Events>(["activity", "-p", "api"]);
  assert.deepEqual(api.events.map((e) => e.summary), [
    'Changed status of TASK-1 "Fix login" from todo to doing',
    'Created task "Fix login" (TASK-1)',
    'Created project "API" (api)',
  ]);
  const ai = await ws.json<Events>(["activity", "--actor-kind", "ai", "--kind", "task", "--limit", "1"]);
  assert.deepEqual([ai.page.total, ai.page.count, ai.page.has_more], [2, 1, true]);
  const named = await ws.json<Events>(["activity", "--actor-name", "tester", "--kind", "project"]);
  assert.equal(named.page.total, 2);
  assert.equal((await ws.json<Events>(["activity", "--since", "1h"])).page.total, 5);
  // `--actor` is kind:name or a bare name, as over HTTP and MCP.
  assert.equal((await ws.json<Events>(["activity", "--actor", "claude"])).page.total, 2);
  assert.equal((await ws.json<Events>(["activity", "--actor", "ai:claude"])).page.total, 2);
  // The paging rule: --limit 0 is every row (the CLI's largest page).
  const every = await ws.json<Events>(["activity", "--limit", "0"]);
  assert.deepEqual([every.page.count, every.page.total], [5, 5]);
  assert.equal((await ws.json<Events>(["activity", "--since", "2000-01-01"])).page.total, 5);
  assert.equal((await ws.json<Events>(["activity", "--since", "2200-01-01"])).page.total, 0);
  assert.equal((await ws.run(["activity", "--since", "2200-01-01"])).stdout, "no activity recorded\n");
  assert.equal((await ws.json<Events>(["activity", "--since", "99999w"])).page.total, 5);
  const page = await ws.run(["activity", "--limit", "2"]);
  assert.match(page.stdout, /showing 1-2 of 5/);
  await ws.cleanup();
});

Deno.test("activity rejects bad filters with one line and exit 2 or 3", async () => {
  const ws = await setup();
  const cases: [string[], number, RegExp][] = [
    [["activity", "--since", "soon"], 2, /^error: --since: invalid time window "soon"/],
    [["activity", "--since", "2999-01-01"], 2, /^error: --since: date out of range "2999-01-01"/],
    [["activity", "--since", "1969-12-31"], 2, /^error: --since: date out of range/],
    [["activity", "--kind", "tasks"], 2, /^error: --kind: invalid value "tasks"/],
    [["activity", "--actor-kind", "robot"], 2, /^error: --actor-kind: invalid value "robot"/],
    [["activity", "--actor", "robot:x"], 2, /actor: invalid actor "robot:x"/],
    [["activity", "-p", "nope"], 3, /project "nope" not found/],
    [["activity", "analyze", "-p", "api", "--stale-after", "0d"], 2, /--stale-after: invalid duration "0d"/],
    [["activity", "analyze", "-p", "api", "--since", "7x"], 2, /--since: invalid time window "7x"/],
    [["activity", "analyze"], 2, /project is required/],
    [["doctor", "project", "-p", "api", "--stale-after", "abc"], 2, /--stale-after: invalid duration/],
    [["doctor", "project", "-p", "nope"], 3, /project "nope" not found/],
  ];
  for (const [argv, code, re] of cases) {
    const r = await ws.run(argv);
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.split("\n").filter((l) => l && !l.startsWith("hint:")).length, 1, r.stderr);
  }
  await ws.cleanup();
});

Deno.test("activity analyze and doctor project print text and --json with the original's fields", async () => {
  const ws = await setup();
  const text = await ws.run(["activity", "analyze", "-p", "api", "--since", "all"]);
  assert.match(
    text.stdout,
    /^Activity analysis for api since all\n\nTasks: created=1 completed=0 todo=0 doing=1 done=0\n/,
  );
  assert.match(text.stdout, /- bug followups: TASK-1\n/);
  const r = await ws.json<Record<string, unknown>>(["activity", "analyze", "-p", "api"]);
  assert.deepEqual(Object.keys(r), [
    "project",
    "since",
    "since_at",
    "generated_at",
    "tasks",
    "cycle_time_by_type",
    "status_latency",
    "wip_by_actor",
    "no_completion_evidence",
    "reopened_tasks",
    "bug_followups",
    "stale_doing_tasks",
    "duplicates",
    "top_labels_by_churn",
    "human_vs_ai_closes",
  ]);
  const d = await ws.run(["doctor", "project", "-p", "api"]);
  assert.match(d.stdout, /^Project doctor for api: 1 issue\(s\)\n- \[INFO\] TASK-1 task_without_plan: /);
  const dj = await ws.json<Record<string, unknown>>(["doctor", "project", "-p", "api"]);
  assert.deepEqual(Object.keys(dj), [
    "project",
    "generated_at",
    "stale_after",
    "issue_count",
    "total_detected",
    "truncated",
    "issues",
  ]);
  await ws.cleanup();
});

Deno.test({
  name: "[sqlite] doctor check passes a sound file and fails a damaged copy with one line and exit 1",
  ignore: sqliteOnly,
}, async () => {
  const ws = await setup();
  const ok = await ws.run(["doctor", "check"]);
  assert.deepEqual([ok.code, ok.stdout], [0, "✓ database integrity: ok\n"]);
  await ws.run(["doctor", "backup", "--to", "copy.db"]);
  const bytes = await Deno.readFile(`${ws.home}/copy.db`);
  const garbled = bytes.slice();
  // Pages 2-3 hold the first tables' roots; the last pages are whichever index a migration added last.
  garbled.fill(0xab, 4096, 12288);
  await Deno.writeFile(`${ws.home}/garbled.db`, garbled);
  const header = bytes.slice();
  header.fill(0x58, 0, 100);
  await Deno.writeFile(`${ws.home}/header.db`, header);
  for (const [file, re] of [["garbled.db", /malformed/], ["header.db", /file is not a database/]] as const) {
    const r = await ws.run(["doctor", "check", "--db", `${ws.home}/${file}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /^✗ database integrity: /);
    assert.match(r.stderr, re);
    const j = await ws.run(["doctor", "check", "--db", `${ws.home}/${file}`, "--json"]);
    assert.equal(j.code, 1);
    assert.equal(JSON.parse(j.stdout).ok, false);
  }
  // The check never writes: the damaged file is byte-for-byte unchanged.
  assert.deepEqual(await Deno.readFile(`${ws.home}/header.db`), header);
  const missing = await ws.run(["doctor", "check", "--db", `${ws.home}/nope.db`]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: database file does not exist: /);
  await ws.cleanup();
});

Deno.test({
  name: "[sqlite] doctor check on a damaged file in a real process: one line, exit 1, no stack trace",
  ignore: sqliteOnly,
}, async () => {
  const ws = await setup();
  await ws.run(["doctor", "backup", "--to", "copy.db"]);
  const bytes = await Deno.readFile(`${ws.home}/copy.db`);
  bytes.fill(0x00, 0, 4096);
  await Deno.writeFile(`${ws.home}/copy.db`, bytes);
  const r = await spawnCli(["doctor", "check"], { ...ws.env, BACKLOG_DB: `${ws.home}/copy.db` });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\bat \w|Error:|stack/);
  await ws.cleanup();
});

Deno.test({
  name: "[sqlite] doctor backup: default destination, refuses to overwrite, --force, missing directory, dir/",
  ignore: sqliteOnly,
}, async () => {
  const ws = await setup();
  const first = await ws.run(["doctor", "backup"]);
  assert.equal(first.stdout, `✓ backup written to: ${ws.home}/backlog.backup.db\n`);
  const again = await ws.run(["doctor", "backup"]);
  assert.equal(again.code, 4);
  assert.match(
    again.stderr,
    /^error: backup target already exists: .*backlog\.backup\.db\nhint: pass --force/,
  );
  const forced = await ws.json<{ ok: boolean; path: string; bytes: number }>(["doctor", "backup", "--force"]);
  assert.equal(forced.ok, true);
  assert.ok(forced.bytes > 0);
  const nodir = await ws.run(["doctor", "backup", "--to", "missing/dir/b.db"]);
  assert.equal(nodir.code, 2);
  assert.equal(nodir.stderr, `error: backup directory does not exist: ${ws.home}/missing/dir\n`);
  // --to ending in "/" is a directory: made like mkdir -p, the backup inside under the default name.
  const made = await ws.run(["doctor", "backup", "--to", "bk/"]);
  assert.equal(made.code, 0, made.stderr);
  assert.equal(made.stdout, `✓ backup written to: ${ws.home}/bk/backlog.backup.db\n`);
  assert.ok(Deno.statSync(`${ws.home}/bk`).isDirectory);
  assert.equal(
    (await ws.run(["doctor", "backup", "--to", `${ws.home}/new/deep/`, "-q"])).stdout,
    `${ws.home}/new/deep/backlog.backup.db\n`,
  );
  await ws.cleanup();
});

Deno.test("doctor check names each stale stored count (text and --json, exit 1); doctor repair fixes them", async () => {
  const ws = await setup();
  try {
    await ws.json(["task", "add", "-p", "api", "-t", "Waits"]);
    await ws.json(["task", "dep", "add", "TASK-3", "--blocked-by", "TASK-1"]);
    const raw = await openStore(ws.db, { noMigrate: true });
    await raw.run("UPDATE tasks SET blockers_open = 0 WHERE task_seq = 3");
    await raw.close();
    const r = await ws.run(["doctor", "check"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "✗ stale ranking: TASK-3 blockers_open is 0, the graph says 1 (run `backlog doctor repair`)\n",
    );
    const j = await ws.run(["doctor", "check", "--json"]);
    assert.equal(j.code, 1);
    assert.deepEqual(JSON.parse(j.stdout).stale_ranking, [
      { task: "TASK-3", field: "blockers_open", stored: 0, actual: 1 },
    ]);
    const fix = await ws.run(["doctor", "repair"]);
    assert.deepEqual([fix.code, fix.stdout], [0, "✓ repaired: 0 unblocks, 1 blockers_open, 0 task_counts\n"]);
    assert.equal((await ws.run(["doctor", "check"])).code, 0);
    const again = await ws.json<{ repaired: Record<string, number> }>(["doctor", "repair"]);
    assert.deepEqual(again.repaired, { unblocks: 0, blockers_open: 0, task_counts: 0 });
  } finally {
    await ws.cleanup();
  }
});
