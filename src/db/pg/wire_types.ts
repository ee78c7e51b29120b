/**
 * Values to and from the wire client's text format, as PgStore's `pg` settings treat them
 * (connection.ts pgConfig): int8 and numeric as numbers, bytea as Uint8Array, json/jsonb parsed,
 * booleans, smaller integers and floats as numbers, arrays of those as `pg`'s parsers give them. Types
 * Backlog's SQL never returns (dates, intervals, geometric types) stay text.
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
  }
  const element = ARRAYS.get(oid);
  return element ? parseArray(text, element) : text;
}

const asString = (x: string) => x;
const asInt = (x: string) => parseInt(x, 10);
/** Array types and how `pg` reads their elements (int8[] stays strings there, as here). */
const ARRAYS = new Map<number, (x: string) => unknown>([
  ...[1008, 1009, 1014, 1015, 1016, 1040, 1041, 651, 2951, 791, 1183, 1270, 3907].map((o) =>
    [o, asString] as const
  ),
  ...[1005, 1007, 1028].map((o) => [o, asInt] as const),
  ...[1021, 1022, 1231].map((o) => [o, parseFloat] as const),
  [1000, (x: string) => x === "t" || x === "true"],
  [199, (x: string) => JSON.parse(x)],
  [3807, (x: string) => JSON.parse(x)],
  [1001, parseBytea],
]);

/** An array literal (`{a,"b c",NULL,{1,2}}`, optionally after `[1:2]=`): nested arrays, NULL as null. */
export function parseArray(text: string, element: (x: string) => unknown): unknown[] {
  let i = text[0] === "[" ? text.indexOf("=") + 1 : 0;
  const level = (): unknown[] => {
    const out: unknown[] = [];
    i++; // the opening brace
    while (i < text.length) {
      const c = text[i];
      if (c === "}") return i++, out;
      if (c === ",") i++;
      else if (c === "{") out.push(level());
      else if (c === '"') {
        let v = "";
        for (i++; text[i] !== '"'; i++) v += text[i] === "\\" ? text[++i] : text[i];
        i++;
        out.push(element(v));
      } else {
        let j = i;
        while (text[j] !== "," && text[j] !== "}") j++;
        const v = text.slice(i, j);
        i = j;
        out.push(v === "NULL" ? null : element(v));
      }
    }
    return out;
  };
  return level();
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
