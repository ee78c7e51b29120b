import type { Io } from "./spec.ts";

const enc = new TextEncoder();

/** The process's real stdin/stdout/stderr, environment and working directory. */
export function denoIo(): Io {
  let ac: AbortController | undefined;
  return {
    stdout: (s) => writeAll(Deno.stdout, enc.encode(s)),
    stderr: (s) => writeAll(Deno.stderr, enc.encode(s)),
    writeBytes: (b) => writeAll(Deno.stdout, b),
    readStdin: async () => new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer()),
    env: { get: (k) => Deno.env.get(k) },
    cwd: Deno.cwd(),
    isTTY: Deno.stdout.isTerminal(),
    // Installed on first use only: plain commands keep the default Ctrl+C behaviour.
    get signal() {
      if (!ac) {
        ac = new AbortController();
        for (const sig of ["SIGINT", "SIGTERM"] as const) {
          try {
            Deno.addSignalListener(sig, () => ac!.abort());
          } catch { /* not supported on this platform */ }
        }
      }
      return ac.signal;
    },
  };
}

function writeAll(f: { writeSync(b: Uint8Array): number }, b: Uint8Array) {
  let off = 0;
  while (off < b.length) {
    try {
      off += f.writeSync(b.subarray(off));
    } catch (err) {
      if (err instanceof Deno.errors.BrokenPipe) return;
      throw err;
    }
  }
}
