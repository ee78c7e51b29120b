import { AppError } from "../../domain/errors.ts";
import { escapeControls } from "../../domain/text.ts";

/**
 * Parses JSON text. A syntax error becomes an `invalid` error naming the file, the line and the
 * column (1-based) and what was found there — V8's own messages often give neither.
 */
export function parseJsonText(text: string, what: string): unknown {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(src);
  } catch {
    const { offset, reason } = locateJsonError(src);
    const { line, column } = lineColumn(src, offset);
    throw new AppError(
      "invalid",
      `${escapeControls(what)}: invalid JSON at line ${line}, column ${column}: ${reason}`,
      {
        details: { line, column },
      },
    );
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) (line++, start = i + 1);
  }
  return { line, column: offset - start + 1 };
}

class JsonSyntax {
  constructor(readonly offset: number, readonly reason: string) {}
}

/** Finds the first syntax error of (invalid) JSON text with a small RFC 8259 scanner. */
export function locateJsonError(s: string): { offset: number; reason: string } {
  let i = 0;
  const found = () => i >= s.length ? "unexpected end of input" : `unexpected ${JSON.stringify(s[i])}`;
  const fail = (expected: string): never => {
    throw new JsonSyntax(i, `${found()}${expected ? `, expected ${expected}` : ""}`);
  };
  const ws = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === "\r")) i++;
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= s.length) throw new JsonSyntax(i, "unterminated string");
      const c = s.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 0x20) throw new JsonSyntax(i, "control character in string (escape it)");
      if (c === 92) {
        const e = s[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) throw new JsonSyntax(i, "invalid \\u escape");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new JsonSyntax(i, "invalid escape in string");
        i += 2;
        continue;
      }
      i++;
    }
  };
  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (depth: number): void => {
    if (depth > 512) throw new JsonSyntax(i, "nesting too deep");
    ws();
    const c = s[i];
    if (c === "{") {
      i++;
      ws();
      if (s[i] === "}") return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail("a property name in double quotes");
        str();
        ws();
        if (s[i] !== ":") fail("':'");
        i++;
        value(depth + 1);
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "}") return void i++;
        fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (s[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "]") return void i++;
        fail("',' or ']'");
      }
    }
    if (c === '"') return str();
    NUM.lastIndex = i;
    if (c === "-" || (c >= "0" && c <= "9")) {
      if (!NUM.test(s)) fail("a number");
      i = NUM.lastIndex;
      return;
    }
    for (const lit of ["true", "false", "null"]) {
      if (s.startsWith(lit, i)) return void (i += lit.length);
    }
    fail("a value");
  };
  try {
    value(0);
    ws();
    if (i < s.length) fail("end of input after the JSON value");
    return { offset: 0, reason: "invalid JSON" };
  } catch (err) {
    if (err instanceof JsonSyntax) return { offset: err.offset, reason: err.reason };
    return { offset: 0, reason: "invalid JSON" };
  }
}
