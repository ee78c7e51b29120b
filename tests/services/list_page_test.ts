import assert from "node:assert/strict";
import { alice, openTestApp } from "../helpers/app.ts";
import type { Task } from "../../src/domain/models.ts";

/**
 * The default list order (priority, newest first, ties by TASK-N) on pages that cut through runs of
 * equal times: PostgreSQL reads the first offset + limit rows WITH TIES from the list index and orders
 * those (task_page.ts); every page must be the matching slice of the whole order, labels included.
 */
Deno.test("list pages cut through equal times keep the whole order, labels and totals", async () => {
  let calls = 0;
  // Sixty calls per millisecond: tasks created close together share created_at.
  const app = await openTestApp({
    clock: () => (Date.UTC(2026, 0, 1) + Math.floor(calls++ / 60)) * 1_000_000,
  });
  try {
    await app.projects.create({ alias: "api", name: "API" }, alice);
    await app.projects.create({ alias: "web", name: "Web" }, alice);
    for (let i = 0; i < 48; i++) {
      const t = await app.tasks.create({
        project: i % 4 === 3 ? "web" : "api",
        title: `task ${i}`,
        priority: (i % 3) + 1,
        labels: i % 5 === 0 ? ["hot", "b"] : [],
      }, alice);
      if (i % 9 === 4) await app.tasks.archive(t.ref, alice);
    }
    // Rewritten rows move in PostgreSQL's heap and its indexes: their order there is no longer TASK-N's.
    for (let seq = 2; seq <= 48; seq += 3) {
      const p = (await app.tasks.show(`TASK-${seq}`)).priority;
      await app.tasks.update(`TASK-${seq}`, { priority: 5 }, alice);
      await app.tasks.update(`TASK-${seq}`, { priority: p }, alice);
    }
    const all = (await app.tasks.list({ include_archived: true, limit: 0 })).tasks;
    assert.equal(all.length, 48);
    const byId = new Map(all.map((t) => [t.id, t]));
    const ties = new Set(all.map((t) => t.created_at)).size;
    assert.ok(ties < 48, "some tasks share created_at");
    const cmp = (a: Task, b: Task) => a.priority - b.priority || b.created_at - a.created_at || a.seq - b.seq;
    for (const project of [undefined, "api"]) {
      const live = all.filter((t) => !t.archived_at && (!project || t.project?.alias === project));
      for (const order of ["asc", "desc"] as const) {
        const want = [...live].sort((a, b) => order === "asc" ? cmp(a, b) : cmp(b, a));
        for (const limit of [1, 4, 7, 50]) {
          for (const offset of [0, 3, 10, 40]) {
            const got = await app.tasks.list({ project, order, limit, offset });
            const slice = want.slice(offset, offset + limit);
            const what = `${project ?? "all"} ${order} limit ${limit} offset ${offset}`;
            assert.deepEqual(got.tasks.map((t) => t.ref), slice.map((t) => t.ref), what);
            assert.equal(got.page.total, live.length, what);
            for (const t of got.tasks) {
              assert.deepEqual(t.labels, byId.get(t.id)!.labels, `${what}: labels of ${t.ref}`);
            }
          }
        }
      }
    }
    const hot = (await app.tasks.list({ limit: 3 })).tasks.concat(await app.tasks.show("TASK-1"));
    assert.ok(hot.some((t) => t.labels?.map((l) => l.name).join() === "b,hot"));
  } finally {
    await app.close();
  }
});
