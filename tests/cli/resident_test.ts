// The resident process (src/cli/resident/): a command it runs prints, exits, reads stdin and writes
// as in its own process; a busy resident hands the command back; it stops when idle and when a file
// of the program changes. Real processes: `deno run -A main.ts` clients and a `__resident` server.
import assert from "node:assert/strict";
import { TEST_ENGINE } from "../helpers/app.ts";

const ROOT = new URL("../../", import.meta.url);
const dec = new TextDecoder();
const deno = Deno.execPath();

type Run = { code: number; stdout: string; stderr: string };

/** A temp HOME, database and private runtime directory for residents started from main. */
async function place(idleMs: number) {
  const home = await Deno.makeTempDir({ prefix: "backlog-resident-" });
  const env = {
    HOME: home,
    BACKLOG_DB: `${home}/backlog.db`,
    NO_COLOR: "1",
    BACKLOG_RESIDENT_DIR: `${home}/rt`,
    BACKLOG_RESIDENT_IDLE_MS: String(idleMs),
  };
  const spawn = (main: string, args: string[], mode: string, o: { cwd?: string; env?: object } = {}) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, ...args],
      env: { ...env, BACKLOG_RESIDENT: mode, ...o.env },
      cwd: o.cwd ?? home,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  const finish = async (child: Deno.ChildProcess, stdin = ""): Promise<Run> => {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
    const r = await child.output();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  };
  /** A shell line (for redirections and umask) in the same environment. */
  const sh = async (line: string, mode: string): Promise<Run> => {
    const r = await new Deno.Command("sh", {
      args: ["-c", line],
      env: { ...env, BACKLOG_RESIDENT: mode },
      cwd: home,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  };
  const socket = () => [...Deno.readDirSync(env.BACKLOG_RESIDENT_DIR)].find((e) => e.name.endsWith(".sock"));
  /** Waits (≤ 30 s) until a resident's socket is there (or, with gone, no longer there). */
  const until = async (there: boolean) => {
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      try {
        if (!!socket() === there) return;
      } catch { /* no directory yet */ }
    }
    assert.fail(`the resident's socket is ${there ? "still missing" : "still there"}`);
  };
  return { home, env, spawn, finish, sh, until };
}

