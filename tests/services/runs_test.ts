import assert from "node:assert/strict";
import type { Actor } from "../../src/domain/actor.ts";
import { alice, appError as err, bot, steppedApp } from "../helpers/app.ts";

const carol: Actor = { kind: "ai", name: "carol" };
const MIN = 60e9;

async function setup() {
  const { app, advance } = await steppedApp();
  const add = async (title: string, extra: Record<string, unknown> = {}) =>
    await app.tasks.create({ project: "api", title, ...extra }, alice);
  return { app, add, advance };
}

const runs = async (app: Awaited<ReturnType<typeof setup>>["app"], ref = "TASK-1") =>
  (await app.runs.forTask(ref)).runs;

Deno.test("a claim starts a run; renewals and usage accumulate; done by the holder ends it done", async () => {
  const { app, add, advance } = await setup();
  await add("Fix login");
  const c = await app.claims.claim("TASK-1", {}, bot);
  let [r] = await runs(app);
  assert.equal(r.outcome, "open");
  assert.equal(r.holder, "ai:claude");
  assert.equal(r.lease_expires_at, c.lease_expires_at);
  advance(10 * MIN);
  await app.claims.renew("TASK-1", { token: c.token, usage: { input_tokens: 1000, cost_usd: 0.1 } }, bot);
  advance(5 * MIN);
  await app.tasks.move("TASK-1", "done", bot, {
    claimToken: c.token,
    usage: { input_tokens: 500, output_tokens: 200, cost_usd: 0.2, model: "claude-x" },
  });
  [r] = await runs(app);
  assert.equal(r.outcome, "done");
  assert.equal(r.renewals, 1);
  assert.equal(r.input_tokens, 1500);
  assert.equal(r.output_tokens, 200);
  assert.equal(r.cost_usd, 0.3);
  assert.equal(r.model, "claude-x");
  assert.ok(r.ended_at! - r.started_at >= 15 * MIN);
});

Deno.test("an open run past its lease shows expired before anyone reclaims; a reclaim makes it final", async () => {
  const { app, add, advance } = await setup();
  await add("Fix login");
  const c = await app.claims.claim("TASK-1", { lease: MIN }, bot);
  advance(2 * MIN);
  let [r] = await runs(app);
  assert.equal(r.outcome, "expired");
  assert.equal(r.ended_at, c.lease_expires_at);
  await app.claims.claim("TASK-1", {}, carol);
  const [now, old] = await runs(app);
  assert.equal(now.holder, "ai:carol");
  assert.equal(now.outcome, "open");
  assert.equal(old.outcome, "expired");
  assert.equal(old.ended_at, c.lease_expires_at);
  // The holder renewing before anyone else acts keeps its run open (its token is still current).
  await add("Second");
  const c2 = await app.claims.claim("TASK-2", { lease: MIN }, bot);
  advance(2 * MIN);
  assert.equal((await runs(app, "TASK-2"))[0].outcome, "expired");
  await app.claims.renew("TASK-2", { token: c2.token }, bot);
  [r] = await runs(app, "TASK-2");
  assert.equal(r.outcome, "open");
});

