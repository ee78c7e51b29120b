import assert from "node:assert/strict";
import { loadRoot } from "../../src/cli/registry.ts";

const ROOT = await loadRoot();
import { findSub } from "../../src/cli/parse.ts";
import { type CommandSpec, GLOBAL_FLAGS } from "../../src/cli/spec.ts";
import { frontmatter, installSkills, loadSkills } from "../../src/services/interchange/skills.ts";
import { workspace } from "../helpers/cli.ts";

const SHELL_WORDS = new Set(["while", "until", "if", "then", "do", "!", "time", "else"]);

/** Every shell command line in a markdown file: fenced code (continuations joined) and inline code. */
function snippets(md: string): string[] {
  const out: string[] = [];
  const rest = md.replace(/```[^\n]*\n([\s\S]*?)```/g, (_m, code: string) => {
    out.push(...code.replace(/\\\n\s*/g, " ").split("\n"));
    return "";
  });
  for (const m of rest.matchAll(/`([^`\n]+)`/g)) out.push(m[1]);
  return out;
}

/** Splits a line at unquoted shell separators and tokenises each part (quotes removed). */
function commands(line: string): string[][] {
  const out: string[][] = [];
  let toks: string[] = [];
  let cur = "";
  let quote = "";
  let has = false;
  const word = () => {
    if (cur || has) toks.push(cur);
    cur = "";
    has = false;
  };
  const end = () => {
    word();
    if (toks.length) out.push(toks);
    toks = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") (quote = c, has = true);
    else if (c === "#" && !cur) break;
    else if (/\s/.test(c)) word();
    else if ("|;&()`".includes(c) || (c === "$" && line[i + 1] === "(")) end();
    else cur += c;
  }
  end();
  return out;
}

/** Problems with one `backlog …` invocation: unknown commands or flags. */
export function checkInvocation(toks: string[]): string[] {
  const i = toks.findIndex((t) => t === "backlog");
  if (i < 0 || !toks.slice(0, i).every((t) => SHELL_WORDS.has(t) || /^[A-Z_]+=/.test(t))) return [];
  const args = toks.slice(i + 1);
  if (!args.length) return [];
  let cmd: CommandSpec = ROOT;
  const path: string[] = [];
  let positional = false;
  for (const a of args) {
    if (a.startsWith("-")) continue;
    if (positional || !cmd.subcommands?.length) break;
    const sub = findSub(cmd, a);
    if (!sub) {
      if (cmd.run) break;
      return [`unknown command "backlog ${[...path, a].join(" ")}"`];
    }
    cmd = sub;
    path.push(sub.name);
    if (!sub.subcommands?.length) positional = true;
  }
  if (!cmd.run) return [`"backlog ${path.join(" ")}" needs a subcommand`];
  const problems: string[] = [];
  const flags = { ...GLOBAL_FLAGS, ...cmd.flags };
  for (const a of args) {
    if (a === "-" || a === "--" || !a.startsWith("-") || /^-\d/.test(a)) continue;
    if (a.startsWith("--")) {
      const name = a.slice(2).split("=")[0];
      if (!flags[name]) problems.push(`backlog ${path.join(" ")}: unknown flag --${name}`);
    } else if (!Object.values(flags).some((f) => f.short === a.slice(1))) {
      problems.push(`backlog ${path.join(" ")}: unknown flag ${a}`);
    }
  }
  return problems;
}

function everyFlag(): Set<string> {
  const names = new Set(Object.keys(GLOBAL_FLAGS));
  const walk = (c: CommandSpec) => {
    for (const k of Object.keys(c.flags ?? {})) names.add(k);
    for (const s of c.subcommands ?? []) walk(s);
  };
  walk(ROOT);
  return names;
}

Deno.test("the command checker catches unknown commands and flags", () => {
  const check = (line: string) => commands(line).flatMap(checkInvocation);
  assert.deepEqual(check("backlog task next --claim -p api --json"), []);
  assert.deepEqual(check('X=1 backlog task add -p api -t "a | b" --label x,y'), []);
  assert.deepEqual(check("( while backlog task next -p api --json | grep -q ref; do"), []);
  assert.deepEqual(check("backlog tasks list"), ['unknown command "backlog tasks"']);
  assert.deepEqual(check("backlog task frobnicate TASK-1"), ['unknown command "backlog task frobnicate"']);
  assert.deepEqual(check("backlog task list --bogus"), ["backlog task list: unknown flag --bogus"]);
  assert.deepEqual(check("backlog task"), ['"backlog task" needs a subcommand']);
  assert.deepEqual(check('claude -p "/backlog-loop api"'), []);
});

