/**
 * Values to and from the wire client's text format, as PgStore's `pg` settings treat them
 * (connection.ts pgConfig): int8 and numeric as numbers, bytea as Uint8Array, json/jsonb parsed,
 * booleans, smaller integers and floats as numbers. Types Backlog's SQL never returns (dates, arrays,
 * geometric types) stay text.
 */

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
};
const NUMERIC = 1700, JSONB = 3802;

export function parseValue(oid: number, text: string): unknown {
  switch (oid) {
    case OID.int8:
    case NUMERIC:
    case OID.float4:
    case OID.float8:
      return Number(text);
    case OID.int2:
    case OID.int4:
    case OID.oid:
      return parseInt(text, 10);
    case OID.bool:
      return text === "t" || text === "true";
    case OID.json:
    case JSONB:
      return JSON.parse(text);
    case OID.bytea:
      return parseBytea(text);
    default:
      return text;
  }
}

/** bytea's hex output (`\x…`, the server default since 9.0) or the escape format. */
function parseBytea(text: string): Uint8Array {
  if (text.startsWith("\\x")) {
    const out = new Uint8Array((text.length - 2) / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 + i * 2, 2), 16);
    return out;
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") bytes.push(text.charCodeAt(i));
    else if (text[i + 1] === "\\") bytes.push(92), i++;
    else bytes.push(parseInt(text.substr(i + 1, 3), 8)), i += 3;
  }
  return Uint8Array.from(bytes);
}

/**
 * A parameter as `pg` sends it: null for null/undefined, bytes as binary, arrays as array literals,
 * other objects as JSON, everything else as its string.
 */
export function prepareValue(v: unknown): string | Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return arrayLiteral(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function arrayLiteral(a: unknown[]): string {
  const items = a.map((x) => {
    if (x === null || x === undefined) return "NULL";
    if (Array.isArray(x)) return arrayLiteral(x);
    const p = prepareValue(x);
    const s = p instanceof Uint8Array
      ? `\\\\x${[...p].map((b) => b.toString(16).padStart(2, "0")).join("")}`
      : p!;
    return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(",")}}`;
}
