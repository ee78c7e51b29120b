import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { BAD_NAMES, GOOD_NAMES, NASTY_QUERIES } from "../helpers/untrusted.ts";
import { openApp } from "../../src/app.ts";

type Ws = Awaited<Awaited<ReturnType<typeof workspace>>>;

/** A workspace with project api, TASK-1, a plan and a doc; returns their ids. */
async function seeded() {
  const w = await workspace();
  await w.run(["project", "add", "API", "--alias", "api"]);
  await w.run(["project", "use", "api"]);
  await w.run(["task", "add", "-t", "first"]);
  const plan = (await w.json(["plan", "add", "--task", "1", "--title", "p", "--content", "x"])).id as string;
  const doc = (await w.json(["doc", "add", "--title", "d", "--content", "x"])).id as string;
  return { w, plan, doc };
}

/** Every row of the activity log: a refused write must leave it (and everything else) unchanged. */
async function writes(w: Ws): Promise<number> {
  const r = await w.json<{ page: { total: number } }>(["activity", "--limit", "1"]);
  return r.page.total;
}

Deno.test("titles, names, labels, tags and assignees with control, bidi or zero-width characters exit 2 and write nothing", async () => {
  const { w, plan, doc } = await seeded();
  try {
    const surfaces: ((bad: string) => string[])[] = [
      (b) => ["task", "add", "-t", b],
      (b) => ["task", "add", "-t", "ok", "--label", b],
      (b) => ["task", "add", "-t", "ok", "--assignee", b],
      (b) => ["task", "update", "TASK-1", "-t", b],
      (b) => ["task", "update", "TASK-1", "--assignee", b],
      (b) => ["project", "add", b, "--alias", "p2"],
      (b) => ["project", "update", "api", "--name", b],
      (b) => ["label", "create", b],
      (b) => ["label", "create", "ok", "--color", b],
      (b) => ["label", "attach", b, "--task", "1"],
      (b) => ["plan", "add", "--task", "1", "--title", b, "--content", "x"],
      (b) => ["plan", "update", plan, "--title", b],
      (b) => ["doc", "add", "--title", b, "--content", "x"],
      (b) => ["doc", "update", doc, "--title", b],
      (b) => ["memory", "add", "body", "--tag", b],
    ];
    const before = await writes(w);
    for (const [i, surface] of surfaces.entries()) {
      // Every surface sees several kinds of character; task add sees them all.
      const cases = i === 0
        ? BAD_NAMES
        : [BAD_NAMES[i % BAD_NAMES.length], BAD_NAMES[(i * 5) % BAD_NAMES.length]];
      for (const [what, bad] of cases) {
        const r = await w.run(surface(bad));
        assert.equal(r.code, 2, `${surface(bad).join(" ")} (${what}): ${r.stderr}`);
        assert.match(
          r.stderr,
          /^error: \S+( name)? contains \\\S+ \(titles, names, labels and tags cannot hold/,
        );
        assert.equal(r.stdout, "");
      }
    }
    assert.equal(await writes(w), before);
    assert.equal((await w.json<{ tasks: unknown[] }>(["task", "list"])).tasks.length, 1);
  } finally {
    await w.cleanup();
  }
});

Deno.test("titles and labels in other scripts, with emoji and joiners, are accepted", async () => {
  const { w } = await seeded();
  try {
    for (const name of GOOD_NAMES) {
      const t = await w.json<{ title: string }>(["task", "add", "-t", name, "--label", name]);
      assert.equal(t.title, name);
    }
  } finally {
    await w.cleanup();
  }
});

/** Writes hostile text straight into the database, as an older version or another tool might have. */
async function plant(db: string) {
  const app = await openApp({ dbPath: db });
  try {
    await app.db.run(
      "UPDATE tasks SET title = ?, description = ?, assignee = ? WHERE task_seq = 1",
      "red \x1b[31mTITLE\x1b]0;pwned\x07 \u202eevil",
      "line one\nline two \x1b[2J\u200b end\r\nthird\tcol",
      "bob\x1b[5m",
    );
    await app.db.run("UPDATE comments SET body = ?", "comment \x1b[41mbg\x1b[0m\nsecond line");
    await app.db.run("UPDATE projects SET name = ?", "proj\u202ename");
    await app.db.run("UPDATE activity_log SET summary = ?", "summary \x1b[31m\u202e");
  } finally {
    await app.close();
  }
}

// deno-lint-ignore no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff]/;

Deno.test("task list, task show, project show and activity escape control characters already in the database", async () => {
  const { w } = await seeded();
  try {
    await w.run(["comment", "add", "placeholder", "--task", "1"]);
    await plant(w.db);
    const list = await w.run(["task", "list"]);
    const show = await w.run(["task", "show", "TASK-1"]);
    const project = await w.run(["project", "show", "api"]);
    const projects = await w.run(["project", "list"]);
    const comments = await w.run(["comment", "list", "--task", "1"]);
    const ctx = await w.run(["task", "context", "TASK-1"]);
    const activity = await w.run(["activity"]);
    for (const r of [list, show, project, projects, comments, ctx, activity]) {
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, RAW);
    }
    assert.match(list.stdout, /red \\x1b\[31mTITLE\\x1b\]0;pwned\\x07 \\u202eevil/);
    assert.match(show.stdout, /^Title: +red \\x1b\[31mTITLE/m);
    assert.match(show.stdout, /^Assignee: +bob\\x1b\[5m$/m);
    // Bodies keep their newlines (a \r\n reads as one) and tabs; everything else is escaped.
    assert.match(show.stdout, /line one\nline two \\x1b\[2J\\u200b end\nthird\tcol/);
    assert.match(show.stdout, /comment \\x1b\[41mbg\\x1b\[0m\nsecond line/);
    assert.match(comments.stdout, /comment \\x1b\[41mbg\\x1b\[0m\n {2}second line/);
    assert.match(project.stdout, /proj\\u202ename/);
    assert.match(activity.stdout, /summary \\x1b\[31m\\u202e by /);
  } finally {
    await w.cleanup();
  }
});

Deno.test("error messages that quote input escape its control characters", async () => {
  const { w } = await seeded();
  try {
    const r = await w.run(["\u202eevil\x1b[31m"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "\\u202eevil\\x1b\[31m"/);
    const s = await w.run(["task", "show", "x\x1b]0;t\x07"]);
    assert.notEqual(s.code, 0);
    assert.doesNotMatch(s.stderr, RAW);
  } finally {
    await w.cleanup();
  }
});

Deno.test("task list columns line up with CJK, emoji and combining characters, and long titles are cut with an ellipsis", async () => {
  const { w } = await seeded();
  try {
    for (const t of ["中文标题", "👩‍💻 dev", "e\u0301tude", "長い".repeat(30)]) {
      await w.run(["task", "add", "-t", t]);
    }
    const lines = (await w.run(["task", "list"])).stdout.trimEnd().split("\n");
    const title = (ref: string) => lines.find((l) => l.startsWith(`${ref} `))!.split(" │ ")[4];
    // The widest title is the cut one: a wide character does not fit in the 50th column, so 48
    // columns of 長い and the ellipsis make 49, and every other title is padded to 49.
    assert.equal(title("TASK-5"), "長い".repeat(12) + "…");
    assert.equal(title("TASK-2"), "中文标题" + " ".repeat(41));
    assert.equal(title("TASK-3"), "👩‍💻 dev" + " ".repeat(43));
    assert.equal(title("TASK-4"), "e\u0301tude" + " ".repeat(44));
    assert.equal(title("TASK-1"), "first" + " ".repeat(44));
  } finally {
    await w.cleanup();
  }
});

Deno.test("actor names with whitespace or control characters are usage errors on --as, $BACKLOG_ACTOR and config", async () => {
  const { w } = await seeded();
  try {
    const before = await writes(w);
    const as = await w.run(["task", "add", "-t", "x", "--as", "human:alice bob"]);
    assert.equal(as.code, 2);
    assert.match(as.stderr, /^error: --as: actor name "alice bob" contains a space/);
    const env = await w.run(["task", "add", "-t", "x"], { env: { BACKLOG_ACTOR: "ai:a\x1b[31m" } });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /^error: \$BACKLOG_ACTOR: actor name "a\\x1b\[31m" contains \\x1b/);
    const dir = w.dir;
    await Deno.writeTextFile(`${dir}/config.toml`, '[defaults]\nactor = "human:alice\\tbob"\n');
    const cfg = await w.run(["task", "add", "-t", "x"]);
    assert.equal(cfg.code, 2);
    assert.match(cfg.stderr, /^error: config defaults.actor: actor name .* contains \\t/);
    await Deno.remove(`${dir}/config.toml`);
    assert.equal(await writes(w), before);
  } finally {
    await w.cleanup();
  }
});

Deno.test("task list --search answers every query with results or invalid input (exit 0 or 2), never internal", async () => {
  const { w } = await seeded();
  try {
    await w.run(["task", "add", "-t", "login timeout"]);
    for (const q of NASTY_QUERIES) {
      const r = await w.run(["task", "list", "--search", q]);
      assert.ok(r.code === 0 || r.code === 2, `--search ${JSON.stringify(q)}: exit ${r.code} ${r.stderr}`);
      if (r.code === 2) assert.match(r.stderr, /^error: invalid search syntax\n/);
    }
    for (const q of ["*", "**", "*abc", '"unclosed', "title:"]) {
      const r = await w.run(["task", "list", "--search", q, "--json"]);
      assert.equal(r.code, 2, q);
      assert.equal(JSON.parse(r.stderr).error.code, "invalid");
    }
  } finally {
    await w.cleanup();
  }
});