Deno.test("release ends a run released; a human may force, an ai may not; a token user takes over", async () => {
  const { app, add } = await setup();
  await add("A");
  await add("B");
  const before = await app.db.get("SELECT COUNT(*) AS n FROM activity_log");
  const e = await err(async () => await app.claims.release("TASK-1", { force: true }, carol));
  assert.equal(e.code, "invalid");
  assert.deepEqual(await app.db.get("SELECT COUNT(*) AS n FROM activity_log"), before);
  await app.claims.claim("TASK-1", {}, bot);
  assert.equal((await err(async () => await app.claims.release("TASK-1", {}, alice))).code, "conflict");
  assert.equal(
    (await err(async () => await app.claims.release("TASK-1", { force: true }, carol))).code,
    "invalid",
  );
  const { task } = await app.claims.release("TASK-1", { force: true }, alice);
  assert.equal(task.status, "todo");
  assert.equal((await runs(app))[0].outcome, "released");
  const last = (await app.activity.list({ entity_id: task.id })).events.find((e) => e.action === "released")!;
  assert.match(last.summary, /^Released claim of ai:claude on TASK-1/);
  assert.equal(last.actor.name, "alice");
  const c = await app.claims.claim("TASK-2", {}, bot);
  await app.tasks.move("TASK-2", "done", alice, { claimToken: c.token });
  assert.equal((await runs(app, "TASK-2"))[0].outcome, "taken_over");
  // The holder's own claim needs no force: an ai holder passing it simply releases.
  await add("C");
  await app.claims.claim("TASK-3", {}, bot);
  assert.equal((await app.claims.release("TASK-3", { force: true }, bot)).task.status, "todo");
  assert.equal((await runs(app, "TASK-3"))[0].outcome, "released");
});

Deno.test("usage is refused without a claim of the caller's, and bad usage is refused, DB unchanged", async () => {
  const { app, add } = await setup();
  await add("A");
  assert.equal(
    (await err(async () => await app.tasks.move("TASK-1", "done", bot, { usage: { input_tokens: 1 } }))).code,
    "conflict",
  );
  assert.equal((await app.tasks.getTask("TASK-1")).status, "todo");
  await app.claims.claim("TASK-1", {}, bot);
  const v = (await app.tasks.getTask("TASK-1")).version;
  assert.equal(
    (await err(async () => await app.claims.renew("TASK-1", { usage: { input_tokens: -1 } }, bot))).code,
    "invalid",
  );
  assert.equal(
    (await err(async () => await app.claims.renew("TASK-1", { usage: { cost_usd: NaN } }, bot))).code,
    "invalid",
  );
  assert.equal(
    (await err(async () => await app.claims.renew("TASK-1", { usage: { model: "a\nb" } }, bot))).code,
    "invalid",
  );
  assert.equal((await app.tasks.getTask("TASK-1")).version, v);
  assert.equal((await runs(app))[0].input_tokens, 0);
});

Deno.test("report: per agent, project and type with rates, percentiles, attempts and cost", async () => {
  const { app, add, advance } = await setup();
  await add("A", { type: "bug" });
  await add("B");
  // TASK-1: carol lets it expire, claude finishes it in 20m; TASK-2: claude releases.
  await app.claims.claim("TASK-1", { lease: MIN }, carol);
  advance(2 * MIN);
  const c = await app.claims.claim("TASK-1", {}, bot);
  advance(20 * MIN);
  await app.tasks.move("TASK-1", "done", bot, {
    claimToken: c.token,
    usage: { input_tokens: 900, cost_usd: 0.5 },
  });
  await app.claims.claim("TASK-2", {}, bot);
  await app.claims.release("TASK-2", { usage: { output_tokens: 100, cost_usd: 0.1 } }, bot);
  const r = await app.runs.report({ since: "7d" });
  const claude = r.by_agent.find((x) => x.key === "ai:claude")!;
  assert.equal(claude.runs, 2);
  assert.equal(claude.done, 1);
  assert.equal(claude.released, 1);
  assert.equal(claude.success_rate, 0.5);
  assert.ok(claude.median_claim_to_done_ms! >= 20 * 60_000);
  assert.equal(claude.attempts_per_done, 1);
  assert.equal(claude.tokens_per_done, 1000);
  assert.equal(claude.cost_per_done_usd, 0.6);
  const api = r.by_project[0];
  assert.deepEqual([api.key, api.runs, api.done, api.expired, api.attempts_per_done], ["api", 3, 1, 1, 2]);
  assert.deepEqual(r.by_type.map((x) => [x.key, x.runs]), [["bug", 2], ["task", 1]]);
  assert.equal(r.done_per_day.length, 8);
  assert.equal(r.done_per_day.at(-1)!.done, 1);
  assert.equal((await err(async () => await app.runs.report({ since: "soon" }))).code, "invalid");
  assert.equal((await err(async () => await app.runs.report({ project: "nope" }))).code, "not_found");
});

