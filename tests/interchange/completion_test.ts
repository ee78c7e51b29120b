import assert from "node:assert/strict";
import { loadRoot } from "../../src/cli/registry.ts";

const ROOT = await loadRoot();
import { walk } from "../../src/cli/commands/completion.ts";
import { workspace } from "../helpers/cli.ts";

async function bash(script: string, line: string): Promise<string[]> {
  const words = line.split(" ");
  const prog = `${script}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})
COMP_CWORD=${words.length - 1}
_backlog
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", { args: ["-c", prog], stdout: "piped", stderr: "piped" })
    .output();
  assert.equal(new TextDecoder().decode(out.stderr), "");
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
}

Deno.test("completion scripts cover every command of the table", async () => {
  const ws = await workspace();
  try {
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = await ws.run(["completion", shell], { env: { BACKLOG_DB: "" } });
      assert.equal(r.code, 0, r.stderr);
      for (const n of walk(ROOT)) {
        for (const s of n.subs) assert.ok(r.stdout.includes(s.name), `${shell}: ${s.name}`);
      }
    }
    const bad = await ws.run(["completion", "tcsh"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unsupported shell "tcsh" \(use bash, zsh or fish\)/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("the bash script completes commands, aliases, flags and flag values", async () => {
  const ws = await workspace();
  try {
    const script = (await ws.run(["completion", "bash"])).stdout;
    const syntax = await new Deno.Command("bash", { args: ["-n", "-c", script] }).output();
    assert.equal(syntax.code, 0, "bash -n");
    assert.deepEqual(await bash(script, "backlog ta"), ["task"]);
    assert.ok((await bash(script, "backlog t ")).includes("claim"), "alias t → task");
    assert.deepEqual(await bash(script, "backlog task dep "), ["add", "rm", "remove", "list", "ls"]);
    assert.ok((await bash(script, "backlog --db x.db task next --")).includes("--claim"));
    assert.deepEqual(await bash(script, "backlog export --format "), ["json", "csv", "md"]);
    assert.deepEqual(await bash(script, "backlog task list -p api --status d"), ["doing", "done"]);
    assert.ok((await bash(script, "backlog import-findings --")).includes("--allow-partial"));
  } finally {
    await ws.cleanup();
  }
});

Deno.test("zsh and fish scripts parse when the shells are installed", async () => {
  const ws = await workspace();
  try {
    for (const [shell, args] of [["zsh", ["-n"]], ["fish", ["--no-execute"]]] as const) {
      const script = (await ws.run(["completion", shell])).stdout;
      const file = `${ws.home}/completion.${shell}`;
      await Deno.writeTextFile(file, script);
      try {
        const out = await new Deno.Command(shell, { args: [...args, file], stderr: "piped" }).output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
        const probe = shell === "zsh"
          ? `autoload -U compinit; compinit -u; source ${file}; _backlog_walk t dep; _backlog_subdescs "task dep"`
          : `source ${file}; complete -C "backlog t dep "`;
        const run = await new Deno.Command(shell, { args: ["-c", probe], stdout: "piped", stderr: "piped" })
          .output();
        const lines = new TextDecoder().decode(run.stdout).split("\n");
        assert.ok(
          lines.some((l) => /^add[:\t]Record that a task waits/.test(l)),
          `${shell}: ${lines.join("|")}`,
        );
        if (shell === "zsh") assert.equal(lines[0], "task dep");
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err; // shell not installed here
      }
    }
  } finally {
    await ws.cleanup();
  }
});
