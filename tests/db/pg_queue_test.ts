import assert from "node:assert/strict";
import type { Actor } from "../../src/domain/actor.ts";
import { AppError } from "../../src/domain/errors.ts";
import { alice, within } from "../helpers/app.ts";
import { pgTest, withServers } from "../helpers/pg.ts";
import { staleBlockers, staleCounts, staleTotals } from "../../src/db/repos/rank.ts";

const agent = (i: number): Actor => ({ kind: "ai", name: `agent-${i}` });
const WAIT_MS = 60_000;

pgTest(
  "16 concurrent next --claim on 16 servers each get a different ready task, in ranking order",
  async () => {
    await withServers(16, async (apps) => {
      const [a] = apps;
      await a.projects.create({ alias: "q", name: "Queue" }, alice);
      const refs: string[] = [];
      for (let i = 0; i < 20; i++) {
        const t = await a.tasks.create({ project: "q", title: `T${i}`, priority: 1 + (i % 5) }, alice);
        refs.push(t.ref);
      }
      const ranking = (await a.claims.queue({ limit: 20 })).tasks.map((t) => t.task.ref);
      const got = await within(
        Promise.all(apps.map((app, i) => app.claims.next({ claim: true }, agent(i)))),
        WAIT_MS,
        "16 concurrent claims",
      );
      const claimed = got.map((r) => r.task?.ref);
      assert.ok(claimed.every((r) => r !== undefined), "every caller got a task");
      assert.equal(new Set(claimed).size, 16, `distinct tasks: ${claimed.join(" ")}`);
      assert.equal(new Set(got.map((r) => r.token)).size, 16, "distinct tokens");
      // Serializable: whatever the interleaving, the 16 claimed are the head of the ranking.
      assert.deepEqual([...claimed].sort(), ranking.slice(0, 16).sort());
      for (const [i, r] of got.entries()) {
        const t = await a.tasks.getTask(r.task!.ref);
        assert.equal(t.status, "doing");
        assert.equal(t.assignee, agent(i).name);
      }
      const left = await a.claims.queue({ limit: 20 });
      assert.deepEqual(left.tasks.map((t) => t.task.ref), ranking.slice(16));
    });
  },
);

pgTest(
  "more claimers than ready tasks: each task is handed out once, the rest get none, nobody errors",
  async () => {
    await withServers(12, async (apps) => {
      const [a] = apps;
      await a.projects.create({ alias: "q", name: "Queue" }, alice);
      for (let i = 0; i < 5; i++) await a.tasks.create({ project: "q", title: `T${i}` }, alice);
      const got = await within(
        Promise.all(apps.map((app, i) => app.claims.next({ claim: true }, agent(i)))),
        WAIT_MS,
        "12 concurrent claims of 5 tasks",
      );
      const claimed = got.map((r) => r.task?.ref).filter((r) => r !== undefined);
      assert.equal(claimed.length, 5);
      assert.equal(new Set(claimed).size, 5);
      assert.equal((await a.claims.queue({})).page.total, 0);
    });
  },
);

pgTest(
  "one task claimed from 10 servers at once: exactly one claim wins, the others are conflicts",
  async () => {
    await withServers(10, async (apps) => {
      const [a] = apps;
      await a.projects.create({ alias: "q", name: "Queue" }, alice);
      const t = await a.tasks.create({ project: "q", title: "only one" }, alice);
      const out = await within(
        Promise.allSettled(apps.map((app, i) => app.claims.claim(t.ref, {}, agent(i)))),
        WAIT_MS,
        "10 concurrent claims of one task",
      );
      const won = out.filter((r) => r.status === "fulfilled");
      assert.equal(won.length, 1);
      for (const r of out) {
        if (r.status === "rejected") {
          assert.ok(r.reason instanceof AppError, String(r.reason));
          assert.equal(r.reason.code, "conflict", r.reason.message);
        }
      }
      const winner = (won[0] as PromiseFulfilledResult<{ token: string; task: { assignee?: string } }>).value;
      const now = await a.tasks.getTask(t.ref);
      assert.equal(now.assignee, winner.task.assignee);
      assert.equal(await a.tasks.claimTokenOf(t.id), winner.token);
      const logged = await a.db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM activity_log WHERE entity_id = ? AND action = 'claimed'",
        t.id,
      );
      assert.equal(logged?.n, 1, "one claim logged");
    });
  },
);

pgTest("30 concurrent creates on 5 servers get unique TASK-N, never a deleted one's", async () => {
  await withServers(5, async (apps) => {
    const [a] = apps;
    await a.projects.create({ alias: "q", name: "Queue" }, alice);
    const first = await a.tasks.create({ project: "q", title: "first" }, alice);
    const gone = await a.tasks.create({ project: "q", title: "deleted" }, alice);
    await a.tasks.delete(gone.ref, alice);
    const made = await within(
      Promise.all(
        Array.from(
          { length: 30 },
          (_, i) => apps[i % apps.length].tasks.create({ project: "q", title: `c${i}` }, alice),
        ),
      ),
      WAIT_MS,
      "30 concurrent creates",
    );
    const seqs = made.map((t) => t.seq).sort((x, y) => x - y);
    assert.equal(new Set(seqs).size, 30);
    assert.ok(!seqs.includes(first.seq) && !seqs.includes(gone.seq), `reused: ${seqs.join(",")}`);
    // Dense above the high-water mark: no number lost, none reused.
    assert.deepEqual(seqs, Array.from({ length: 30 }, (_, i) => gone.seq + 1 + i));
    const listed = (await a.tasks.list({ limit: 0 })).tasks.map((t) => t.seq).sort((x, y) => x - y);
    assert.deepEqual(listed, [first.seq, ...seqs]);
  });
});

