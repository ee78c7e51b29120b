/**
 * The resident process (see client.ts): listens on its unix socket and runs one command at a time,
 * as that command's own process would — in the command's working directory, with its environment
 * (the process's own is replaced for the command's run), its terminal, and its stdin when the
 * command reads it. A command that arrives while another runs is told "busy" and runs in its own
 * process. Exits after its idle time without a command, after MAX_COMMANDS commands, and as soon as
 * a file of the program changes (src/, main.ts, deno.json, deno.lock, migrations/): the next command
 * runs the new code in its own process and starts a new resident.
 */
import type { Io } from "../spec.ts";
import { residentIdleMs } from "./client.ts";
import { frame, frames, type Request, writeAll } from "./wire.ts";

/** A resident starts afresh after this many commands. */
const MAX_COMMANDS = 5000;

/** How long an accepted command waits for its client's go. */
const GO_MS = 5000;

const enc = new TextEncoder();

/** Runs the resident on $BACKLOG_RESIDENT_SOCKET for the program at main until it stops. */
export async function residentMain(main: URL): Promise<void> {
  const path = Deno.env.get("BACKLOG_RESIDENT_SOCKET");
  if (!path) throw new Error("__resident: $BACKLOG_RESIDENT_SOCKET is not set");
  try {
    (await Deno.connect({ transport: "unix", path })).close();
    return; // another resident answers there already
  } catch { /* none */ }
  try {
    Deno.removeSync(path); // a socket a resident that died left behind
  } catch { /* none */ }
  // Watching starts before the program's commands load: an edit from here on is seen.
  const watcher = watchProgram(main);
  const { runCli } = await import("../run.ts");
  const listener = Deno.listen({ transport: "unix", path });
  const ino = Deno.statSync(path).ino;
  const idleMs = residentIdleMs(Deno.env);
  let timer = setTimeout(stop, idleMs);
  let stopped = false;
  let running: Promise<void> | undefined;
  let served = 0;
  function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    listener.close();
    try {
      watcher?.close();
    } catch { /* closed */ }
    try {
      if (Deno.statSync(path!).ino === ino) Deno.removeSync(path!);
    } catch { /* gone */ }
  }
  Deno.addSignalListener("SIGTERM", stop);
  // A stray rejection in one command must not take the resident (and the commands after it) down.
  globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
  if (watcher) {
    void (async () => {
      for await (const ev of watcher) if (ev.kind !== "access") return stop();
    })().catch(stop);
  }
  for await (const conn of listener) {
    void (async () => {
      const it = frames(conn);
      const first = await it.next().catch(() => undefined);
      const req = first?.value?.kind === "r" ? parse(first.value.payload) : undefined;
      if (!req || running || stopped) {
        await writeAll(conn, frame("b")).catch(() => {});
        return conn.close();
      }
      clearTimeout(timer);
      running = serve(conn, it, req, runCli).finally(() => {
        running = undefined;
        if (++served >= MAX_COMMANDS) stop();
        else if (!stopped) timer = setTimeout(stop, idleMs);
      });
      await running;
    })().catch(() => {});
  }
  await running;
  Deno.exit(0);
}

/** Runs one command for the client on conn: takes on its directory and environment, relays its output. */
async function serve(
  conn: Deno.Conn,
  it: AsyncGenerator<{ kind: string; payload: Uint8Array }>,
  req: Request,
  runCli: typeof import("../run.ts").runCli,
) {
  try {
    if (!adopt(req)) return await writeAll(conn, frame("b"));
    await writeAll(conn, frame("a"));
    // Only on the client's go: one that gave up waiting for `a` runs the command itself.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const go = await Promise.race([
      it.next(),
      new Promise<undefined>((res) => timer = setTimeout(() => res(undefined), GO_MS)),
    ]).finally(() => clearTimeout(timer));
    if (go?.value?.kind !== "g") return;
    const gone = new AbortController();
    let stdin: { res(b: Uint8Array): void; rej(e: Error): void } | undefined;
    void (async () => {
      for await (const f of it) if (f.kind === "s") stdin?.res(f.payload);
    })().catch(() => {}).finally(() => {
      gone.abort(); // the client went away (Ctrl+C): a command waiting for its stdin stops there
      stdin?.rej(new Error("interrupted: the command's client went away"));
    });
    let out = Promise.resolve();
    let dead = false;
    const send = (kind: "o" | "e" | "i" | "x", b?: Uint8Array) => {
      out = out.then(() => dead ? undefined : writeAll(conn, frame(kind, b))).catch(() => void (dead = true));
    };
    const io: Io = {
      stdout: (s) => send("o", enc.encode(s)),
      stderr: (s) => send("e", enc.encode(s)),
      writeBytes: (b) => send("o", b.slice()),
      readStdin: () =>
        new Promise((res, rej) => {
          if (gone.signal.aborted) return rej(new Error("interrupted: the command's client went away"));
          stdin = { res, rej };
          send("i");
        }),
      env: { get: (k) => req.env[k] },
      cwd: req.cwd,
      isTTY: req.isTTY,
      signal: gone.signal,
    };
    const code = await runCli(req.argv, io);
    send("x", enc.encode(JSON.stringify(code)));
    await out;
  } finally {
    try {
      Deno.chdir("/"); // no command's directory stays held (a test's temp directory is removed)
    } catch { /* stays */ }
    conn.close();
  }
}

/** A request as sent (see wire.ts), or undefined. */
function parse(payload: Uint8Array): Request | undefined {
  try {
    const r = JSON.parse(new TextDecoder().decode(payload)) as Request;
    const ok = Array.isArray(r.argv) && typeof r.cwd === "string" && typeof r.env === "object" &&
      typeof r.umask === "number";
    return ok ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Takes on the command's working directory, environment and umask; false when its directory is gone. */
function adopt(req: Request): boolean {
  try {
    Deno.chdir(req.cwd);
    Deno.umask(req.umask);
    for (const k of Object.keys(Deno.env.toObject())) if (!(k in req.env)) Deno.env.delete(k);
    for (const [k, v] of Object.entries(req.env)) Deno.env.set(k, v);
    return true;
  } catch {
    return false;
  }
}

/** Watches the program's own files (a checkout run from source); none for a compiled binary. */
function watchProgram(main: URL): Deno.FsWatcher | undefined {
  if (Deno.build.standalone || main.protocol !== "file:") return undefined;
  const root = decodeURIComponent(new URL(".", main).pathname);
  const paths = ["src", "main.ts", "deno.json", "deno.lock", "migrations"].map((p) => root + p).filter(
    (p) => {
      try {
        return Deno.statSync(p), true;
      } catch {
        return false;
      }
    },
  );
  return Deno.watchFs(paths, { recursive: true });
}
