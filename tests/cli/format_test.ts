import assert from "node:assert/strict";
import { escapeControls, preview, table, terminalText, truncate, width } from "../../src/cli/format.ts";
import { escapeControls as escapeAll } from "../../src/domain/text.ts";
import { taskTable } from "../../src/cli/views.ts";
import type { Io } from "../../src/cli/spec.ts";
import type { Task } from "../../src/domain/models.ts";

Deno.test("display width counts wide CJK and emoji as two columns and combining marks as none", () => {
  assert.equal(width("plain"), 5);
  assert.equal(width("中文标题"), 8);
  assert.equal(width("ｆｕｌｌ"), 8);
  assert.equal(width("한국어"), 6);
  assert.equal(width("👩‍💻"), 2);
  assert.equal(width("🎉"), 2);
  assert.equal(width("🇫🇷"), 2);
  assert.equal(width("❤️"), 2);
  assert.equal(width("e\u0301tude"), 5);
  assert.equal(width("café"), 4);
});

Deno.test("truncate cuts on grapheme boundaries with an ellipsis, never inside an escape", () => {
  assert.equal(truncate("short", 10), "short");
  assert.equal(truncate("中文标题中文标题", 7), "中文标…");
  assert.equal(truncate("ab👩‍💻cd", 4), "ab…");
  assert.equal(truncate("ab👩‍💻cd", 5), "ab👩‍💻…");
  assert.equal(truncate("e\u0301e\u0301e\u0301e\u0301", 3), "e\u0301e\u0301…");
  assert.equal(truncate("ab\x1bcdefgh", 5), "ab…");
  assert.equal(truncate("ab\x1bcdefgh", 8), "ab\\x1bc…");
  assert.equal(truncate("two\nlines", 20), "two\\nlines");
  assert.equal(preview("body\nwith\n\nlines", 20), "body with lines");
  for (const s of ["中文标题中文标题中文", "👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻", "e\u0301".repeat(20)]) {
    for (let n = 2; n < 12; n++) assert.ok(width(truncate(s, n)) <= n, `${s} in ${n}`);
  }
});

Deno.test("table columns line up whatever the script, and colour is applied after padding", () => {
  const out = table(["id", "title", "x"], [
    ["1", "中文标题", "a"],
    ["2", "👩‍💻 dev", "b"],
    ["3", "e\u0301tude", "c"],
    ["4", { text: "red", paint: (s) => `<${s}>` }, "d"],
  ]).split("\n");
  assert.deepEqual(out, [
    "ID │ TITLE    │ X",
    "───┼──────────┼──",
    "1  │ 中文标题 │ a",
    "2  │ 👩‍💻 dev   │ b",
    "3  │ e\u0301tude    │ c",
    "4  │ <red>      │ d",
  ]);
});

Deno.test("on a colour terminal only our own colour codes reach it: a stored title's escapes are shown", () => {
  const io = {
    isTTY: true,
    env: { get: (_: string) => undefined },
  } as unknown as Io;
  const task = {
    ref: "TASK-1",
    priority: 1,
    type: "bug",
    status: "doing",
    title: "x\x1b[31my\x1b]0;t\x07",
    labels: [],
    actor: { kind: "human", name: "a" },
  } as unknown as Task;
  const out = terminalText(taskTable([task], io), io);
  assert.ok(out.includes("\x1b[31mP1\x1b[0m"));
  assert.match(out, /x\\x1b\[31my\\x1b\]0;t\\x07/);
  assert.equal(terminalText("body \x1b[2J\u202e\nnext", io), "body \\x1b[2J\\u202e\nnext");
  // Without colours the guard escapes even colour codes.
  const plain = { ...io, isTTY: false } as Io;
  assert.equal(terminalText("a\x1b[31mb", plain), "a\\x1b[31mb");
});

Deno.test("the CLI's escapeControls skips plain text only: every other string is escaped as domain/text.ts does", () => {
  const samples = [
    "plain ascii ~!@#",
    "café ĳ ǅ",
    "│ ─┼─ … ✓",
    "line\nbreak\ttab",
    "crlf\r\nend",
    "esc\x1b[31mred",
    "del\x7f c1\x85 nbsp\u00a0",
    "bidi\u202e lrm\u200e zw\u200b bom\ufeff ls\u2028",
    "joiner 👩\u200d💻 alone\u200d",
    "lone \ud800 surrogate",
    "emoji 🎉 中文",
  ];
  for (const s of samples) {
    assert.equal(escapeControls(s), escapeAll(s), JSON.stringify(s));
    assert.equal(
      escapeControls(s, { multiline: true }),
      escapeAll(s, { multiline: true }),
      JSON.stringify(s),
    );
  }
});
