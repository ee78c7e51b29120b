import assert from "node:assert/strict";
import { lineColumn, locateJsonError, parseJsonText } from "../../src/services/interchange/json_text.ts";
import type { AppError } from "../../src/domain/errors.ts";

Deno.test("JSON syntax errors report line, column and what was found", () => {
  const cases: [string, number, number, RegExp][] = [
    ['{\n  "a": 1,\n  "b": }', 3, 8, /unexpected "}", expected a value/],
    ["[1, 2,]", 1, 7, /unexpected "]"/],
    ['{"a": 1', 1, 8, /unexpected end of input, expected ',' or '}'/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['{"a": "x\ny"}', 1, 9, /control character/],
    ['{"a": 1} x', 1, 10, /after the JSON value/],
    ["", 1, 1, /unexpected end of input/],
    ["{'a': 1}", 1, 2, /property name in double quotes/],
  ];
  for (const [text, line, column, re] of cases) {
    const e = assert.throws(() => parseJsonText(text, "f.json"), (err: AppError) => {
      assert.equal(err.code, "invalid");
      assert.ok(
        err.message.startsWith(`f.json: invalid JSON at line ${line}, column ${column}: `),
        `${text}: ${err.message}`,
      );
      assert.match(err.message, re);
      return true;
    });
    void e;
  }
});

Deno.test("valid JSON parses, a byte-order mark included", () => {
  assert.deepEqual(parseJsonText('\uFEFF{"a":[1,"x"]}', "f"), { a: [1, "x"] });
  assert.deepEqual(lineColumn("ab\ncd", 4), { line: 2, column: 2 });
  assert.equal(locateJsonError('{"a":1}').reason, "invalid JSON");
});
