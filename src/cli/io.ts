import type { Io } from "./spec.ts";

const enc = new TextEncoder();

/** The process's real stdin/stdout/stderr, environment and working directory. */
export function denoIo(): Io {
  let ac: AbortController | undefined;
  const controller = () => {
    if (!ac) {
      ac = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const) {
        try {
          Deno.addSignalListener(sig, () => ac!.abort());
        } catch { /* not supported on this platform */ }
      }
    }
    return ac;
  };
  // A closed stdout (`backlog watch | head`) ends long-running commands instead of being ignored.
  const onBrokenPipe = () => controller().abort();
  return {
    stdout: (s) => writeAll(Deno.stdout, enc.encode(s), onBrokenPipe),
    stderr: (s) => writeAll(Deno.stderr, enc.encode(s), () => {}),
    writeBytes: (b) => writeAll(Deno.stdout, b, onBrokenPipe),
    readStdin: async () => new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer()),
    env: { get: (k) => Deno.env.get(k) },
    cwd: Deno.cwd(),
    isTTY: Deno.stdout.isTerminal(),
    // Installed on first use only: plain commands keep the default Ctrl+C behaviour.
    get signal() {
      return controller().signal;
    },
  };
}

function writeAll(f: { writeSync(b: Uint8Array): number }, b: Uint8Array, onBrokenPipe: () => void) {
  let off = 0;
  while (off < b.length) {
    try {
      off += f.writeSync(b.subarray(off));
    } catch (err) {
      if (err instanceof Deno.errors.BrokenPipe) return onBrokenPipe();
      throw err;
    }
  }
}
