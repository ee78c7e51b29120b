// Activity summaries name tasks as TASK-N and actors as kind:name (DECISIONS.md §4), never by an
// ID prefix: checked on the services and on the CLI's activity output.
import assert from "node:assert/strict";
import { shortId } from "../../src/domain/refs.ts";
import { alice, bot, testApp } from "../helpers/app.ts";
import { workspace } from "../helpers/cli.ts";

Deno.test("every activity line about a task names it TASK-N; the lease-expiry line names the holder kind:name", async () => {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await testApp();
  app.ctx.clock = () => (now += 1e6);
  try {
    await app.projects.create({ alias: "api", name: "API" }, alice);
    const t = await app.tasks.create({
      project: "api",
      title: "A",
      labels: ["x"],
      plans: [{ title: "P", body: "b" }],
    }, alice);
    await app.labels.attach(t.ref, "y", alice);
    await app.labels.detach(t.ref, "x", alice);
    await app.labels.set(t.ref, ["z"], alice);
    const plan = await app.plans.create({ task_id: t.ref, title: "Q", body: "b" }, alice);
    await app.plans.delete(plan.id, alice);
    const c = await app.comments.add(t.ref, "hi", alice);
    await app.comments.delete(c.id, alice);
    const data = new TextEncoder().encode("x");
    await app.attachments.add({ name: "a.txt", data, task: t.ref }, alice);
    const doc = await app.docs.create({ project: "api", title: "D" }, alice);
    await app.attachments.add({ name: "b.txt", data, doc: doc.id }, alice);
    await app.claims.claim(t.ref, { lease: 1e9 }, bot);
    now += 5e9;
    await app.claims.claim(t.ref, {}, { kind: "human", name: "carol" });
    const lines = (await app.activity.list({ limit: 0, oldest_first: true })).events.map((e) => e.summary);
    for (const l of lines) assert.doesNotMatch(l, /\btask [0-9A-Z]{8}\b/, "a task named by ID prefix");
    const want = [
      'Attached label "x" to TASK-1',
      'Created plan "P" on TASK-1',
      'Attached label "y" to TASK-1',
      'Detached label "x" from TASK-1',
      'Detached label "y" from TASK-1',
      'Attached label "z" to TASK-1',
      'Created plan "Q" on TASK-1',
      `Deleted plan ${shortId(plan.id)} on TASK-1`,
      `Deleted comment ${shortId(c.id)} on TASK-1`,
      'Added attachment "a.txt" to TASK-1',
      `Added attachment "b.txt" to doc ${shortId(doc.id)}`,
    ];
    for (const w of want) assert.ok(lines.includes(w), `missing "${w}" in:\n${lines.join("\n")}`);
    assert.ok(lines.some((l) => /^Lease of ai:claude on TASK-1 "A" expired at /.test(l)), lines.join("\n"));
  } finally {
    await app.close();
  }
});

Deno.test("backlog activity prints TASK-N for label and plan lines", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "API", "--alias", "api"]);
    await w.run(["task", "add", "-p", "api", "-t", "A", "--label", "auth"]);
    await w.run(["plan", "add", "--task", "TASK-1", "--title", "P", "--content", "b"]);
    const r = await w.run(["activity", "-p", "api"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Attached label "auth" to TASK-1/);
    assert.match(r.stdout, /Created plan "P" on TASK-1/);
  } finally {
    await w.cleanup();
  }
});
