import assert from "node:assert/strict";
import { runCli } from "../../src/cli/run.ts";
import type { Io } from "../../src/cli/spec.ts";
import { freshDb, TEST_ENGINE } from "./app.ts";
import { serverDir } from "../../src/config/workspace.ts";

/** freshDb() on PostgreSQL, whichever engine the run defaults to. */
async function freshPgDatabase() {
  if (TEST_ENGINE === "postgres") return await freshDb();
  const { freshPgDatabase } = await import("./pg.ts");
  return await freshPgDatabase();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Uint8Array;
}

/** Runs the CLI in-process against an isolated HOME/env; returns the exit code and captured output. */
export async function cli(
  argv: string[],
  opts: { env?: Record<string, string>; stdin?: string | Uint8Array; cwd?: string; tty?: boolean } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const chunks: Uint8Array[] = [];
  const env = { USER: "tester", ...opts.env };
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    writeBytes: (b) => void chunks.push(b),
    readStdin: () =>
      Promise.resolve(
        typeof opts.stdin === "string"
          ? new TextEncoder().encode(opts.stdin)
          : opts.stdin ?? new Uint8Array(),
      ),
    env: { get: (k) => env[k as keyof typeof env] },
    cwd: opts.cwd ?? Deno.cwd(),
    isTTY: opts.tty ?? false,
  };
  const code = await runCli(argv, io);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) (bytes.set(c, off), off += c.length);
  return { code, stdout, stderr, bytes };
}

/**
 * A database other processes can open too: `<dir>/backlog.db` on SQLite, a fresh PostgreSQL database
 * (freshDb) under BACKLOG_TEST_ENGINE=postgres; drop() removes the latter.
 */
export async function sharedDb(dir: string): Promise<{ path: string; drop(): Promise<void> }> {
  if (TEST_ENGINE === "postgres") return await freshDb();
  return { path: `${dir}/backlog.db`, drop: () => Promise.resolve() };
}

/**
 * A temp workspace: HOME and a database; `run` calls the CLI against it. The database is
 * `<home>/backlog.db` on SQLite, or (engine postgres, the default under BACKLOG_TEST_ENGINE=postgres)
 * a fresh PostgreSQL database from freshDb(), given as `$BACKLOG_DB` and dropped by cleanup().
 */
export async function workspace(opts: { engine?: "sqlite" | "postgres" } = {}) {
  const engine = opts.engine ?? TEST_ENGINE;
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  const pg = engine === "postgres" ? await freshPgDatabase() : undefined;
  const db = pg?.path ?? `${home}/backlog.db`;
  const env = { HOME: home, BACKLOG_DB: db };
  return {
    home,
    db,
    /** The workspace's local files (config.toml, backlog.json, backups): home, or ~/.backlog/servers/…. */
    dir: pg ? serverDir(db, { get: (k) => (env as Record<string, string>)[k] }) : home,
    env,
    run: (
      argv: string[],
      o: { stdin?: string | Uint8Array; env?: Record<string, string>; tty?: boolean } = {},
    ) => cli(argv, { env: { ...env, ...o.env }, stdin: o.stdin, cwd: home, tty: o.tty }),
    /** Runs and parses --json stdout; throws with stderr on a non-zero exit. */
    async json<T = Record<string, unknown>>(argv: string[]): Promise<T> {
      const r = await cli([...argv, "--json"], { env, cwd: home });
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    engine,
    cleanup: async () => {
      await Deno.remove(home, { recursive: true });
      await pg?.drop();
    },
  };
}

const ROOT = new URL("../../", import.meta.url).pathname;
let denoDir: string | undefined;

/** Deno's cache dir, passed to child processes so an isolated HOME does not re-download packages. */
export async function cacheDir(): Promise<string> {
  if (denoDir) return denoDir;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return denoDir = JSON.parse(new TextDecoder().decode(out.stdout)).denoDir as string;
}

/** Spawns `deno run -A main.ts …` as a real process (end-to-end tests). */
export async function spawnCli(
  argv: string[],
  env: Record<string, string>,
  opts: { stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}main.ts`, ...argv],
    env: { DENO_DIR: await cacheDir(), NO_COLOR: "1", ...env },
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: env.HOME ?? ROOT,
  });
  const child = cmd.spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

export const mainPath = `${ROOT}main.ts`;

/**
 * Runs one-shot commands (project add, task add/show/list, a search) as real processes on `db` (a
 * file path or a server URL) with Deno's timers made to throw, and checks each succeeds: their first
 * call costs ~5 ms, which no one-shot command may pay (the connect timeout, the pool's idle timer, a
 * store's checkpoint timer would all load them).
 */
export async function oneShotWithoutTimers(db: (home: string) => string): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "backlog-test-" });
  try {
    const preload = `${home}/no_timers.ts`;
    await Deno.writeTextFile(
      preload,
      `for (const f of ["setTimeout", "clearTimeout", "setInterval"]) {
        (globalThis as Record<string, unknown>)[f] = () => { throw new Error(f + " was called"); };
      }\n`,
    );
    const env = { DENO_DIR: await cacheDir(), HOME: home, BACKLOG_DB: db(home), NO_COLOR: "1" };
    const run = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `--preload=${preload}`, mainPath, ...args],
        env,
        cwd: home,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, `${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
      return new TextDecoder().decode(out.stdout);
    };
    await run("project", "add", "API", "--alias", "api"); // creates or migrates the database first
    await run("task", "add", "-p", "api", "-t", "one");
    assert.match(await run("task", "show", "TASK-1"), /one/);
    assert.match(await run("task", "list", "-p", "api"), /TASK-1/);
    assert.match(await run("task", "list", "-p", "api", "--search", "one"), /TASK-1/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}
