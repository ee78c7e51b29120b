import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { assertGolden } from "../helpers/golden.ts";

const GOLDEN = new URL("../golden/cli/", import.meta.url);

/** Replaces IDs, timestamps and dates so output is stable between runs. */
function normalise(s: string): string {
  return s
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, "<ULID>")
    .replace(/\b[0-9A-HJKMNP-TV-Z]{10}\b(?=[\s)│]|$)/gm, "<ID10>")
    .replace(/\b[0-9A-HJKMNP-TV-Z]{8}\b(?=[\s)│]|$)/gm, "<ID8>")
    .replace(/\b1[7-9]\d{17}\b/g, "<NS>")
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?/g, "<DATE>")
    .replace(/\/tmp\/backlog-test-[^/\s"]+/g, "<HOME>");
}

const golden = (name: string, actual: string) => assertGolden(new URL(name, GOLDEN), normalise(actual));

async function seeded() {
  const w = await workspace();
  await w.run(["project", "add", "API Service", "--alias", "api", "--description", "the api"]);
  await w.run(["project", "add", "--alias", "web"]);
  await w.run([
    "task",
    "add",
    "-p",
    "api",
    "-t",
    "Fix login timeout",
    "--type",
    "bug",
    "--priority",
    "P1",
    "--label",
    "auth,security",
    "-d",
    "JWT expires early",
  ]);
  await w.run(["task", "add", "-p", "api", "-t", "Write docs", "--assignee", "bob"]);
  await w.run(["task", "add", "-p", "web", "-t", "Dark mode", "--type", "feature", "--priority", "4"]);
  return w;
}

Deno.test("project group: human and JSON output", async () => {
  const w = await seeded();
  try {
    let out = "";
    for (
      const argv of [
        ["project", "list"],
        ["project", "show", "api"],
        ["project", "update", "web", "--name", "Web App"],
        ["project", "archive", "web"],
        ["project", "list", "--include-archived"],
        ["project", "unarchive", "web"],
        ["project", "set-default", "api"],
        ["project", "current"],
        ["project", "clear-default"],
      ]
    ) {
      const r = await w.run(argv);
      out += `$ backlog ${argv.join(" ")}\n[${r.code}] ${r.stdout}${r.stderr}\n`;
      const j = await w.run([...argv, "--json"]);
      out += `$ backlog ${argv.join(" ")} --json\n[${j.code}] ${j.stdout}${j.stderr}\n`;
    }
    await golden("project.txt", out);
  } finally {
    await w.cleanup();
  }
});

Deno.test("task group: human and JSON output", async () => {
  const w = await seeded();
  try {
    let out = "";
    const cmds = [
      ["task", "list"],
      ["task", "list", "-p", "api", "--status", "todo", "--label", "auth"],
      ["task", "list", "--search", "login", "--limit", "1"],
      ["task", "list", "--limit", "2"],
      ["task", "show", "TASK-1"],
      ["task", "update", "1", "--assignee", "carol", "--priority", "P2", "--expect-version", "1"],
      ["task", "move", "2", "--status", "done"],
      ["task", "archive", "3"],
      ["task", "unarchive", "3"],
      ["task", "delete", "3"],
    ];
    for (const argv of cmds) {
      const r = await w.run(argv);
      out += `$ backlog ${argv.join(" ")}\n[${r.code}] ${r.stdout}${r.stderr}\n`;
    }
    const j = await w.run(["task", "list", "--json", "--limit", "1"]);
    out += `$ backlog task list --json --limit 1\n[${j.code}] ${j.stdout}\n`;
    await golden("task.txt", out);
  } finally {
    await w.cleanup();
  }
});

Deno.test("plan, comment and label groups: human and JSON output", async () => {
  const w = await seeded();
  try {
    let out = "";
    const plan = await w.json<{ id: string }>([
      "plan",
      "add",
      "--task",
      "1",
      "--title",
      "Approach",
      "--content",
      "Step 1",
    ]);
    const short = plan.id.slice(0, 8);
    const cmds = [
      ["plan", "update", short, "--change-note", "reviewed"],
      ["plan", "update", short, "--content", "Step 1\nStep 2"],
      ["plan", "list", "--task", "1"],
      ["plan", "show", short, "--version", "1"],
      ["plan", "history", short],
      ["comment", "add", "Implemented and tested", "--task", "TASK-1", "--as", "ai:claude"],
      ["comment", "list", "--task", "1"],
      ["comment", "list", "--task", "1", "--json"],
      ["label", "create", "ops", "-p", "api", "--color", "#0af"],
      ["label", "list", "-p", "api"],
      ["label", "attach", "ops", "--task", "2"],
      ["label", "detach", "ops", "--task", "2"],
      ["label", "delete", "ops", "-p", "api"],
      ["label", "list", "-p", "api", "--json"],
      ["plan", "delete", short],
    ];
    for (const argv of cmds) {
      const r = await w.run(argv);
      out += `$ backlog ${argv.join(" ")}\n[${r.code}] ${r.stdout}${r.stderr}\n`;
    }
    await golden("plan_comment_label.txt", out);
  } finally {
    await w.cleanup();
  }
});

Deno.test("bad input: one-line errors, documented exit codes, database unchanged", async () => {
  const w = await seeded();
  try {
    const dump = async () =>
      (await w.run(["task", "list", "--json", "--include-archived", "--limit", "0"])).stdout;
    const before = await dump();
    let out = "";
    const cases: [string[], number][] = [
      [["tsk", "list"], 2],
      [["task", "frob"], 2],
      [["task", "list", "--bogus"], 2],
      [["task", "show"], 2],
      [["task", "add", "-p", "api"], 2],
      [["task", "add", "-p", "api", "-t", "x", "--type", "epic"], 2],
      [["task", "add", "-p", "api", "-t", "x", "--priority", "P7"], 2],
      [["task", "add", "-p", "api", "-t", "x", "--due-date", "2026-13-01"], 2],
      [["task", "add", "-p", "api", "-t", "x", "--as", "robot:x"], 2],
      [["task", "add", "-p", "api", "-t", "x", "--as", "ai:"], 2],
      [["task", "add", "-p", "api", "--from-file", "/nonexistent.json"], 2],
      [["task", "show", "TASK-42"], 3],
      [["task", "show", "ZZZZZZZZ"], 3],
      [["task", "list", "--search", '"unterminated'], 2],
      [["task", "update", "1", "--title", "x", "--expect-version", "9"], 4],
      [["task", "move", "1"], 2],
      [["project", "show", "nope"], 3],
      [["project", "delete", "api"], 4],
      [["task", "add", "-p", "api", "-t", ""], 2],
      [["task", "update", "1"], 2],
    ];
    for (const [argv, code] of cases) {
      const r = await w.run(argv);
      assert.equal(r.code, code, `${argv.join(" ")} → ${r.code}: ${r.stderr}`);
      assert.equal(r.stdout, "", argv.join(" "));
      assert.ok(r.stderr.startsWith("error: "), r.stderr);
      assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
      out += `$ backlog ${argv.join(" ")}\n[${r.code}] ${r.stderr}\n`;
    }
    const j = await w.run(["task", "show", "TASK-42", "--json"]);
    assert.deepEqual(JSON.parse(j.stderr), {
      error: { code: "not_found", message: "task TASK-42 not found" },
    });
    assert.equal(await dump(), before);
    await golden("errors.txt", out);
  } finally {
    await w.cleanup();
  }
});

Deno.test("a directory where the database should be is a clear error", async () => {
  const w = await workspace();
  try {
    const r = await w.run(["task", "list"], { env: { BACKLOG_DB: w.home } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: database path is a directory/);
    const m = await w.run(["task", "list"], { env: { BACKLOG_DB: `${w.home}/missing/dir/b.db` } });
    assert.equal(m.code, 1);
    assert.match(m.stderr, /workspace directory does not exist/);
  } finally {
    await w.cleanup();
  }
});

Deno.test("task add --from-file takes snake_case JSON and the original's Go keys; flags win", async () => {
  const w = await seeded();
  try {
    await Deno.writeTextFile(
      `${w.home}/t.json`,
      JSON.stringify({
        project: "api",
        title: "From file",
        external_ref: "GH-1",
        due_date: "2026-06-01",
        labels: ["x"],
        plans: [{ title: "P", body: "B" }],
      }),
    );
    const t = await w.json<
      { external_ref: string; due_at: number; labels: { name: string }[]; title: string }
    >([
      "task",
      "add",
      "--from-file",
      "t.json",
      "-t",
      "Flag title",
    ]);
    assert.equal(t.external_ref, "GH-1");
    assert.equal(t.title, "Flag title");
    assert.deepEqual(t.labels.map((l) => l.name), ["x"]);
    assert.equal(t.due_at, Date.UTC(2026, 5, 1) * 1e6);
    await Deno.writeTextFile(
      `${w.home}/g.json`,
      JSON.stringify({ ProjectID: "api", Title: "Go style", ExternalRef: "E" }),
    );
    assert.equal(
      (await w.json<{ external_ref: string }>(["task", "add", "--from-file", "g.json"])).external_ref,
      "E",
    );
    await Deno.writeTextFile(`${w.home}/bad.json`, "{ nope");
    const r = await w.run(["task", "add", "--from-file", "bad.json", "-p", "api"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from-file: bad.json: invalid JSON/);
  } finally {
    await w.cleanup();
  }
});

Deno.test("actor chain: --as > $BACKLOG_ACTOR > config > $USER", async () => {
  const w = await seeded();
  try {
    const a = await w.json<{ actor: { name: string } }>([
      "task",
      "add",
      "-p",
      "api",
      "-t",
      "a",
      "--as",
      "ai:x",
    ]);
    assert.equal(a.actor.name, "x");
    const r = await w.run(["task", "add", "-p", "api", "-t", "b", "--json"], {
      env: { BACKLOG_ACTOR: "ai:envbot" },
    });
    assert.equal(JSON.parse(r.stdout).actor.name, "envbot");
    const d = await w.json<{ actor: { kind: string; name: string } }>([
      "task",
      "add",
      "-p",
      "api",
      "-t",
      "c",
    ]);
    assert.deepEqual(d.actor, { kind: "human", name: "tester" });
  } finally {
    await w.cleanup();
  }
});

Deno.test("help is generated for every command and exit codes are documented", async () => {
  const w = await workspace();
  try {
    const h = await w.run(["help"]);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Exit codes:/);
    const t = await w.run(["task", "add", "--help"]);
    assert.match(t.stdout, /-p, --project/);
    assert.match(t.stdout, /Examples:/);
    assert.match((await w.run(["help", "exit-codes"])).stdout, /4 {2}conflict/);
    assert.match((await w.run(["version"])).stdout, /^backlog /);
  } finally {
    await w.cleanup();
  }
});

Deno.test("the lazy routing table names every command group and alias in help order", async () => {
  const { loadRoot, ROUTES } = await import("../../src/cli/registry.ts");
  const root = await loadRoot();
  const fromSpecs = root.subcommands!.filter((c) => c.name !== "help").map((
    c,
  ) => [c.name, ...(c.aliases ?? [])]);
  const routed = ROUTES.flatMap((r) => r.names);
  assert.deepEqual(routed, fromSpecs.flat().filter((n) => routed.includes(n)));
  for (const names of fromSpecs) for (const n of names) assert.ok(routed.includes(n), `${n} is routed`);
});

Deno.test("task list pages by the one rule: default 50, --limit 0 is every row, a negative limit is exit 2", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "--alias", "api"]);
    for (let i = 0; i < 55; i++) await w.run(["task", "add", "-p", "api", "-t", `t${i}`]);
    type L = { tasks: unknown[]; page: { total: number; count: number; limit?: number; has_more: boolean } };
    const first = await w.json<L>(["task", "list"]);
    assert.deepEqual([first.page.count, first.page.total, first.page.limit, first.page.has_more], [
      50,
      55,
      50,
      true,
    ]);
    const all = await w.json<L>(["task", "list", "--limit", "0"]);
    assert.deepEqual([all.tasks.length, all.page.has_more], [55, false]);
    assert.equal((await w.run(["task", "list", "--limit", "-1"])).code, 2);
  } finally {
    await w.cleanup();
  }
});

Deno.test("project add: a bad --alias names its problem (too long, leading hyphen, characters), exit 2", async () => {
  const w = await workspace();
  try {
    assert.equal((await w.run(["project", "add", "--alias", "a".repeat(64)])).code, 0);
    const cases: [string, string][] = [
      ["a".repeat(65), "alias exceeds max length of 64 characters (got 65)"],
      ["-abc", 'alias "-abc" must start with a lowercase letter or digit'],
      ["My_App", 'alias "My_App" must be lowercase alphanumeric with optional hyphens'],
    ];
    for (const [alias, message] of cases) {
      const r = await w.run(["project", "add", "x", "--alias", alias]);
      assert.equal(r.code, 2, alias);
      assert.equal(r.stderr, `error: ${message}\n`);
    }
    assert.equal((await w.json<{ projects: unknown[] }>(["project", "list"])).projects.length, 1);
  } finally {
    await w.cleanup();
  }
});
