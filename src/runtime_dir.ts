/**
 * This user's private runtime directory, where the background helpers (the PostgreSQL connection
 * keeper, the resident CLI process) keep their unix sockets, and the checks that make a socket there
 * trustworthy. Imports nothing: a one-shot command reads it before anything else loads.
 */

type Env = { get(key: string): string | undefined };

/** `<$XDG_RUNTIME_DIR or $TMPDIR or /tmp>/backlog-<uid>`, or `own` when given; absolute (not created). */
export function runtimeDir(env: Env, own?: string): string | undefined {
  const uid = Deno.uid();
  if (uid === null) return undefined;
  const dir = own || `${env.get("XDG_RUNTIME_DIR") || env.get("TMPDIR") || "/tmp"}/backlog-${uid}`;
  // A helper runs in another directory: a relative path would name another place there.
  return (dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`).replace(/\/+$/, "");
}

/**
 * Whether a path is a directory of this user's that no one else may enter, under directories no one
 * else can rename it in (each is this user's or root's, and writable by others only with the sticky
 * bit, as /tmp is).
 */
export function privateDir(dir: string): boolean {
  try {
    const me = Deno.uid();
    const st = Deno.lstatSync(dir);
    if (!st.isDirectory || st.uid !== me || st.mode === null || (st.mode & 0o077) !== 0) return false;
    for (let up = dir.slice(0, dir.lastIndexOf("/")); up; up = up.slice(0, up.lastIndexOf("/"))) {
      const p = Deno.statSync(up);
      if ((p.uid !== me && p.uid !== 0) || p.mode === null) return false;
      if ((p.mode & 0o022) !== 0 && (p.mode & 0o1000) === 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Makes the private directory when it is missing; whether it is private now. */
function ensurePrivateDir(dir: string): boolean {
  try {
    Deno.lstatSync(dir);
  } catch {
    try {
      Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch { /* raced, or not allowed: the check below decides */ }
  }
  return privateDir(dir);
}

/** A 64-bit FNV-style hash of key as 16 hex digits: a socket's name, not a secret. */
export function hashName(key: string): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  return hex(a) + hex(b);
}

/** Whether an environment switch is on: anything but off, 0 or false (unset is on). */
export function switchOn(value: string | undefined): boolean {
  const v = value?.toLowerCase();
  return v !== "off" && v !== "0" && v !== "false";
}

/**
 * Starts a background helper of this program — `deno run -A <main> <arg>`, or the compiled binary with
 * `arg` — in its own session without stdio, to serve `socket`; `env` is added to its environment. It
 * lives on after the command exits. Makes the private directory first; one start per socket per 10 s
 * at most, so where a helper cannot start commands do not pay for trying. Never throws.
 */
export function spawnHelper(socket: string, main: URL, arg: string, env: Record<string, string>): void {
  try {
    const dir = socket.slice(0, socket.lastIndexOf("/"));
    if (!ensurePrivateDir(dir)) return;
    const mark = `${socket}.started`;
    try {
      if (Date.now() - (Deno.statSync(mark).mtime?.getTime() ?? 0) < 10_000) return;
    } catch { /* never started */ }
    Deno.writeFileSync(mark, new Uint8Array());
    if (!Deno.build.standalone && main.protocol !== "file:") return;
    const args = Deno.build.standalone
      ? [arg]
      : ["run", "-A", "--quiet", decodeURIComponent(main.pathname), arg];
    const child = new Deno.Command(Deno.execPath(), {
      args,
      env,
      cwd: dir,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    child.unref();
  } catch { /* no helper: the next command does without it again */ }
}