Deno.test("deleting a task or its project keeps its runs in the report (the task's copies describe them)", async () => {
  const { app, add } = await setup();
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  await add("Fix login", { type: "bug" });
  await app.tasks.create({ project: "web", title: "Left claimed" }, alice);
  const c = await app.claims.claim("TASK-1", {}, bot);
  await app.tasks.move("TASK-1", "done", bot, {
    claimToken: c.token,
    usage: { cost_usd: 2, input_tokens: 10 },
  });
  await app.claims.claim("TASK-2", {}, bot);
  const before = await app.runs.report({ since: "7d" });
  await app.tasks.delete("TASK-1", alice);
  await app.projects.archive("web", alice);
  await app.projects.delete("web", alice);
  const after = await app.runs.report({ since: "7d" });
  assert.deepEqual(after.by_type.find((r) => r.key === "bug"), before.by_type.find((r) => r.key === "bug"));
  assert.deepEqual(
    after.by_project.find((r) => r.key === "api"),
    before.by_project.find((r) => r.key === "api"),
  );
  const agent = after.by_agent[0];
  assert.deepEqual([agent.runs, agent.done, agent.released, agent.cost_per_done_usd], [2, 1, 1, 2]);
  assert.deepEqual(after.by_project.map((r) => r.key).sort(), ["api", "web"]);
  assert.equal((await app.runs.report({ since: "7d", project: "api" })).by_project[0].done, 1);
  const kept = await app.db.all<Record<string, unknown>>(
    "SELECT task_id, task_ref, task_title, task_type, project_alias FROM task_runs ORDER BY task_ref",
  );
  assert.deepEqual(kept.map((r) => ({ ...r })), [
    { task_id: null, task_ref: "TASK-1", task_title: "Fix login", task_type: "bug", project_alias: "api" },
    {
      task_id: null,
      task_ref: "TASK-2",
      task_title: "Left claimed",
      task_type: "task",
      project_alias: "web",
    },
  ]);
});

Deno.test("archiving one's own claimed task ends the claim and its run (released), in one write", async () => {
  const { app, add } = await setup();
  await add("Fix login");
  const c = await app.claims.claim("TASK-1", {}, bot);
  const t = await app.tasks.archive("TASK-1", bot, { claimToken: c.token });
  const row = await app.db.get<Record<string, unknown>>(
    "SELECT claimed_by, claimed_at, lease_expires_at, assignee FROM tasks WHERE id = ?",
    t.id,
  );
  assert.deepEqual({ ...row }, { claimed_by: "", claimed_at: null, lease_expires_at: null, assignee: "" });
  assert.equal(await app.tasks.claimTokenOf(t.id), "");
  assert.equal(t.status, "todo");
  assert.deepEqual((await runs(app)).map((r) => r.outcome), ["released"]);
  assert.equal((await app.runs.board()).live.length, 0);
  const acts = await app.db.all<{ action: string }>("SELECT action FROM activity_log ORDER BY created_at");
  assert.deepEqual(acts.map((a) => a.action).slice(-3), ["released", "status_changed", "archived"]);
});

Deno.test("a patch that moves one's claimed task to done and archives it ends the run done, usage counted once", async () => {
  const { app, add } = await setup();
  await add("Fix login");
  const c = await app.claims.claim("TASK-1", {}, bot);
  const t = await app.tasks.patch("TASK-1", { status: "done", archived: true }, bot, {
    claimToken: c.token,
    usage: { input_tokens: 10 },
  });
  assert.equal(t.status, "done");
  assert.ok(t.archived_at);
  assert.deepEqual((await runs(app)).map((r) => [r.outcome, r.input_tokens]), [["done", 10]]);
});
