/**
 * The resident process's frames over its unix socket: a kind byte, a 4-byte big-endian length, the
 * payload. Client to resident: `r` the request (JSON), `g` go (after `a`), `s` the client's whole
 * stdin. Resident to client: `b` busy (run it yourself), `a` accepted (it runs the command on `g`), `o` / `e` stdout / stderr
 * bytes, `i` the command wants stdin, `x` the exit code (JSON). Imports nothing.
 */

export type Kind = "r" | "g" | "s" | "b" | "a" | "o" | "e" | "i" | "x";

/** What a client asks the resident to run: its argv, working directory, environment and terminal. */
export interface Request {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  isTTY: boolean;
  /** The file-mode mask new files get. */
  umask: number;
}

export function frame(kind: Kind, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  out[0] = kind.charCodeAt(0);
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, 5);
  return out;
}

/** Writes all of b (a socket's write may take part of it). */
export async function writeAll(conn: Deno.Conn, b: Uint8Array): Promise<void> {
  for (let off = 0; off < b.length;) off += await conn.write(b.subarray(off));
}

/** The frames a connection sends, in order, until it closes (a cut-off frame ends them too). */
export async function* frames(conn: Deno.Conn): AsyncGenerator<{ kind: Kind; payload: Uint8Array }> {
  let buf = new Uint8Array(64 * 1024);
  let start = 0; // the first byte not yet yielded
  let end = 0; // the first byte not yet read
  const size = () => new DataView(buf.buffer, buf.byteOffset + start + 1, 4).getUint32(0);
  for (;;) {
    while (end - start >= 5 && end - start >= 5 + size()) {
      const n = size();
      yield { kind: String.fromCharCode(buf[start]) as Kind, payload: buf.slice(start + 5, start + 5 + n) };
      start += 5 + n;
    }
    // Room for the next read: move what is left to the front, and grow for a frame that needs it.
    const need = end - start >= 5 ? 5 + size() : 5;
    if (buf.length - start < Math.max(need, 4096)) {
      const next = need > buf.length ? new Uint8Array(Math.max(need, buf.length * 2)) : buf;
      next.set(buf.subarray(start, end));
      buf = next;
      end -= start;
      start = 0;
    }
    const got = await conn.read(buf.subarray(end));
    if (got === null) return;
    end += got;
  }
}
