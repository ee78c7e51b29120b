import assert from "node:assert/strict";
import { DAY, HOUR, MIN, scenarioApp, T0 } from "./report_scenario.ts";
import { alice, testApp } from "../helpers/app.ts";
import { reportText } from "../../src/cli/commands/report.ts";
import { percentile, type ReportRun, runReport } from "../../src/services/run_report.ts";
import type { Actor } from "../../src/domain/actor.ts";
import type { TaskType } from "../../src/domain/enums.ts";

const GOLDEN = new URL("../golden/reports/", import.meta.url);

/** Compares with a golden file; `UPDATE_GOLDEN=1 deno test -A tests/services/run_report_test.ts` rewrites it. */
async function golden(name: string, actual: string) {
  const url = new URL(name, GOLDEN);
  if (Deno.env.get("UPDATE_GOLDEN")) await Deno.writeTextFile(url, actual);
  assert.equal(actual, await Deno.readTextFile(url), `golden ${name} differs`);
}

const claude: Actor = { kind: "ai", name: "claude" };
const codex: Actor = { kind: "ai", name: "codex" };

/**
 * Three days of agents at work on two projects: claude finishes 3 tasks (one after codex's lease
 * ran out), releases one; codex lets a lease expire and finishes one; bob takes a task over with the
 * holder's token; one claim is still open. The report's "now" is T0 + 3 days.
 */
async function scenario() {
  const { app, at } = await scenarioApp();
  at(T0);
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  const add = async (project: string, title: string, type: TaskType = "task") =>
    (await app.tasks.create({ project, title, type }, alice)).ref;
  const t1 = await add("api", "Fix login", "bug");
  const t2 = await add("api", "Add rate limit", "feature");
  const t3 = await add("web", "Dark mode", "feature");
  const t4 = await add("web", "Typo", "bug");
  const t5 = await add("api", "Refactor auth");
  const done = async (ref: string, who: Actor, token: string, usage: Record<string, unknown>) =>
    await app.tasks.move(ref, "done", who, { claimToken: token, usage });
  // Day 1: claude does t1 in 40m; codex claims t2 with a 30m lease and vanishes.
  at(T0 + 9 * HOUR);
  let c = await app.claims.claim(t1, {}, claude);
  at(T0 + 9 * HOUR + 40 * MIN);
  await done(t1, claude, c.token, {
    input_tokens: 50_000,
    output_tokens: 9_000,
    cost_usd: 0.62,
    model: "sonnet",
  });
  at(T0 + 10 * HOUR);
  await app.claims.claim(t2, {}, codex);
  // Day 2: claude takes t2 over after the lease ran out, renews once, finishes in 3h.
  at(T0 + DAY + 8 * HOUR);
  c = await app.claims.claim(t2, {}, claude);
  at(T0 + DAY + 9 * HOUR);
  await app.claims.renew(
    t2,
    { token: c.token, lease: 3 * HOUR * 1e6, usage: { input_tokens: 30_000 } },
    claude,
  );
  at(T0 + DAY + 11 * HOUR);
  await done(t2, claude, c.token, { input_tokens: 40_000, output_tokens: 12_000, cost_usd: 1.1 });
  // codex does t3 in 20m; claude gives t4 back; bob finishes t4 with codex's token.
  at(T0 + DAY + 12 * HOUR);
  c = await app.claims.claim(t3, {}, codex);
  at(T0 + DAY + 12 * HOUR + 20 * MIN);
  await done(t3, codex, c.token, {
    input_tokens: 20_000,
    output_tokens: 4_000,
    cost_usd: 0.25,
    model: "gpt-5",
  });
  at(T0 + DAY + 13 * HOUR);
  await app.claims.claim(t4, {}, claude);
  await app.claims.release(t4, { usage: { input_tokens: 5_000, cost_usd: 0.05 } }, claude);
  at(T0 + DAY + 14 * HOUR);
  c = await app.claims.claim(t4, {}, codex);
  at(T0 + DAY + 14 * HOUR + 5 * MIN);
  await app.tasks.move(t4, "done", { kind: "human", name: "bob" }, { claimToken: c.token });
  // Day 3: claude holds t5 (open).
  at(T0 + 2 * DAY + 9 * HOUR);
  await app.claims.claim(t5, { lease: 2 * HOUR * 1e6 }, claude);
  at(T0 + 2 * DAY + 10 * HOUR);
  return app;
}

