import { sqliteOnly } from "../helpers/app.ts";
import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

type Ws = Awaited<Awaited<ReturnType<typeof workspace>>>;

/** Runs a write with --quiet (or -q) and returns the one line it printed; stderr must stay empty. */
async function quiet(w: Ws, argv: string[], flag = "-q", stdin?: string): Promise<string> {
  const r = await w.run([...argv, flag], { stdin });
  assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
  assert.equal(r.stderr, "", `${argv.join(" ")} wrote to stderr under ${flag}`);
  assert.match(r.stdout, /^([^\n]+\n)?$/, `${argv.join(" ")} printed more than one line: ${r.stdout}`);
  return r.stdout.trimEnd();
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

Deno.test("--quiet/-q: project writes print only the alias", async () => {
  const w = await workspace();
  try {
    assert.equal(await quiet(w, ["project", "add", "API", "--alias", "api"]), "api");
    assert.equal(await quiet(w, ["project", "add", "--alias", "web"], "--quiet"), "web");
    assert.equal(await quiet(w, ["project", "update", "web", "--name", "Web"]), "web");
    assert.equal(await quiet(w, ["project", "use", "api"]), "api");
    assert.equal(await quiet(w, ["project", "set-default", "api"]), "api");
    assert.equal(await quiet(w, ["project", "archive", "web"]), "web");
    assert.equal(await quiet(w, ["project", "unarchive", "web"]), "web");
    await w.run(["project", "archive", "web"]);
    assert.equal(await quiet(w, ["project", "delete", "web"]), "web");
    assert.equal(await quiet(w, ["project", "clear-default"]), "");
  } finally {
    await w.cleanup();
  }
});

Deno.test("--quiet/-q: task writes, claims and dependencies print only the TASK-N they wrote", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "--alias", "api"]);
    await w.run(["project", "use", "api"]);
    assert.equal(await quiet(w, ["task", "add", "-t", "one", "--label", "a"]), "TASK-1");
    assert.equal(await quiet(w, ["task", "add", "-t", "two"], "--quiet"), "TASK-2");
    assert.equal(await quiet(w, ["task", "update", "1", "--priority", "P1"]), "TASK-1");
    assert.equal(await quiet(w, ["task", "move", "2", "--status", "doing"]), "TASK-2");
    assert.equal(await quiet(w, ["task", "move", "2", "--status", "todo"]), "TASK-2");
    assert.equal(await quiet(w, ["task", "dep", "add", "2", "--blocked-by", "1"]), "TASK-2");
    assert.equal(await quiet(w, ["task", "dep", "rm", "2", "--blocked-by", "1"]), "TASK-2");
    assert.equal(await quiet(w, ["task", "claim", "1"]), "TASK-1");
    assert.equal(await quiet(w, ["task", "renew", "1"]), "TASK-1");
    assert.equal(await quiet(w, ["task", "release", "1"]), "TASK-1");
    assert.equal(await quiet(w, ["task", "next", "--claim"]), "TASK-1");
    await w.run(["task", "next", "--claim"]); // TASK-2: nothing is ready now
    assert.equal(await quiet(w, ["task", "next", "--claim"]), "");
    assert.equal(await quiet(w, ["task", "archive", "2", "--as", "human:tester"]), "TASK-2");
    assert.equal(await quiet(w, ["task", "unarchive", "2"]), "TASK-2");
    assert.equal(await quiet(w, ["task", "delete", "2"]), "TASK-2");
  } finally {
    await w.cleanup();
  }
});

