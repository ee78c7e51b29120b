import assert from "node:assert/strict";
import { AppError } from "../../src/domain/errors.ts";
import { CONTEXT_LIMITS } from "../../src/services/task_context.ts";
import { alice, bot, testApp } from "../helpers/app.ts";

async function setup() {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  for (const t of ["Main", "Blocker", "Dependent"]) {
    await app.tasks.create({ project: "api", title: t }, alice);
  }
  await app.deps.add("TASK-1", "TASK-2", alice);
  await app.deps.add("TASK-3", "TASK-1", alice);
  return app;
}

/** Memory rows written directly: the memory service belongs to another module. */
async function addMemory(app: Awaited<ReturnType<typeof setup>>, body: string, at: number) {
  const p = await app.projects.get("api");
  await app.db.run(
    "INSERT INTO project_memory (id, project_id, body, tags, actor_kind, actor_name, created_at) VALUES (?, ?, ?, '', 'ai', 'claude', ?)",
    app.ctx.ids(),
    p.id,
    body,
    BigInt(at),
  );
}

Deno.test("task context returns the task, its blockers and dependents, plan, comments and memory", async () => {
  const app = await setup();
  await app.plans.create({ task_id: "TASK-1", title: "Old plan", body: "v1" }, bot);
  const plan = await app.plans.create({ task_id: "TASK-1", title: "Plan", body: "do it" }, bot);
  await app.plans.update(plan.id, { body: "do it better" }, bot);
  for (let i = 1; i <= 12; i++) await app.comments.add("TASK-1", `comment ${i}`, bot);
  for (let i = 1; i <= 11; i++) await addMemory(app, `note ${i}`, 1_700_000_000_000_000_000 + i);
  const c = await app.tasks.context("TASK-1");
  assert.equal(c.task.ref, "TASK-1");
  assert.deepEqual(c.blocked_by.map((d) => [d.ref, d.title, d.status]), [["TASK-2", "Blocker", "todo"]]);
  assert.deepEqual(c.blocks.map((d) => d.ref), ["TASK-3"]);
  assert.equal(c.plan?.id, plan.id);
  assert.equal(c.plan?.version?.body, "do it better");
  assert.deepEqual(c.comments.map((x) => x.body), Array.from({ length: 10 }, (_, i) => `comment ${i + 3}`));
  assert.equal(c.memory.length, CONTEXT_LIMITS.memories);
  assert.equal(c.memory[0].body, "note 11");
  assert.deepEqual(c.totals, { blocked_by: 1, blocks: 1, plans: 2, comments: 12, memory: 11, runs: 0 });
  assert.equal(c.truncated, true);
});

Deno.test("task context of a bare task is small and not truncated", async () => {
  const app = await setup();
  const c = await app.tasks.context("TASK-2");
  assert.equal(c.plan, null);
  assert.deepEqual([c.comments, c.memory, c.blocked_by], [[], [], []]);
  assert.equal(c.truncated, false);
  assert.ok(JSON.stringify(c).length < 2000);
});

Deno.test("task context cuts long texts and stays bounded", async () => {
  const app = await setup();
  await app.tasks.update("TASK-1", { description: "d".repeat(60_000) }, alice);
  await app.plans.create({ task_id: "TASK-1", title: "Big", body: "p".repeat(500_000) }, bot);
  for (let i = 0; i < 30; i++) await app.comments.add("TASK-1", "c".repeat(50_000), bot);
  for (let i = 0; i < 30; i++) await addMemory(app, "m".repeat(50_000), 1_700_000_000_000_000_000 + i);
  const c = await app.tasks.context("TASK-1");
  assert.equal(c.truncated, true);
  assert.match(c.task.description, /… \[56000 more characters cut\]$/);
  assert.ok(JSON.stringify(c).length < 40_000, `reply is ${JSON.stringify(c).length} characters`);
});

Deno.test("task context of an unknown task is not found", async () => {
  const app = await setup();
  await assert.rejects(
    async () => await app.tasks.context("TASK-42"),
    (e) => e instanceof AppError && e.code === "not_found",
  );
});
