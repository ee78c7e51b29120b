import assert from "node:assert/strict";
import { openApp } from "../../src/app.ts";
import { AppError } from "../../src/domain/errors.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { staleBlockers, staleCounts } from "../../src/db/repos/rank.ts";
import { importWorkspace } from "../../src/services/interchange/import_db.ts";
import { alice, bot, openTestApp } from "../helpers/app.ts";

/**
 * The stored ranking (tasks.unblocks, kept current by every write) must order the queue exactly as
 * a straightforward reference computed from scratch: priority, open tasks unblocked transitively
 * (through open tasks), age, TASK-N. Random graphs and random writes, compared after every step.
 */

type App = Awaited<ReturnType<typeof openApp>>;
interface Row {
  id: string;
  seq: number;
  status: string;
  priority: number;
  archived: boolean;
  created_at: number;
  expired: boolean;
}

async function reference(app: App, now: number): Promise<string[]> {
  const tasks = await app.db.all<Row>(
    `SELECT id, task_seq AS seq, status, priority, archived_at IS NOT NULL AS archived, created_at,
       (status = 'doing' AND claim_token <> '' AND lease_expires_at IS NOT NULL AND lease_expires_at <= ?)
       AS expired FROM tasks`,
    BigInt(now),
  );
  const edges = await app.db.all<{ task_id: string; blocked_by: string }>(
    "SELECT task_id, blocked_by FROM task_deps",
  );
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const open = (id: string) => {
    const t = byId.get(id)!;
    return t.status !== "done" && !t.archived;
  };
  const dependents = new Map<string, string[]>();
  const blockers = new Map<string, string[]>();
  for (const e of edges) {
    dependents.set(e.blocked_by, [...dependents.get(e.blocked_by) ?? [], e.task_id]);
    blockers.set(e.task_id, [...blockers.get(e.task_id) ?? [], e.blocked_by]);
  }
  const unblocks = (id: string) => {
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length) {
      for (const d of dependents.get(stack.pop()!) ?? []) {
        if (open(d) && !seen.has(d)) (seen.add(d), stack.push(d));
      }
    }
    return seen.size;
  };
  return tasks
    .filter((t) => !t.archived && (t.status === "todo" || t.expired))
    .filter((t) => !(blockers.get(t.id) ?? []).some(open))
    .map((t) => ({ ...t, u: unblocks(t.id) }))
    .sort((a, b) => a.priority - b.priority || b.u - a.u || a.created_at - b.created_at || a.seq - b.seq)
    .map((t) => `TASK-${t.seq}:${t.u}`);
}

async function ranked(app: App): Promise<string[]> {
  const out: string[] = [];
  for (let offset = 0;; offset += 500) {
    const p = await app.claims.queue({ limit: 500, offset });
    out.push(...p.tasks.map((t) => `${t.task.ref}:${t.explain.unblocks}`));
    if (!p.page.has_more) return out;
  }
}

async function setup(seed: number) {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const app = await openTestApp({ clock: () => now });
  await app.projects.create({ alias: "a", name: "A" }, alice);
  await app.projects.create({ alias: "b", name: "B" }, alice);
  return { app, rnd, tick: (ns = 1e6) => void (now += ns), now: () => now };
}

const attempt = async (fn: () => unknown) => {
  try {
    await fn();
    return true;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return false;
  }
};

