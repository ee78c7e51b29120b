/**
 * The resident process, client side. A one-shot command spends most of its time loading and
 * compiling our code, not doing its work (a `task list` at 10,000 tasks: ~45 ms in its own process,
 * ~3 ms once loaded). So a command first asks this user's resident process for this program — a
 * `backlog __resident` started in the background by an earlier command — to run it, and relays its
 * output and exit code; the resident runs one command at a time, with the command's arguments,
 * working directory, environment, umask and terminal, exactly as the command's own process would. When
 * there is none, it is busy, or anything on the way fails before the command started, the command
 * runs in its own process as always (and, when there was none, starts one for next time).
 *
 * Like ssh's ControlPersist or the PostgreSQL keeper (src/db/pg/keeper.ts): the socket lives in this
 * user's private runtime directory; the resident exits after BACKLOG_RESIDENT_IDLE_MS (default 5
 * minutes) without a command, and as soon as a file of the program it runs changes.
 * `BACKLOG_RESIDENT=off` turns it off. Long-running commands (web, mcp, watch) never use it. Imports
 * only what it needs: it runs before anything else loads.
 */
import { hashName, privateDir, runtimeDir, spawnHelper, switchOn } from "../../runtime_dir.ts";
import { frame, frames, type Request, writeAll } from "./wire.ts";

type Env = { get(key: string): string | undefined; toObject(): Record<string, string> };

/** The hidden argument that runs the resident process (main.ts). */
export const RESIDENT_ARG = "__resident";

/** Bumped when the frames change, so a command never talks to an older resident. */
const RESIDENT_VERSION = 1;

/** How long a command waits for the resident to take it before running it itself. */
const ANSWER_MS = 2000;

/** Commands that keep running or own the terminal, and the background helpers: always their own process. */
const OWN_PROCESS = new Set(["web", "mcp", "watch", RESIDENT_ARG, "__pg-keeper"]);

/** Permissions the resident runs with (-A): a command started with fewer runs in its own process. */
const PERMISSIONS = ["read", "write", "net", "env", "run", "sys", "ffi"] as const;

export function residentEnabled(env: Pick<Env, "get">): boolean {
  return Deno.build.os !== "windows" && switchOn(env.get("BACKLOG_RESIDENT"));
}

/** How long a resident waits for the next command before it exits. */
export function residentIdleMs(env: Pick<Env, "get">): number {
  const v = Number(env.get("BACKLOG_RESIDENT_IDLE_MS"));
  return Number.isFinite(v) && v > 0 ? v : 300_000;
}

/**
 * The resident's socket for this program (main.ts, or the compiled binary) run by this Deno:
 * `<runtime dir>/cli-<hash>.sock`, or `$BACKLOG_RESIDENT_DIR/…`; undefined when the path is too long.
 */
export function residentSocket(main: URL, env: Pick<Env, "get">): string | undefined {
  const dir = runtimeDir(env, env.get("BACKLOG_RESIDENT_DIR"));
  let key = `${RESIDENT_VERSION}\n${Deno.execPath()}\n${Deno.version.deno}\n${main.href}`;
  if (Deno.build.standalone) {
    // A compiled binary has no files to watch: an upgrade in place is a new binary, a new resident.
    const st = Deno.statSync(Deno.execPath());
    key += `\n${st.mtime?.getTime()}\n${st.ino}\n${st.size}`;
  }
  const path = dir && `${dir}/cli-${hashName(key)}.sock`;
  return path && path.length <= 100 ? path : undefined; // a unix socket's path has room for 107 bytes
}

/** What became of a command offered to the resident: its exit code, or run it here (and start one?). */
export type Offer = { code: number } | { code?: undefined; start: boolean };

/**
 * Offers the command to the resident process; see the module's comment. With
 * `BACKLOG_RESIDENT=require` a command the resident did not take fails (exit 1) instead of running
 * here: a check that commands reach it.
 */
export async function viaResident(argv: string[], main: URL, env: Env = Deno.env): Promise<Offer> {
  const offer = await offerTo(argv, main, env);
  if (offer.code !== undefined || env.get("BACKLOG_RESIDENT")?.toLowerCase() !== "require") return offer;
  if (offer.start) startResident(main, env);
  writeOut(
    Deno.stderr,
    new TextEncoder().encode("error: no resident process took the command (BACKLOG_RESIDENT=require)\n"),
  );
  return { code: 1 };
}

