/**
 * The resident process's frames over its unix socket: a kind byte, a 4-byte big-endian length, the
 * payload. Client to resident: `r` the request (JSON), `s` the client's whole stdin. Resident to
 * client: `b` busy (run it yourself), `a` accepted (the command runs now), `o` / `e` stdout / stderr
 * bytes, `i` the command wants stdin, `x` the exit code (JSON). Imports nothing.
 */

export type Kind = "r" | "s" | "b" | "a" | "o" | "e" | "i" | "x";

/** What a client asks the resident to run: its argv, working directory, environment and terminal. */
export interface Request {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  isTTY: boolean;
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
  let len = 0;
  for (;;) {
    while (len >= 5) {
      const size = new DataView(buf.buffer, buf.byteOffset).getUint32(1);
      if (len < 5 + size) break;
      const kind = String.fromCharCode(buf[0]) as Kind;
      yield { kind, payload: buf.slice(5, 5 + size) };
      buf.copyWithin(0, 5 + size, len);
      len -= 5 + size;
    }
    if (len === buf.length || (len >= 5 && 5 + new DataView(buf.buffer).getUint32(1) > buf.length)) {
      const need = len >= 5 ? 5 + new DataView(buf.buffer).getUint32(1) : buf.length * 2;
      const bigger = new Uint8Array(Math.max(need, buf.length * 2));
      bigger.set(buf.subarray(0, len));
      buf = bigger;
    }
    const n = await conn.read(buf.subarray(len));
    if (n === null) return;
    len += n;
  }
}
