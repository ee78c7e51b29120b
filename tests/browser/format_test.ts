// The CLI bar's shell quoting: values from the URL must never expand or run in a shell.
import assert from "node:assert/strict";
import { shq } from "../../web/src/format.ts";
import { cliCommand } from "../../web/src/cli_bar.tsx";

Deno.test("shq leaves plain words alone and single-quotes the rest, so $, `, ! and \\ stay inert", () => {
  assert.equal(shq("TASK-1"), "TASK-1");
  assert.equal(shq("a b"), "'a b'");
  assert.equal(shq("$(rm -rf ~)"), "'$(rm -rf ~)'");
  assert.equal(shq("`id`!!\\"), "'`id`!!\\'");
  assert.equal(shq("it's"), "'it'\\''s'");
  assert.equal(shq(""), "''");
});

Deno.test("cliCommand quotes flag values", () => {
  assert.equal(
    cliCommand("memory list", [["tag", "a;b"], ["json", true]]),
    "backlog memory list --tag 'a;b' --json",
  );
});