Deno.test("--quiet/-q: plan, comment, label, doc, memory and attachment writes print only the id", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "--alias", "api"]);
    await w.run(["project", "use", "api"]);
    await w.run(["task", "add", "-t", "one"]);
    const plan = await quiet(w, ["plan", "add", "--task", "1", "--title", "p", "--content", "x"]);
    assert.match(plan, ULID);
    assert.equal(await quiet(w, ["plan", "update", plan, "--content", "y"]), plan);
    assert.equal(await quiet(w, ["plan", "delete", plan]), plan);
    const comment = await quiet(w, ["comment", "add", "hello", "--task", "1"]);
    assert.match(comment, ULID);
    assert.equal(await quiet(w, ["comment", "delete", comment]), comment);
    const label = await quiet(w, ["label", "create", "bug"]);
    assert.match(label, ULID);
    assert.equal(await quiet(w, ["label", "attach", "bug", "--task", "1"]), "TASK-1");
    assert.equal(await quiet(w, ["label", "detach", "bug", "--task", "1"]), "TASK-1");
    assert.equal(await quiet(w, ["label", "delete", "bug"]), label);
    const doc = await quiet(w, ["doc", "add", "--title", "d", "--content", "x"]);
    assert.match(doc, ULID);
    assert.equal(await quiet(w, ["doc", "update", doc, "--content", "y"]), doc);
    assert.equal(await quiet(w, ["doc", "append", doc, "--content", "z"]), doc);
    const att = await quiet(w, ["attachment", "add", "-", "--doc", doc, "--name", "n.txt"], "-q", "data");
    assert.match(att, ULID);
    assert.equal(await quiet(w, ["attachment", "delete", att]), att);
    assert.equal(await quiet(w, ["doc", "delete", doc]), doc);
    const mem = await quiet(w, ["memory", "add", "note", "--tag", "ops"]);
    assert.match(mem, ULID);
    assert.equal(await quiet(w, ["memory", "append", mem, "more"]), mem);
    assert.equal(await quiet(w, ["memory", "update", mem, "--tag", "x"]), mem);
    assert.equal(await quiet(w, ["memory", "delete", mem]), mem);
  } finally {
    await w.cleanup();
  }
});

Deno.test({
  name:
    "[sqlite] --quiet/-q: workspace, file and profile writes print the path or name; imports print nothing",
  ignore: sqliteOnly,
}, async () => {
  const w = await workspace();
  try {
    const dir = `${w.home}/ws`;
    const init = await w.run(["init", "--path", dir, "--profile", "other", "-q"], {
      env: { BACKLOG_DB: "" },
    });
    assert.equal(init.code, 0, init.stderr);
    assert.equal(init.stdout, `${dir}\n`);
    await w.run(["project", "add", "--alias", "api"]);
    await w.run(["task", "add", "-p", "api", "-t", "one"]);
    assert.equal(await quiet(w, ["export", "-o", `${w.home}/out.json`]), `${w.home}/out.json`);
    assert.equal(await quiet(w, ["doctor", "backup", "--to", `${w.home}/b.db`]), `${w.home}/b.db`);
    assert.equal(await quiet(w, ["profile", "add", "p2", "--path", `${w.home}/p2`]), "p2");
    assert.equal(await quiet(w, ["profile", "use", "p2"]), "p2");
    assert.equal(await quiet(w, ["profile", "set-default", "other"]), "other");
    assert.equal(await quiet(w, ["profile", "clear-default"]), "");
    assert.equal(await quiet(w, ["profile", "remove", "p2"]), "p2");
    const findings = `${w.home}/f.json`;
    await Deno.writeTextFile(findings, JSON.stringify({ project: "api", items: [{ title: "f1" }] }));
    assert.equal(await quiet(w, ["import-findings", findings]), "");
    assert.equal(await quiet(w, ["import", `${w.home}/b.db`]), "");
    assert.equal(await quiet(w, ["sync", "--write"]), `${w.home}/backlog.json`);
    assert.equal(await quiet(w, ["sync"]), "");
  } finally {
    await w.cleanup();
  }
});

Deno.test("--quiet/-q: reads still print their data and errors still reach stderr", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "--alias", "api"]);
    await w.run(["task", "add", "-p", "api", "-t", "visible title"]);
    const list = await w.run(["task", "list", "-q"]);
    assert.match(list.stdout, /TASK-1 .* visible title/);
    const show = await w.run(["task", "show", "1", "--quiet"]);
    assert.match(show.stdout, /^Title: +visible title$/m);
    const json = await w.run(["task", "add", "-p", "api", "-t", "two", "-q", "--json"]);
    assert.equal(JSON.parse(json.stdout).ref, "TASK-2");
    const err = await w.run(["task", "show", "99", "-q"]);
    assert.equal(err.code, 3);
    assert.equal(err.stdout, "");
    assert.match(err.stderr, /^error: /);
    // -q is a global flag: it is accepted before the command too, and listed in help.
    assert.equal((await w.run(["-q", "task", "move", "1", "--status", "done"])).stdout, "TASK-1\n");
    assert.match((await w.run(["task", "add", "--help"])).stdout, /-q, --quiet/);
  } finally {
    await w.cleanup();
  }
});