async function check(app: App, now: number, what: string) {
  assert.deepEqual(await ranked(app), await reference(app, now), `after ${what}`);
  assert.deepEqual(await staleCounts(app.db), [], `stored counts after ${what}`);
  assert.deepEqual(await staleBlockers(app.db), [], `stored blocker counts after ${what}`);
  // Page totals read from task_counts (kept by triggers) equal a real count.
  const actual = await app.db.all(
    `SELECT project_id, status, CASE WHEN archived_at IS NOT NULL THEN 1 ELSE 0 END AS archived,
       COUNT(*) AS n FROM tasks
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  const stored = await app.db.all(
    `SELECT project_id, status, archived, SUM(n) AS n FROM task_counts GROUP BY 1, 2, 3
     HAVING SUM(n) <> 0 ORDER BY 1, 2, 3`,
  );
  assert.deepEqual(stored, actual, `task_counts after ${what}`);
  for (
    const q of [{ project: "a" }, { status: ["todo"] }, { include_archived: true }, { archived_only: true }]
  ) {
    const all = (await app.tasks.list({ ...q, limit: 0 })).tasks.length;
    assert.equal((await app.tasks.list({ ...q, limit: 1 })).page.total, all, `total of ${JSON.stringify(q)}`);
  }
  const head = (await reference(app, now))[0]?.split(":")[0];
  assert.equal((await app.claims.next({}, bot)).task?.ref, head, `next after ${what}`);
}

Deno.test("the stored ranking and page totals equal a from-scratch reference on random graphs under random writes", async () => {
  for (let round = 0; round < 12; round++) {
    const { app, rnd, tick, now } = await setup(round + 1);
    const n = 25 + round * 3;
    const ref = () => `TASK-${1 + Math.floor(rnd() * n)}`;
    for (let i = 0; i < n; i++) {
      await app.tasks.create({
        project: rnd() < 0.8 ? "a" : "b",
        title: `T${i}`,
        priority: 1 + Math.floor(rnd() * 3),
      }, alice);
      if (rnd() < 0.3) tick(); // some tasks share a creation time: TASK-N breaks the tie
    }
    let refused = 0;
    for (let i = 0; i < n * 1.5; i++) {
      if (!await attempt(async () => await app.deps.add(ref(), ref(), alice))) refused++;
    }
    assert.ok(refused > 0, "some edges were refused (self or cycle)");
    await check(app, now(), "seeding");
    const ops: [string, () => unknown][] = [
      ["dep add", async () => await app.deps.add(ref(), ref(), alice)],
      ["dep rm", async () => {
        const e = await app.db.get<{ a: number; b: number }>(
          `SELECT t.task_seq AS a, b.task_seq AS b FROM task_deps d JOIN tasks t ON t.id = d.task_id
           JOIN tasks b ON b.id = d.blocked_by ORDER BY d.task_id, d.blocked_by LIMIT 1 OFFSET ?`,
          Math.floor(rnd() * 5),
        );
        if (e) await app.deps.remove(`TASK-${e.a}`, `TASK-${e.b}`, alice);
      }],
      ["done", async () => await app.tasks.move(ref(), "done", alice)],
      ["reopen", async () => await app.tasks.move(ref(), "todo", alice)],
      ["doing", async () => await app.tasks.move(ref(), "doing", alice)],
      ["archive", async () => await app.tasks.archive(ref(), alice)],
      ["unarchive", async () => await app.tasks.unarchive(ref(), alice)],
      ["delete", async () => await app.tasks.delete(ref(), alice)],
      ["claim", async () => await app.claims.claim(ref(), { lease: 2e9 }, bot)],
      ["next --claim", async () => await app.claims.next({ claim: true, lease: 3e9 }, bot)],
      ["release", async () => await app.claims.release(ref(), {}, bot)],
      ["lease expiry", () => tick(5e9)],
      ["priority", async () => await app.tasks.update(ref(), { priority: 1 + Math.floor(rnd() * 3) }, alice)],
    ];
    for (let step = 0; step < 60; step++) {
      const [what, fn] = ops[Math.floor(rnd() * ops.length)];
      await attempt(fn);
      tick();
      await check(app, now(), what);
    }
    await app.close();
  }
});

Deno.test("ranking: diamonds count a shared task once, long chains count every open link", async () => {
  const { app, now } = await setup(1);
  const add = async (title: string, priority = 2) =>
    (await app.tasks.create({ project: "a", title, priority }, alice)).ref;
  // Diamond: R ← L, R ← M (L and M wait on R), L ← X, M ← X: R unblocks L, M and X (3, not 4).
  const [r, l, m, x] = [
    await add("R"),
    await add("L"),
    await add("M"),
    await add("X"),
  ];
  await app.deps.add(l, r, alice);
  await app.deps.add(m, r, alice);
  await app.deps.add(x, l, alice);
  await app.deps.add(x, m, alice);
  // A chain of 30 behind C0.
  const chain: string[] = [];
  for (let i = 0; i < 30; i++) chain.push(await add(`C${i}`));
  for (let i = 1; i < chain.length; i++) await app.deps.add(chain[i], chain[i - 1], alice);
  await check(app, now(), "building");
  assert.deepEqual((await ranked(app)).slice(0, 2), [`${chain[0]}:29`, `${r}:3`]);
  // Closing a link in the middle shortens what the head unblocks (closed tasks are not walked
  // through) and makes the next link ready.
  await app.tasks.move(chain[10], "done", alice);
  await check(app, now(), "closing a middle link");
  assert.deepEqual((await ranked(app)).slice(0, 3), [`${chain[11]}:18`, `${chain[0]}:9`, `${r}:3`]);
  await app.tasks.move(chain[10], "todo", alice);
  await check(app, now(), "reopening it");
  // A cycle through the diamond is refused and changes nothing.
  assert.equal(await attempt(async () => await app.deps.add(r, x, alice)), false);
  await check(app, now(), "a refused cycle");
  // Deleting a project removes its tasks from the counts of other projects' tasks.
  const other = (await app.tasks.create({ project: "b", title: "B1" }, alice)).ref;
  await app.deps.add(other, r, alice);
  await check(app, now(), "a cross-project edge");
  await app.projects.archive("b", alice);
  await app.projects.delete("b", alice);
  await check(app, now(), "deleting a project");
  await app.close();
});

Deno.test("ranking: a task blocked by two blockers that close at the same moment becomes ready once", async () => {
  const { app, now } = await setup(2);
  const add = async (title: string) =>
    (await app.tasks.create({ project: "a", title, priority: 1 }, alice)).ref;
  const [a, b, w, top] = [
    await add("A"),
    await add("B"),
    await add("W"),
    await add("Top"),
  ];
  await app.deps.add(w, a, alice);
  await app.deps.add(w, b, alice);
  await app.deps.add(top, w, alice);
  await check(app, now(), "setup");
  assert.deepEqual(await ranked(app), [`${a}:2`, `${b}:2`]);
  // Same clock value for both closes, in one transaction.
  await app.db.tx(async () => {
    await app.tasks.move(a, "done", alice);
    await app.tasks.move(b, "done", alice);
  });
  await check(app, now(), "both blockers closed at once");
  assert.deepEqual(await ranked(app), [`${w}:1`]);
  const c = await app.claims.next({ claim: true }, bot as Actor);
  assert.equal(c.task?.ref, w);
  await app.close();
});

Deno.test("ranking: an imported workspace's dependencies are counted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rank-import-" });
  try {
    const src = await openApp({ dbPath: `${dir}/src.db` });
    await src.projects.create({ alias: "a", name: "A" }, alice);
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) {
      refs.push((await src.tasks.create({ project: "a", title: `S${i}` }, alice)).ref);
    }
    for (let i = 1; i < refs.length; i++) await src.deps.add(refs[i], refs[i - 1], alice);
    await src.close();
    const { app, now } = await setup(3);
    await app.tasks.create({ project: "a", title: "here first" }, alice);
    await importWorkspace(app, `${dir}/src.db`, {}, alice);
    await check(app, now(), "an import");
    assert.equal((await ranked(app))[0].split(":")[1], "4");
    await app.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