Deno.test("every command and flag the skills mention exists in the command table", async () => {
  const skills = loadSkills();
  assert.deepEqual(skills.map((s) => s.name), [
    "backlog",
    "backlog-enhance-tasks",
    "backlog-goal",
    "backlog-loop",
    "backlog-memory",
  ]);
  const known = everyFlag();
  const problems: string[] = [];
  let checked = 0;
  for (const s of skills) {
    for (const line of snippets(s.text)) {
      for (const toks of commands(line)) {
        const p = checkInvocation(toks);
        if (toks.includes("backlog")) checked++;
        problems.push(...p.map((x) => `${s.name}: ${x}   (in: ${line.trim()})`));
      }
      const bare = line.match(/^--([a-z][a-z-]*)/);
      if (bare && !known.has(bare[1])) problems.push(`${s.name}: no command has --${bare[1]}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 80, `checked ${checked} invocations`);
  for (const s of skills) {
    assert.match(s.text, /--as ai:/, `${s.name} teaches --as ai:<model>`);
    assert.match(s.text, /--json/, `${s.name} teaches --json`);
    assert.ok(s.description.length > 40 && s.description.length <= 400, s.name);
  }
  const main = skills[0].text;
  for (
    const needle of [
      "task next --claim",
      "task claim",
      "--token",
      "lease",
      "task dep add",
      "task context",
      "exit",
    ]
  ) {
    assert.ok(main.includes(needle), `backlog skill covers ${needle}`);
  }
  await Promise.resolve();
});

Deno.test("install-skills writes each tool's layout with the original's transforms", async () => {
  const ws = await workspace();
  try {
    for (const d of [".claude", ".cursor", ".config/opencode", ".codex"]) {
      await Deno.mkdir(`${ws.home}/${d}`, { recursive: true });
    }
    const r = await ws.run(["install-skills"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Claude Code\n {2}wrote ~\/\.claude\/skills\/backlog\/SKILL\.md\n/);
    const skills = loadSkills();
    const claude = await Deno.readTextFile(`${ws.home}/.claude/skills/backlog-loop/SKILL.md`);
    assert.equal(claude, skills.find((s) => s.name === "backlog-loop")!.text);
    const cursor = await Deno.readTextFile(`${ws.home}/.cursor/rules/backlog.mdc`);
    const fm = frontmatter(cursor);
    assert.deepEqual(Object.keys(fm.meta), ["description", "globs", "alwaysApply"]);
    assert.equal(fm.meta.alwaysApply, "false");
    assert.ok(fm.meta.description.length <= 200);
    assert.equal(fm.body, skills[0].body);
    const codex = frontmatter(await Deno.readTextFile(`${ws.home}/.codex/skills/backlog-memory/SKILL.md`));
    assert.equal(codex.meta.name, "backlog-memory");
    assert.ok(await Deno.stat(`${ws.home}/.config/opencode/skills/backlog-goal/SKILL.md`));
    const again = await ws.run(["install-skill", "--skill", "backlog"]);
    assert.match(
      again.stdout,
      /skip ~\/\.claude\/skills\/backlog\/SKILL\.md \(already exists; --force to overwrite\)/,
    );
    assert.doesNotMatch(again.stdout, /backlog-loop/);
    const forced = await ws.json<{ targets: { files: { action: string }[] }[] }>([
      "install-skills",
      "--force",
      "--skill",
      "backlog",
    ]);
    assert.deepEqual(forced.targets.flatMap((t) => t.files.map((f) => f.action)), [
      "wrote",
      "wrote",
      "wrote",
      "wrote",
    ]);
    const unknown = await ws.run(["install-skills", "--skill", "nope,backlog"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown skill\(s\): \[nope\]/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("install-skills with no tool detected explains itself; --all --dry-run writes nothing", async () => {
  const ws = await workspace();
  try {
    const r = await ws.run(["install-skills"]);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^No supported AI coding tools detected\. Pass --all to install everywhere anyway\.\n/,
    );
    assert.match(r.stdout, / {2}Claude Code {2}~\/\.claude\n/);
    const dry = await ws.run(["install-skills", "--all", "--dry-run"]);
    assert.match(dry.stdout, /would write ~\/\.codex\/skills\/backlog\/SKILL\.md \(\d+ bytes\)/);
    await assert.rejects(Deno.stat(`${ws.home}/.codex`), Deno.errors.NotFound);
    const res = installSkills({ home: ws.home, all: true, dryRun: true, skills: ["backlog"] });
    assert.equal(res.targets.length, 4);
  } finally {
    await ws.cleanup();
  }
});