Deno.test({
  name: "a command through the resident prints, exits, reads stdin and writes as in its own process",
  ignore: TEST_ENGINE === "postgres",
  async fn() {
    const p = await place(4000);
    const main = new URL("main.ts", ROOT).pathname;
    const run = (args: string[], mode: string, o: { cwd?: string; env?: object; stdin?: string } = {}) =>
      p.finish(p.spawn(main, args, mode, o), o.stdin);
    try {
      // None yet: the command runs in its own process and starts one.
      assert.equal((await run(["project", "add", "Demo", "--alias", "demo", "-q"], "on")).code, 0);
      await p.until(true);
      const add = await run(["task", "add", "-p", "demo", "-t", "first", "-q"], "require");
      assert.deepEqual(add, { code: 0, stdout: "TASK-1\n", stderr: "" });
      const same = async (args: string[]) => {
        const [a, b] = [await run(args, "require"), await run(args, "off")];
        assert.deepEqual(a, b, args.join(" "));
        return a;
      };
      assert.match((await same(["task", "list", "-p", "demo"])).stdout, /TASK-1 .* first/);
      assert.equal(JSON.parse((await same(["task", "show", "TASK-1", "--json"])).stdout).title, "first");
      assert.deepEqual(await same(["task", "show", "TASK-99"]), {
        code: 3,
        stdout: "",
        stderr: "error: task TASK-99 not found\n",
      });
      assert.equal((await same(["task", "list", "--bogus"])).code, 2);
      // Its stdin, environment and working directory are the command's.
      const fromStdin = await run(
        ["task", "add", "-p", "demo", "--from-file", "-", "-t", "piped", "--json"],
        "require",
        {
          stdin: "told on stdin",
          env: { BACKLOG_ACTOR: "ai:resident-test" },
        },
      );
      assert.equal(fromStdin.code, 0, fromStdin.stderr);
      const task = JSON.parse(fromStdin.stdout);
      assert.deepEqual([task.description, task.actor], ["told on stdin", {
        kind: "ai",
        name: "resident-test",
      }]);
      await Deno.mkdir(`${p.home}/sub`);
      const rel = await run(
        ["project", "add", "Other", "--alias", "other", "--db", "rel.db", "-q"],
        "require",
        {
          cwd: `${p.home}/sub`,
        },
      );
      assert.equal(rel.code, 0, rel.stderr);
      assert.ok((await Deno.stat(`${p.home}/sub/rel.db`)).isFile);
      // Busy (a command waits for its stdin): another command runs in its own process.
      const waiting = p.spawn(
        main,
        ["task", "add", "-p", "demo", "--from-file", "-", "-t", "slow", "-q"],
        "require",
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(await run(["task", "show", "TASK-1", "-q"], "require"), {
        code: 1,
        stdout: "",
        stderr: "error: no resident process took the command (BACKLOG_RESIDENT=require)\n",
      });
      assert.equal((await run(["task", "show", "TASK-1", "--json"], "on")).code, 0);
      assert.deepEqual(await p.finish(waiting, "late"), { code: 0, stdout: "TASK-3\n", stderr: "" });
      const notTaken = "error: no resident process took the command (BACKLOG_RESIDENT=require)\n";
      // A client killed while its command waits for stdin: nothing is written, the resident is free again.
      const killed = p.spawn(
        main,
        ["task", "add", "-p", "demo", "--from-file", "-", "-t", "killed"],
        "require",
      );
      await new Promise((r) => setTimeout(r, 300));
      killed.kill("SIGKILL");
      await killed.output().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
      assert.doesNotMatch((await run(["task", "list", "-p", "demo"], "require")).stdout, /killed/);
      // Output that cannot be written fails the command once; it is never run again in the client.
      const full = await p.sh(`${deno} run -A ${main} task add -p demo -t once -q >/dev/full`, "require");
      assert.equal(full.code, 1);
      const onces = JSON.parse(
        (await run(["task", "list", "-p", "demo", "--search", "once", "--json"], "off")).stdout,
      );
      assert.equal(onces.tasks.length, 1);
      const listFull = (mode: string) => p.sh(`${deno} run -A ${main} task list -p demo >/dev/full`, mode);
      assert.deepEqual(await listFull("require"), await listFull("off"));
      // A path naming the process's own streams would name the resident's: such a command is not taken.
      assert.deepEqual(await run(["export", "-p", "demo", "-o", "/dev/stdout"], "require"), {
        code: 1,
        stdout: "",
        stderr: notTaken,
      });
      // The command's umask is the resident's for the run.
      const masked = await p.sh(
        `umask 077; exec ${deno} run -A ${main} project add M --alias m --db m.db -q`,
        "require",
      );
      assert.equal(masked.code, 0, masked.stderr);
      assert.equal((await Deno.stat(`${p.home}/m.db`)).mode! & 0o777, 0o600);
      // Own-process commands behind a global flag, and a client with fewer permissions than -A, are not taken.
      assert.deepEqual(await run(["--db", p.env.BACKLOG_DB, "mcp", "--help"], "require"), {
        code: 1,
        stdout: "",
        stderr: notTaken,
      });
      const denied = await p.sh(
        `${deno} run -A --deny-write=/nonexistent ${main} task show TASK-1 -q`,
        "require",
      );
      assert.deepEqual([denied.code, denied.stderr], [1, notTaken]);
      // Idle for BACKLOG_RESIDENT_IDLE_MS: it removes its socket and exits.
      await p.until(false);
    } finally {
      await Deno.remove(p.home, { recursive: true });
    }
  },
});

Deno.test({
  name: "the resident stops as soon as a file of the program it runs changes",
  ignore: TEST_ENGINE === "postgres",
  async fn() {
    const p = await place(60_000);
    const copy = `${p.home}/program`;
    try {
      const files = dec.decode(
        (await new Deno.Command("git", {
          args: [
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "main.ts",
            "deno.json",
            "deno.lock",
            "src",
            "migrations",
          ],
          cwd: ROOT.pathname,
        }).output()).stdout,
      ).trim().split("\n");
      for (const f of files) {
        await Deno.mkdir(`${copy}/${f}`.replace(/\/[^/]*$/, ""), { recursive: true });
        await Deno.copyFile(new URL(f, ROOT), `${copy}/${f}`);
      }
      const r = await p.finish(p.spawn(`${copy}/main.ts`, ["version"], "on"));
      assert.equal(r.code, 0, r.stderr);
      await p.until(true);
      const served = await p.finish(p.spawn(`${copy}/main.ts`, ["version"], "require"));
      assert.equal(served.code, 0, served.stderr);
      await Deno.writeTextFile(`${copy}/src/version.ts`, "\n", { append: true });
      await p.until(false);
    } finally {
      await Deno.remove(p.home, { recursive: true });
    }
  },
});
