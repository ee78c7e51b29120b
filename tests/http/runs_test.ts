import assert from "node:assert/strict";
import { seeded } from "./client.ts";

const agentA = { "X-Backlog-Actor": "ai:agent-a" };
const human = { "X-Backlog-Actor": "human:bob" };
const RUN_KEYS = [
  "cost_usd",
  "ended_at",
  "holder",
  "id",
  "input_tokens",
  "lease_expires_at",
  "model",
  "outcome",
  "output_tokens",
  "ref",
  "renewals",
  "started_at",
  "task_id",
  "title",
];
const ROW_KEYS = [
  "attempts_per_done",
  "cost_per_done_usd",
  "done",
  "done_per_day",
  "expired",
  "key",
  "median_claim_to_done_ms",
  "p90_claim_to_done_ms",
  "released",
  "runs",
  "success_rate",
  "taken_over",
  "tokens_per_done",
];

Deno.test("usage over HTTP accumulates on the run; runs, claims and report have the cockpit's shapes", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x", type: "bug" });
  await t.post("/api/tasks", { project: "api", title: "y" });
  const c = (await t.post("/api/tasks/1/claim", {}, agentA)).json;
  let r = await t.post("/api/tasks/1/renew", { token: c.token, input_tokens: 100, model: "m1" }, agentA);
  assert.equal(r.status, 200);
  r = await t.get("/api/claims");
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ["agents", "live", "recent"]);
  assert.equal(r.json.live.length, 1);
  assert.deepEqual(Object.keys(r.json.live[0].run).sort(), RUN_KEYS);
  assert.equal(r.json.live[0].task.ref, "TASK-1");
  assert.ok(r.json.live[0].last_activity_at > 0);
  assert.deepEqual(r.json.agents, [{
    holder: "ai:agent-a",
    current_task: "TASK-1",
    done_today: 0,
    median_claim_to_done_ms: null,
  }]);
  r = await t.patch("/api/tasks/1/status", {
    status: "done",
    claim_token: c.token,
    output_tokens: 50,
    cost_usd: 0.25,
  }, agentA);
  assert.equal(r.status, 200);
  r = await t.get("/api/tasks/TASK-1/runs?limit=5");
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.page, { total: 1, count: 1, limit: 5, has_more: false });
  const run = r.json.runs[0];
  assert.deepEqual(Object.keys(run).sort(), RUN_KEYS);
  assert.deepEqual(
    [run.outcome, run.holder, run.input_tokens, run.output_tokens, run.cost_usd, run.model, run.renewals],
    ["done", "ai:agent-a", 100, 50, 0.25, "m1", 1],
  );
  r = await t.get("/api/claims");
  assert.equal(r.json.live.length, 0);
  assert.equal(r.json.recent[0].outcome, "done");
  assert.equal(r.json.agents[0].done_today, 1);
  r = await t.get("/api/report?since=7d&project=api");
  assert.equal(r.status, 200);
  assert.deepEqual(
    Object.keys(r.json).sort(),
    ["by_agent", "by_project", "by_type", "done_per_day", "since", "truncated", "until"],
  );
  assert.deepEqual(Object.keys(r.json.by_agent[0]).sort(), ROW_KEYS);
  assert.equal(r.json.by_type[0].key, "bug");
  assert.equal(r.json.by_agent[0].tokens_per_done, 150);
  assert.equal(r.json.done_per_day.length, 8);
  assert.match(r.json.done_per_day[0].day, /^\d{4}-\d\d-\d\d$/);
  assert.equal((await t.get("/api/report?since=later")).status, 400);
  assert.equal((await t.get("/api/report?project=nope")).status, 404);
  assert.equal((await t.get("/api/tasks/99/runs")).status, 404);
  const all = await t.get("/api/tasks/1/runs?limit=0");
  assert.equal(all.status, 200, "limit=0 is the largest page, never an error");
  assert.equal(all.json.page.limit, 10_000);
  await t.close();
});

Deno.test("a human force-releases another's claim over HTTP; an ai may not; bad usage is a 400", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const c = (await t.post("/api/tasks/1/claim", {}, agentA)).json;
  let r = await t.post("/api/tasks/1/renew", { token: c.token, input_tokens: -5 }, agentA);
  assert.equal(r.status, 400);
  assert.match(r.json.error, /input_tokens/);
  r = await t.post("/api/tasks/1/release", {}, human);
  assert.equal(r.status, 409);
  r = await t.post("/api/tasks/1/release", { force: true }, { "X-Backlog-Actor": "ai:other" });
  assert.equal(r.status, 400);
  r = await t.post("/api/tasks/1/release", { force: true }, human);
  assert.equal(r.status, 200);
  assert.equal(r.json.task.status, "todo");
  r = await t.get("/api/tasks/1/runs");
  assert.equal(r.json.runs[0].outcome, "released");
  assert.equal(r.json.runs[0].input_tokens, 0);
  await t.close();
});
