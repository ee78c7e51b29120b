import assert from "node:assert/strict";
import { escapeControls, nameProblem, unsafeChar } from "../../src/domain/text.ts";
import { requireName } from "../../src/domain/fields.ts";
import { parseActor } from "../../src/domain/actor.ts";
import { TaskInputSchema } from "../../src/domain/schemas.ts";
import { sanitizeFileName } from "../../src/domain/files.ts";
import { BAD_NAMES, GOOD_NAMES } from "../helpers/untrusted.ts";

Deno.test("names refuse control, bidi and zero-width characters; other scripts and emoji pass", () => {
  for (const [what, v] of BAD_NAMES) {
    assert.notEqual(unsafeChar(v), undefined, what);
    assert.throws(() => requireName(v, "title"), /title contains .* cannot hold control/, what);
    assert.equal(TaskInputSchema.safeParse({ title: v }).success, false, what);
  }
  for (const v of GOOD_NAMES) {
    assert.equal(nameProblem(v, "title"), undefined, v);
    assert.equal(requireName(v, "title"), v);
    assert.equal(TaskInputSchema.safeParse({ title: v }).success, true, v);
  }
  // Surrounding whitespace is trimmed before the check: `-t "$(cat title.txt)"` keeps working.
  assert.equal(requireName("  title\n", "title"), "title");
});

Deno.test("escapeControls writes every unsafe character visibly and keeps newlines only in bodies", () => {
  assert.equal(escapeControls("red \x1b[31mX"), "red \\x1b[31mX");
  assert.equal(escapeControls("a\u202eb\u200bc\ufeff"), "a\\u202eb\\u200bc\\ufeff");
  assert.equal(escapeControls("a\u0085b\x7f"), "a\\x85b\\x7f");
  assert.equal(escapeControls("one\ntwo\tx"), "one\\ntwo\\tx");
  assert.equal(escapeControls("one\r\ntwo\tx\x1b[2J", { multiline: true }), "one\ntwo\tx\\x1b[2J");
  assert.equal(escapeControls("a\rb", { multiline: true }), "a\\rb");
  for (const g of GOOD_NAMES) assert.equal(escapeControls(g), g);
  // Escaping is idempotent: what it writes holds nothing to escape.
  for (const [, v] of BAD_NAMES) assert.equal(unsafeChar(escapeControls(v)), undefined);
});

Deno.test("actor names are one word without whitespace or control characters", () => {
  assert.deepEqual(parseActor("human:alice-bob"), { kind: "human", name: "alice-bob" });
  assert.deepEqual(parseActor("ai:claude.code_2"), { kind: "ai", name: "claude.code_2" });
  assert.throws(() => parseActor("human:alice bob"), /--as: actor name "alice bob" contains a space/);
  assert.throws(() => parseActor("ai:a\tb", "$BACKLOG_ACTOR"), /\$BACKLOG_ACTOR: .* contains \\t/);
  assert.throws(() => parseActor("ai:a\u00a0b"), /contains \\u00a0/);
  assert.throws(() => parseActor("ai:x\x1b[31m"), /contains \\x1b/);
  assert.throws(() => parseActor("ai:x\u202e"), /contains \\u202e/);
});

Deno.test("attachment file names from disk lose control, bidi and zero-width characters", () => {
  assert.equal(sanitizeFileName("report\u202etxt.exe"), "report_txt.exe");
  assert.equal(sanitizeFileName("a\u200bb\x1b.md"), "a_b_.md");
  assert.equal(sanitizeFileName("中文.md"), "中文.md");
});
