import assert from "node:assert/strict";
import { alice, TEST_ENGINE, testApp } from "../helpers/app.ts";
import { countTasks, listTaskRows, type TaskFilter } from "../../src/db/repos/tasks.ts";
import { SEARCH_PAGE_LIMITS, searchPage } from "../../src/db/repos/search.ts";
import type { TaskListQuery } from "../../src/services/tasks.ts";
import { rng } from "../../scripts/fuzz_gen.ts";

const WORDS = ["alpha", "alpine", "beta", "gamma", "delta", "upload", "update", "uplink", "cache"];
const QUERIES = [
  "alp*",
  "up*",
  "upl*",
  "upload",
  "alpha OR beta",
  '"alpha beta"',
  "gamma",
  "title:delta",
  "zzz",
  "a*",
];

Deno.test("search pages read through the list index equal the straightforward statement, totals too", async () => {
  const app = await testApp();
  const api = await app.projects.create({ alias: "api", name: "API" }, alice);
  const web = await app.projects.create({ alias: "web", name: "Web" }, alice);
  const rnd = rng(20260101).next; // seeded, so a failure names a case that can be replayed
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  for (let i = 0; i < 160; i++) {
    const t = await app.tasks.create({
      project: rnd() < 0.75 ? "api" : "web",
      title: `${words(1 + Math.floor(rnd() * 3))} ${i}`,
      description: words(Math.floor(rnd() * 4)),
      priority: 1 + Math.floor(rnd() * 5),
      labels: rnd() < 0.2 ? ["hot"] : [],
    }, alice);
    if (rnd() < 0.3) await app.tasks.move(t.ref, pick(["doing", "done"]), alice);
    if (rnd() < 0.15) await app.tasks.archive(t.ref, alice);
  }
  const filters: TaskFilter[] = [
    {},
    { project_id: api.id },
    { project_id: web.id },
    { archived_only: true },
    { include_archived: true },
    { include_archived: true, project_id: web.id },
    { archived_only: true, project_id: api.id },
    { status: ["todo"] },
    { labels: ["hot"] },
    { status: ["todo", "doing"], project_id: api.id },
  ];
  const small = { dense: 5, depth: 1000, batch: [4, 16] as [number, number], candidates: 200, rounds: 3 };
  // PostgreSQL serves a search with few matches itself (from their ids): no "sparse" answer there.
  const seen: Record<string, number> = { total: 0, exhausted: 0, counted: 0, dense: 0 };
  if (TEST_ENGINE === "sqlite") seen.sparse = 0;
  const db = app.db;
  for (let i = 0; i < 400; i++) {
    const f: TaskFilter = { ...pick(filters), fts: pick(QUERIES) };
    const o = {
      sort: pick(["priority", "priority", "priority", "seq", "title", "updated"]),
      order: pick(["asc", "desc"] as const),
      limit: pick([1, 3, 10, 50]),
      offset: pick([0, 0, 2, 7, 30, 200]),
    };
    const lim = i % 4 === 3 ? SEARCH_PAGE_LIMITS : small;
    const what = `case ${i}: ${JSON.stringify({ f, o, lim: lim === small ? "small" : "default" })}`;
    const ids = async (dense: boolean) =>
      (await listTaskRows(db, { ...f, fts_dense: dense }, o)).map((r) => r.id);
    const want = await ids(true);
    assert.deepEqual(await ids(false), want, `the two plans differ, ${what}`);
    const total = await countTasks(db, f);
    const r = await searchPage(db, f, o, lim);
    if ("dense" in r) {
      const all = await countTasks(db, { fts: f.fts, include_archived: true });
      assert.equal(r.dense, all >= lim.dense, what);
      assert.ok(r.dense || TEST_ENGINE === "sqlite", `a sparse answer on PostgreSQL, ${what}`);
      seen[r.dense ? "dense" : "sparse"]++;
      continue;
    }
    assert.deepEqual(r.rows.map((x) => x.id), want, what);
    if (r.total === undefined) assert.equal(r.rows.length, o.limit, `no total for a short page, ${what}`);
    else assert.equal(r.total, total, what);
    seen[r.total === undefined ? "counted" : r.rows.length < o.limit ? "exhausted" : "total"]++;
  }
  // Every way out of searchPage was taken (the cases are seeded, so this is deterministic).
  for (const [k, n] of Object.entries(seen)) assert.ok(n > 0, `no case ended ${k}: ${JSON.stringify(seen)}`);

  // And through the service, which decides the plan and the total itself.
  const cases: [TaskListQuery, TaskFilter][] = [
    [{}, {}],
    [{ project: "api" }, { project_id: api.id }],
    [{ archived_only: true }, { archived_only: true }],
    [{ limit: 5, offset: 3 }, {}],
  ];
  for (const search of QUERIES) {
    for (const [q, filter] of cases) {
      const f = { ...filter, fts: search };
      const o = { sort: "priority", order: "asc" as const, limit: q.limit ?? 50, offset: q.offset ?? 0 };
      const { tasks, page } = await app.tasks.list({ ...q, search });
      const what = `${search} ${JSON.stringify(q)}`;
      assert.deepEqual(tasks.map((t) => t.id), (await listTaskRows(db, f, o)).map((r) => r.id), what);
      assert.equal(page.total, await countTasks(db, f), what);
    }
  }
  await app.close();
});
