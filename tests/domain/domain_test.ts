import assert from "node:assert/strict";
import { parsePriority, parseStatus, parseTaskType } from "../../src/domain/enums.ts";
import { parseActor } from "../../src/domain/actor.ts";
import { parseTaskRef } from "../../src/domain/refs.ts";
import { formatDuration, parseDate, parseDuration, systemClock } from "../../src/domain/time.ts";
import { toSearch } from "../../src/domain/search.ts";
import { goQuote } from "../../src/domain/quote.ts";
import type { AppError } from "../../src/domain/errors.ts";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return "ok";
};

Deno.test("priority accepts P1-P5 and 1-5 in any case, rejects the rest", () => {
  assert.equal(parsePriority("p2"), 2);
  assert.equal(parsePriority(" P5 "), 5);
  assert.equal(parsePriority(3), 3);
  assert.equal(code(() => parsePriority("P9")), "invalid");
  assert.equal(code(() => parsePriority(0)), "invalid");
  assert.equal(code(() => parsePriority("high")), "invalid");
});

Deno.test("enums validate type and status, including bucket-list", () => {
  assert.equal(parseTaskType("bucket-list"), "bucket-list");
  assert.equal(parseStatus("DONE"), "done");
  assert.match(
    String((() => {
      try {
        parseTaskType("epic");
      } catch (e) {
        return (e as Error).message;
      }
    })()),
    /invalid type "epic" \(valid: task, bug/,
  );
});

Deno.test("actor parsing splits on the first colon and rejects other kinds or empty names", () => {
  assert.deepEqual(parseActor("ai:claude:opus"), { kind: "ai", name: "claude:opus" });
  assert.deepEqual(parseActor("human:alice"), { kind: "human", name: "alice" });
  assert.equal(code(() => parseActor("robot:x")), "usage");
  assert.equal(code(() => parseActor("ai:")), "usage");
  assert.equal(code(() => parseActor("alice")), "usage");
});

Deno.test("task refs: TASK-N, N, ULID and prefixes", () => {
  assert.deepEqual(parseTaskRef("task-12"), { kind: "seq", seq: 12 });
  assert.deepEqual(parseTaskRef("7"), { kind: "seq", seq: 7 });
  assert.deepEqual(parseTaskRef("01hx3k2m"), { kind: "id", id: "01HX3K2M" });
  assert.equal(code(() => parseTaskRef("")), "invalid");
  assert.equal(code(() => parseTaskRef("not a ref!")), "invalid");
});

Deno.test("dates: YYYY-MM-DD, local-less datetime and RFC3339 are UTC; nonsense is rejected", () => {
  assert.equal(parseDate("2026-05-24"), Date.UTC(2026, 4, 24) * 1e6);
  assert.equal(parseDate("2026-05-24T10:00:00"), Date.UTC(2026, 4, 24, 10) * 1e6);
  assert.equal(parseDate("2026-05-24T10:00:00+02:00"), Date.UTC(2026, 4, 24, 8) * 1e6);
  assert.equal(code(() => parseDate("2026-02-30")), "invalid");
  assert.equal(code(() => parseDate("tomorrow")), "invalid");
});

Deno.test("durations: units combine, zero and junk are rejected", () => {
  assert.equal(parseDuration("1h30m", "--lease"), 5400e9);
  assert.equal(parseDuration("7d", "--since"), 7 * 86400e9);
  assert.equal(parseDuration("1.5w", "--since"), 1.5 * 7 * 86400e9);
  assert.equal(code(() => parseDuration("0m", "--lease")), "invalid");
  assert.equal(code(() => parseDuration("soon", "--lease")), "invalid");
  assert.equal(formatDuration(90e9), "1m30s");
  assert.equal(formatDuration(3 * 3600e9), "3.0h");
  assert.equal(formatDuration(50 * 3600e9), "2.1d");
});

Deno.test("search: numbers are seq lookups, syntax passes through, words become a phrase", () => {
  assert.deepEqual(toSearch("TASK-4"), { seq: 4 });
  assert.deepEqual(toSearch("sql injection"), { fts: '"sql injection"' });
  assert.deepEqual(toSearch("jwt OR csrf"), { fts: "jwt OR csrf" });
  assert.deepEqual(toSearch("inj*"), { fts: "inj*" });
  assert.deepEqual(toSearch('say "hi'), { fts: 'say "hi' });
  assert.equal(toSearch(" - "), undefined);
  assert.equal(toSearch('""'), undefined);
  assert.deepEqual(toSearch("TODO: fix"), { fts: '"TODO: fix"' });
  assert.deepEqual(toSearch("-title:x"), { fts: "-title:x" });
  assert.deepEqual(toSearch("{title description}: x"), { fts: "{title description}: x" });
  assert.deepEqual(toSearch("中文"), { fts: '"中文"*' });
});

Deno.test("summaries quote like Go's %q", () => {
  assert.equal(goQuote('a "b"'), '"a \\"b\\""');
  assert.equal(goQuote("x\u0001"), '"x\\x01"');
});

Deno.test("the system clock yields exact integers that survive JSON", () => {
  const t = systemClock();
  assert.ok(Number.isSafeInteger(t / 32000));
  assert.equal(JSON.parse(JSON.stringify(t)), t);
  assert.equal(BigInt(t).toString(), String(t));
});

Deno.test("ULIDs are 26 Crockford characters, time-prefixed and strictly increasing within a millisecond", async () => {
  const { ulidGen } = await import("../../src/domain/ids.ts");
  const gen = ulidGen(() => Date.UTC(2026, 0, 1) * 1e6);
  const ids = Array.from({ length: 1000 }, gen);
  for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids[0].slice(0, 10), "01KDVDNA00");
});

Deno.test("a due date typed on any surface: empty or none clears, anything else must parse", async () => {
  const { parseDueDate } = await import("../../src/domain/time.ts");
  assert.equal(parseDueDate(undefined), undefined);
  assert.equal(parseDueDate(""), null);
  assert.equal(parseDueDate(" None "), null);
  assert.equal(parseDueDate("2026-05-24"), Date.UTC(2026, 4, 24) * 1e6);
  assert.equal(code(() => parseDueDate("someday", "--due-date")), "invalid");
});

Deno.test("a malformed task ref is echoed as typed, not upper-cased", () => {
  for (
    const [ref, shown] of [["abc-xyz", '"abc-xyz"'], ["\x1b[31m", '"\\x1b[31m"'], ["task-x", '"task-x"']]
  ) {
    assert.throws(() => parseTaskRef(ref), (e: AppError) => e.message === `invalid task id ${shown}`, ref);
  }
  assert.deepEqual(parseTaskRef("01abcd"), { kind: "id", id: "01ABCD" });
});