Deno.test("backlog report over 7 days matches the golden text and JSON", async () => {
  const app = await scenario();
  const r = await app.runs.report({ since: "7d" });
  await golden("runs_7d.txt", reportText(r) + "\n");
  await golden("runs_7d.json", JSON.stringify(r, null, 2) + "\n");
  const claude = r.by_agent.find((x) => x.key === "ai:claude")!;
  // 4 runs: 2 done, 1 released, 1 open; t1 took 40m, t2 3h; all its tokens over 2 done.
  assert.deepEqual(
    [claude.runs, claude.done, claude.released, claude.success_rate, claude.median_claim_to_done_ms],
    [4, 2, 1, 0.6667, 40 * MIN],
  );
  assert.equal(claude.p90_claim_to_done_ms, 3 * HOUR);
  assert.equal(claude.tokens_per_done, (59_000 + 30_000 + 52_000 + 5_000) / 2);
  assert.equal(claude.cost_per_done_usd, 0.885); // (0.62 + 1.1 + 0.05) / 2
  const codex = r.by_agent.find((x) => x.key === "ai:codex")!;
  assert.deepEqual([codex.runs, codex.done, codex.expired, codex.taken_over], [3, 1, 1, 1]);
  const api = r.by_project.find((x) => x.key === "api")!;
  assert.equal(api.attempts_per_done, 1.5); // t1 once, t2 twice
});

Deno.test("backlog report for one project over all time; the Agents board from the same runs", async () => {
  const app = await scenario();
  const r = await app.runs.report({ since: "all", project: "web" });
  assert.deepEqual(r.by_project.map((x) => x.key), ["web"]);
  assert.equal(r.since, 0);
  assert.equal(r.done_per_day.length, 2); // from the first run (day 2) to now (day 3)
  const board = await app.runs.board();
  assert.deepEqual(board.live.map((l) => [l.run.ref, l.run.holder]), [["TASK-5", "ai:claude"]]);
  assert.deepEqual(board.agents.map((a) => [a.holder, a.current_task, a.done_today]), [
    ["ai:claude", "TASK-5", 0],
    ["ai:codex", null, 0],
  ]);
  // Ended in the last 24 hours, most recent first.
  assert.deepEqual(board.recent.map((x) => [x.ref, x.holder, x.outcome]), [
    ["TASK-4", "ai:codex", "taken_over"],
    ["TASK-4", "ai:claude", "released"],
    ["TASK-3", "ai:codex", "done"],
    ["TASK-2", "ai:claude", "done"],
  ]);
  // A deleted task's runs stay on the board, named from the run's own copies.
  await app.tasks.delete("TASK-3", alice);
  const after = await app.runs.board();
  assert.deepEqual(after.recent.map((x) => [x.ref, x.task_id === null, x.title, x.outcome]), [
    ["TASK-4", false, "Typo", "taken_over"],
    ["TASK-4", false, "Typo", "released"],
    ["TASK-3", true, "Dark mode", "done"],
    ["TASK-2", false, "Add rate limit", "done"],
  ]);
});

Deno.test("percentile is nearest-rank", () => {
  assert.equal(percentile([], 0.5), null);
  assert.equal(percentile([5], 0.9), 5);
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
});

Deno.test("per done task: a task reopened and done again divides attempts, tokens and cost once", () => {
  const run = (task_id: string, outcome: ReportRun["outcome"], input: number, cost: number): ReportRun => ({
    holder: "ai:claude",
    task_id,
    started_at: T0,
    ended_at: T0 + MIN,
    lease_expires_at: null,
    outcome,
    input_tokens: input,
    output_tokens: 0,
    cost_usd: cost,
    type: "bug",
    project: "api",
  });
  const runs = [run("a", "released", 100, 0.1), run("a", "done", 200, 0.2), run("a", "done", 300, 0.3)];
  const [row] = runReport(runs, { since: T0 - DAY, until: T0 + DAY }).by_agent;
  assert.deepEqual(
    [row.done, row.attempts_per_done, row.tokens_per_done, row.cost_per_done_usd],
    [2, 3, 600, 0.6],
  );
});

Deno.test("a report window that starts in the future is invalid, not an empty backwards range", async () => {
  const app = await testApp();
  await assert.rejects(
    async () => await app.runs.report({ since: "2200-01-01" }),
    (e: { code?: string }) => e.code === "invalid",
  );
  assert.equal((await app.runs.report({ since: "all" })).by_agent.length, 0);
});
