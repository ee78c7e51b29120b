// The Tasks page's URL state → API params (repeated for several values) and the CLI bar's command.
import assert from "node:assert/strict";
import { qs } from "../../web/src/api.ts";
import { apiParams, readQuery, taskListCli } from "../../web/src/task_query.ts";

const query = (s: string) => readQuery(new URLSearchParams(s), "list");

Deno.test("several values of one filter become repeated query parameters", () => {
  const q = query("status=todo&status=doing&priority=1&label=a&label=b&label_match=all&q=login&archived=1");
  assert.equal(
    qs(apiParams(q, "api")),
    "?project=api&status=todo&status=doing&priority=1&label=a&label=b&label_match=all&search=login&archived=true",
  );
});

Deno.test("empty filters send nothing; label_match needs two labels", () => {
  assert.equal(qs(apiParams(query(""), "")), "");
  assert.equal(qs(apiParams(query("label=a&label_match=all"), "")), "?label=a");
});

Deno.test("the CLI bar repeats flags and quotes what the shell would split", () => {
  const q = query(
    "status=todo&status=doing&priority=2&label=a&label=b&label_match=all&q=two words&sort=title&order=desc",
  );
  assert.equal(
    taskListCli(q, "api"),
    "backlog task list --project api --status todo --status doing --priority P2 --label a --label b --all-labels --search 'two words' --sort title --order desc --json",
  );
});

Deno.test("an unknown view falls back to the saved one", () => {
  assert.equal(query("view=board").view, "board");
  assert.equal(query("view=nope").view, "list");
});