pgTest("--expect-version holds across servers: of 8 writers expecting one version, one wins", async () => {
  await withServers(8, async (apps) => {
    const [a] = apps;
    await a.projects.create({ alias: "q", name: "Queue" }, alice);
    const t = await a.tasks.create({ project: "q", title: "v1" }, alice);
    const out = await within(
      Promise.allSettled(
        apps.map((app, i) =>
          app.tasks.update(t.ref, { title: `by ${i}` }, agent(i), { expectVersion: t.version })
        ),
      ),
      WAIT_MS,
      "8 concurrent guarded updates",
    );
    const won = out.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 1);
    for (const r of out) {
      if (r.status === "rejected") assert.equal((r.reason as AppError).code, "conflict", String(r.reason));
    }
    const now = await a.tasks.getTask(t.ref);
    assert.equal(now.version, t.version + 1);
    assert.equal(now.title, (won[0] as PromiseFulfilledResult<{ title: string }>).value.title);
  });
});

pgTest("opposite dependencies added on two servers at once never close a cycle", async () => {
  await withServers(2, async ([a, b]) => {
    await a.projects.create({ alias: "q", name: "Queue" }, alice);
    for (let round = 0; round < 5; round++) {
      const x = await a.tasks.create({ project: "q", title: `x${round}` }, alice);
      const y = await a.tasks.create({ project: "q", title: `y${round}` }, alice);
      const out = await within(
        Promise.allSettled([a.deps.add(x.ref, y.ref, alice), b.deps.add(y.ref, x.ref, alice)]),
        WAIT_MS,
        "two opposite dependency adds",
      );
      const failed = out.filter((r) => r.status === "rejected");
      assert.equal(failed.length, 1, `round ${round}: exactly one edge is refused`);
      assert.match(String((failed[0] as PromiseRejectedResult).reason), /would close a cycle/);
    }
    assert.deepEqual(await staleCounts(a.db), []);
    assert.deepEqual(await staleBlockers(a.db), []);
  });
});

pgTest(
  "random writes from 6 servers at once leave the stored ranking and totals equal to the graph",
  async () => {
    await withServers(6, async (apps) => {
      const [a] = apps;
      await a.projects.create({ alias: "q", name: "Queue" }, alice);
      const refs: string[] = [];
      for (let i = 0; i < 24; i++) {
        refs.push((await a.tasks.create({ project: "q", title: `t${i}` }, alice)).ref);
      }
      let s = 7;
      const rnd = (n: number) => (s = (s * 1103515245 + 12345) % 2147483648) % n;
      const ops = apps.map((app, i) => async () => {
        for (let k = 0; k < 12; k++) {
          const r = refs[rnd(refs.length)];
          const other = refs[rnd(refs.length)];
          try {
            switch (rnd(6)) {
              case 0:
              case 1:
                await app.deps.add(r, other, agent(i));
                break;
              case 2:
                await app.deps.remove(r, other, agent(i));
                break;
              case 3:
                await app.tasks.move(r, ["todo", "done"][rnd(2)], alice);
                break;
              case 4:
                await app.claims.next({ claim: true }, agent(i));
                break;
              default:
                await (rnd(2) ? app.tasks.archive(r, alice) : app.tasks.unarchive(r, alice));
            }
          } catch (e) {
            // Refusals (cycles, missing edges, claims) are answers; anything else fails the test.
            if (!(e instanceof AppError) || e.code === "internal") throw e;
          }
        }
      });
      await within(Promise.all(ops.map((op) => op())), WAIT_MS, "concurrent random writes");
      assert.deepEqual(await staleCounts(a.db), []);
      assert.deepEqual(await staleBlockers(a.db), []);
      assert.deepEqual(await staleTotals(a.db), []);
    });
  },
);

pgTest("12 servers claiming and releasing in a loop never see a conflict or a busy database", async () => {
  await withServers(12, async (apps) => {
    const [a] = apps;
    await a.projects.create({ alias: "q", name: "Queue" }, alice);
    for (let i = 0; i < 30; i++) {
      await a.tasks.create({ project: "q", title: `T${i}`, priority: 1 + (i % 5) }, alice);
    }
    const held = new Set<string>();
    await within(
      Promise.all(apps.map(async (app, i) => {
        for (let k = 0; k < 6; k++) {
          const r = await app.claims.next({ claim: true }, agent(i));
          assert.ok(r.task, "a ready task remains for every caller");
          assert.ok(!held.has(r.task.ref), `${r.task.ref} handed out while held`);
          held.add(r.task.ref);
          held.delete(r.task.ref); // before the release commits: another server may take it at once
          await app.claims.release(r.task.ref, { token: r.token }, agent(i));
        }
      })),
      WAIT_MS,
      "claim/release loops",
    );
    assert.equal((await a.claims.queue({})).page.total, 30);
    assert.deepEqual(await staleTotals(a.db), []);
  });
});
