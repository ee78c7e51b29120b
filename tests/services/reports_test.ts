import assert from "node:assert/strict";
import { buildScenario, DAY, T0 } from "./report_scenario.ts";
import { alice, appError, testApp } from "../helpers/app.ts";
import { analysisText } from "../../src/cli/commands/activity.ts";
import { doctorText } from "../../src/cli/commands/doctor.ts";
import { firstQuoted, parseSince, transition } from "../../src/services/reports.ts";
import { assertGolden } from "../helpers/golden.ts";
import { CLI_HINTS } from "../../src/cli/hints.ts";

const GOLDEN = new URL("../golden/reports/", import.meta.url);

const golden = (name: string, actual: string) => assertGolden(new URL(name, GOLDEN), actual);

const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";

Deno.test("activity analyze over all time matches the golden text and JSON", async () => {
  const app = await buildScenario();
  const r = await app.reports.analyze("api", { since: "all" });
  await golden("analyze_all.txt", analysisText(r) + "\n");
  await golden("analyze_all.json", json(r));
});

Deno.test("activity analyze over the default 7-day window matches the golden text", async () => {
  const app = await buildScenario();
  const r = await app.reports.analyze("api");
  assert.equal(r.since, "7d");
  assert.equal(r.since_at, (T0 + 3 * DAY) * 1e6);
  await golden("analyze_7d.txt", analysisText(r) + "\n");
});

Deno.test("activity analyze computes the original's numbers from the data", async () => {
  const app = await buildScenario();
  const r = await app.reports.analyze("api", { since: "all" });
  // The archived task and the other project's task are not counted.
  assert.deepEqual(r.tasks, { created: 7, completed: 3, todo: 2, doing: 2, done: 3 });
  assert.deepEqual(r.reopened_tasks.map((t) => t.ref), ["TASK-3"]);
  assert.deepEqual(r.human_vs_ai_closes, [{ actor_kind: "ai", count: 2 }, { actor_kind: "human", count: 2 }]);
  assert.equal(r.status_latency.todo_to_doing_count, 3);
  assert.equal(r.status_latency.doing_to_done_count, 2);
  assert.deepEqual(r.wip_by_actor.map((w) => [w.actor, w.count]), [["ai:claude", 2]]);
  assert.deepEqual(r.stale_doing_tasks.map((t) => t.ref), ["TASK-3"]);
  assert.deepEqual(r.no_completion_evidence.map((t) => t.ref), ["TASK-2"]);
  assert.deepEqual(r.top_labels_by_churn, [{ label: "Auth", count: 4 }, { label: "auth", count: 2 }]);
  assert.deepEqual(r.duplicates.map((d) => [d.kind, d.scope, d.value, d.count]), [
    ["label", "project", "Auth, auth", 2],
    ["plan", "TASK-4", "Approach", 2],
    ["comment", "TASK-1", "LGTM", 2],
  ]);
});

Deno.test("activity analyze is empty, not null, for a project without activity", async () => {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const r = await app.reports.analyze("api");
  for (
    const k of [
      "cycle_time_by_type",
      "wip_by_actor",
      "duplicates",
      "top_labels_by_churn",
      "human_vs_ai_closes",
    ]
  ) {
    assert.deepEqual(r[k as keyof typeof r], [], k);
  }
});

Deno.test("activity analyze rejects bad windows and durations naming the flag", async () => {
  const app = await buildScenario();
  const a = await appError(async () => await app.reports.analyze("api", { since: "yesterday" }));
  assert.equal(a.code, "invalid");
  assert.match(a.message, /^since: invalid time window "yesterday"/); // HTTP and MCP name the field
  assert.match(a.messageIn(CLI_HINTS), /^--since: invalid time window "yesterday"/); // the CLI its flag
  const b = await appError(async () => await app.reports.analyze("api", { stale_after: "-1d" }));
  assert.equal(b.code, "invalid");
  assert.match(b.message, /^--stale-after: invalid duration "-1d"/);
  assert.equal((await appError(async () => await app.reports.analyze("nope"))).code, "not_found");
});

Deno.test("time windows: durations, all, dates and RFC3339", () => {
  const now = Date.UTC(2026, 4, 24, 12) * 1e6;
  assert.deepEqual(parseSince("", now), { at: now - 7 * 86400e9, label: "7d" });
  assert.deepEqual(parseSince("ALL", now), { at: 0, label: "all" });
  assert.deepEqual(parseSince("1h30m", now), { at: now - 5400e9, label: "1h30m" });
  assert.equal(parseSince("2026-05-24", now).at, Date.UTC(2026, 4, 24) * 1e6);
  assert.equal(parseSince("2026-05-24T10:00:00+02:00", now).at, Date.UTC(2026, 4, 24, 8) * 1e6);
  assert.throws(() => parseSince("2026-02-30", now), /invalid time window/);
});

Deno.test("status transitions are read from the end of the summary, whatever the title says", () => {
  assert.deepEqual(transition('Changed status of TASK-1 "x" from todo to doing'), {
    from: "todo",
    to: "doing",
  });
  assert.deepEqual(
    transition('Changed status of TASK-2 "a from done to todo" from doing to done'),
    { from: "doing", to: "done" },
  );
  assert.equal(transition('Updated task TASK-1 "moved from done to todo"'), undefined);
  assert.equal(firstQuoted('Attached label "a\\"b" to task 01ABCDEF'), 'a"b');
  assert.equal(firstQuoted("no quotes"), "");
});

Deno.test("doctor project finds the original's seven kinds of issue (golden text and JSON)", async () => {
  const app = await buildScenario();
  const r = await app.doctor.project("api");
  assert.deepEqual([...new Set(r.issues.map((i) => i.code))], [
    "task_created_never_started",
    "stale_doing_task",
    "task_without_plan",
    "done_without_comments",
    "done_without_completion_evidence",
    "latest_activity_label_churn_only",
    "final_audit_closed_with_open_work",
  ]);
  assert.equal(r.truncated, false);
  await golden("doctor_project.txt", doctorText(r) + "\n");
  await golden("doctor_project.json", json(r));
});

Deno.test("doctor project keeps the first --limit issues and says how many more there are", async () => {
  const app = await buildScenario();
  const r = await app.doctor.project("api", { limit: 3, stale_after: "1d" });
  assert.equal(r.issue_count, 3);
  assert.equal(r.truncated, true);
  assert.ok(r.total_detected > 3);
  await golden("doctor_project_truncated.txt", doctorText(r) + "\n");
  const clean = await testApp();
  await clean.projects.create({ alias: "api", name: "API" }, alice);
  assert.equal(
    doctorText(await clean.doctor.project("api")),
    "Project doctor for api: 0 issue(s)\nNo stale, orphaned, or weakly-closed work detected.",
  );
  assert.equal(
    (await appError(async () => await app.doctor.project("api", { stale_after: "soon" }))).code,
    "invalid",
  );
});
