/** The wire protocol's framing for wire.ts: building messages and reading their fields. */

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Message builder: a type byte, the length, the body. */
export class Out {
  #parts: Uint8Array[] = [];
  #n = 0;
  bytes(b: Uint8Array): this {
    this.#parts.push(b);
    this.#n += b.length;
    return this;
  }
  str(s: string): this {
    return this.bytes(enc.encode(s + "\0"));
  }
  i32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v);
    return this.bytes(b);
  }
  i16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setInt16(0, v);
    return this.bytes(b);
  }
  /** The message: `type` (or none for the startup packet) + int32 length + body. */
  msg(type?: string): Uint8Array {
    const head = type ? 5 : 4;
    const out = new Uint8Array(head + this.#n);
    if (type) out[0] = type.charCodeAt(0);
    new DataView(out.buffer).setInt32(type ? 1 : 0, this.#n + 4);
    let i = head;
    for (const p of this.#parts) out.set(p, i), i += p.length;
    return out;
  }
}

export const concat = (list: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(list.reduce((n, b) => n + b.length, 0));
  let i = 0;
  for (const b of list) out.set(b, i), i += b.length;
  return out;
};

/** Reads a message body: NUL-terminated strings and big-endian integers from a position. */
export class In {
  pos = 0;
  #view: DataView;
  constructor(readonly b: Uint8Array) {
    this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  i32(): number {
    return (this.pos += 4, this.#view.getInt32(this.pos - 4));
  }
  i16(): number {
    return (this.pos += 2, this.#view.getInt16(this.pos - 2));
  }
  str(): string {
    const end = this.b.indexOf(0, this.pos);
    const s = dec.decode(this.b.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
  rest(): Uint8Array {
    return this.b.subarray(this.pos);
  }
}