async function offerTo(argv: string[], main: URL, env: Env): Promise<Offer> {
  if (!residentEnabled(env) || argv.some(ownProcess) || !allPermissions()) return { start: false };
  const path = residentSocket(main, env);
  if (!path) return { start: false };
  if (!privateDir(path.slice(0, path.lastIndexOf("/")))) return { start: true };
  let conn: Deno.Conn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch {
    return { start: true }; // none, or a socket a resident that died left behind
  }
  const state = { started: false };
  try {
    const req = {
      argv,
      cwd: Deno.cwd(),
      env: env.toObject(),
      isTTY: Deno.stdout.isTerminal(),
      umask: Deno.umask(),
    };
    return await converse(conn, req, state);
  } catch (err) {
    if (!state.started) return { start: false };
    // It runs the command already: running it again here could do it twice.
    writeOut(
      Deno.stderr,
      new TextEncoder().encode(`error: lost the resident process: ${(err as Error).message}\n`),
    );
    return { code: 1 };
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/**
 * The request, the resident's answer within ANSWER_MS, then `g` (go): the resident runs nothing a
 * client that gave up waiting (and runs the command itself) did not confirm.
 */
async function converse(conn: Deno.Conn, req: Request, state: { started: boolean }): Promise<Offer> {
  await writeAll(conn, frame("r", new TextEncoder().encode(JSON.stringify(req))));
  const it = frames(conn);
  // Not setTimeout: its first call loads Deno's Node-compatible timers, ~5 ms of a ~25 ms command.
  const late = AbortSignal.timeout(ANSWER_MS);
  const answer = await Promise.race([
    it.next(),
    new Promise<"late">((res) => late.addEventListener("abort", () => res("late"))),
  ]);
  if (answer === "late" || answer.done || answer.value.kind !== "a") return { start: false };
  state.started = true;
  await writeAll(conn, frame("g"));
  let stdoutOpen = true;
  for await (const { kind, payload } of it) {
    if (kind === "x") return { code: JSON.parse(new TextDecoder().decode(payload)) };
    if (kind === "i") {
      await writeAll(conn, frame("s", new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer())));
      continue;
    }
    try {
      if (kind === "o" && stdoutOpen) stdoutOpen = writeOut(Deno.stdout, payload);
      else if (kind === "e") writeOut(Deno.stderr, payload);
    } catch (err) {
      // As in its own process (`backlog task list >/dev/full`): the write's error, exit 1.
      writeOut(Deno.stderr, new TextEncoder().encode(`error: ${(err as Error).message}\n`));
      return { code: 1 };
    }
  }
  writeOut(
    Deno.stderr,
    new TextEncoder().encode("error: the resident process stopped before the command finished\n"),
  );
  return { code: 1 };
}

/** Writes all of b; false once the reader has gone (`backlog task list | head`): the rest is dropped. */
function writeOut(f: { writeSync(b: Uint8Array): number }, b: Uint8Array): boolean {
  try {
    for (let off = 0; off < b.length;) off += f.writeSync(b.subarray(off));
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.BrokenPipe) return false;
    throw err;
  }
}

/**
 * Whether an argument keeps the command in its own process: a word naming web, mcp or watch anywhere
 * (`backlog --db x mcp serve`; a title "web" only costs the start-up), or a path to the process's own
 * streams — /dev/stdout, /dev/fd/63 from `>(…)`, anything under /dev or /proc, or a link there — which
 * in the resident would name the resident's.
 */
function ownProcess(arg: string): boolean {
  if (OWN_PROCESS.has(arg)) return true;
  const path = arg.startsWith("--") ? arg.slice(arg.indexOf("=") + 1) : arg;
  if (/(^|\/)(dev|proc)\//.test(path)) return true;
  try {
    return /(^|\/)(dev|proc)\//.test(Deno.readLinkSync(path));
  } catch {
    return false; // not a link
  }
}

function allPermissions(): boolean {
  try {
    return PERMISSIONS.every((name) => {
      const p = Deno.permissions.querySync({ name });
      return p.state === "granted" && !p.partial; // -A with a --deny-… is partial
    });
  } catch {
    return false;
  }
}

/** Starts a resident for this program in the background (see spawnHelper). Never fails the command. */
export function startResident(main: URL, env: Env = Deno.env): void {
  const socket = residentSocket(main, env);
  if (socket) spawnHelper(socket, main, RESIDENT_ARG, { BACKLOG_RESIDENT_SOCKET: socket });
}
