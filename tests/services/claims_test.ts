import assert from "node:assert/strict";
import type { Actor } from "../../src/domain/actor.ts";
import { DEFAULT_LEASE } from "../../src/services/claims.ts";
import { CLI_HINTS } from "../../src/cli/hints.ts";
import { alice, appError, bot, openTestApp } from "../helpers/app.ts";

const carol: Actor = { kind: "ai", name: "carol" };
const MIN = 60e9;

/** An app whose clock moves 1 ms per read and jumps on `advance`. */
async function setup() {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  const add = async (title: string, extra: Record<string, unknown> = {}) =>
    await app.tasks.create({ project: "api", title, ...extra }, alice);
  return { app, add, advance: (ns: number) => void (now += ns), now: () => now };
}

const actions = async (app: Awaited<ReturnType<typeof setup>>["app"], id: string) =>
  (await app.activity.list({ entity_id: id, oldest_first: true, limit: 0 })).events.map((
    e,
  ) => [e.action, e.summary]);

Deno.test("claim takes a todo task: doing, assignee, token, 30m lease, version bump, two activity rows", async () => {
  const { app, add } = await setup();
  const t = await add("Fix login");
  const c = await app.claims.claim("TASK-1", {}, bot);
  assert.equal(c.task.status, "doing");
  assert.equal(c.task.assignee, "claude");
  assert.match(c.token, /^[0-9a-f]{32}$/);
  assert.equal(c.task.version, t.version + 1);
  assert.equal(c.task.lease_expires_at, c.lease_expires_at);
  assert.ok(Math.abs(c.lease_expires_at - c.task.updated_at - DEFAULT_LEASE) < 10e6);
  const log = await actions(app, t.id);
  assert.deepEqual(log[1], ["status_changed", 'Changed status of TASK-1 "Fix login" from todo to doing']);
  assert.equal(log[2][0], "claimed");
  assert.match(log[2][1], /^Claimed TASK-1 "Fix login" until 2026-01-01 00:30:00 UTC$/);
});

Deno.test("a second claimant gets a conflict naming the holder and the expiry, with the current task", async () => {
  const { app, add } = await setup();
  await add("A");
  await app.claims.claim("TASK-1", { lease: 10 * MIN }, bot);
  const e = await appError(async () => await app.claims.claim("TASK-1", {}, carol));
  assert.equal(e.code, "conflict");
  assert.equal(e.exitCode, 4);
  assert.match(e.message, /^TASK-1 is claimed by ai:claude until 2026-01-01 00:10:00 UTC$/);
  assert.equal((e.details?.current as { assignee: string }).assignee, "claude");
});

Deno.test("the same actor may claim again and gets a new token that supersedes the old one", async () => {
  const { app, add } = await setup();
  await add("A");
  const first = await app.claims.claim("TASK-1", {}, bot);
  const second = await app.claims.claim("TASK-1", {}, bot);
  assert.notEqual(first.token, second.token);
  const e = await appError(async () =>
    await app.tasks.move("TASK-1", "done", bot, { claimToken: first.token })
  );
  assert.equal(e.code, "conflict");
  const done = await app.tasks.move("TASK-1", "done", bot, { claimToken: second.token });
  assert.equal(done.status, "done");
  assert.equal(done.lease_expires_at, undefined);
});

Deno.test("an expired lease is reclaimable by anyone, logged, and the old token stops working", async () => {
  const { app, add, advance } = await setup();
  const t = await add("A");
  const old = await app.claims.claim("TASK-1", { lease: 2e9 }, bot);
  assert.equal((await appError(async () => await app.claims.claim("TASK-1", {}, carol))).code, "conflict");
  advance(3e9);
  const fresh = await app.claims.claim("TASK-1", {}, carol);
  assert.equal(fresh.task.assignee, "carol");
  const log = await actions(app, t.id);
  const expired = log.find(([a]) => a === "lease_expired");
  assert.ok(expired);
  assert.match(expired[1], /^Lease of ai:claude on TASK-1 "A" expired at 2026-01-01 00:00:02 UTC$/);
  assert.equal(log.filter(([a]) => a === "status_changed").length, 1, "doing → doing is not a status change");
  assert.equal(
    (await appError(async () => await app.tasks.move("TASK-1", "done", bot, { claimToken: old.token }))).code,
    "conflict",
  );
  assert.equal(
    (await appError(async () => await app.claims.release("TASK-1", { token: old.token }, bot))).code,
    "conflict",
  );
  assert.equal(
    (await appError(async () => await app.claims.renew("TASK-1", { token: old.token }, bot))).code,
    "conflict",
  );
});

Deno.test("done and archived tasks cannot be claimed; unknown refs are not found", async () => {
  const { app, add } = await setup();
  await add("A", { status: "done" });
  await add("B");
  await app.tasks.archive("TASK-2", alice);
  assert.match(
    (await appError(async () => await app.claims.claim("TASK-1", {}, bot))).message,
    /TASK-1 is already done/,
  );
  assert.match(
    (await appError(async () => await app.claims.claim("TASK-2", {}, bot))).message,
    /TASK-2 is archived/,
  );
  assert.equal((await appError(async () => await app.claims.claim("TASK-9", {}, bot))).code, "not_found");
});

Deno.test("a task moved to doing by hand is not claimable by someone else", async () => {
  const { app, add } = await setup();
  await add("A", { assignee: "bob" });
  await app.tasks.move("TASK-1", "doing", alice);
  const e = await appError(async () => await app.claims.claim("TASK-1", {}, bot));
  assert.equal(e.code, "conflict");
  assert.match(e.message, /claimed by bob \(doing, without a lease\)/);
  assert.match(
    e.hintIn(CLI_HINTS) ?? "",
    /backlog task move TASK-1 --status todo/,
    "no lease will expire: the way out is named",
  );
  const r = await appError(async () => await app.claims.release("TASK-1", { force: true }, alice));
  assert.match(r.message, /TASK-1 is not claimed \(status doing\)/);
  assert.match(r.hintIn(CLI_HINTS) ?? "", /backlog task move TASK-1 --status todo/);
  assert.equal((await app.claims.claim("TASK-1", {}, { kind: "human", name: "bob" })).task.assignee, "bob");
});

Deno.test("lease must be positive and at most 7 days", async () => {
  const { app, add } = await setup();
  await add("A");
  assert.equal(
    (await appError(async () => await app.claims.claim("TASK-1", { lease: 0 }, bot))).code,
    "invalid",
  );
  assert.equal(
    (await appError(async () => await app.claims.claim("TASK-1", { lease: -5 }, bot))).code,
    "invalid",
  );
  assert.match(
    (await appError(async () => await app.claims.claim("TASK-1", { lease: 8 * 86400e9 }, bot))).message,
    /^lease: 8.0d is longer than the maximum of 7d$/,
  );
});

Deno.test("renew extends the holder's lease by token or by name, and refuses others", async () => {
  const { app, add, advance } = await setup();
  await add("A");
  const c = await app.claims.claim("TASK-1", { lease: 5 * MIN }, bot);
  advance(4 * MIN);
  const r = await app.claims.renew("TASK-1", { lease: 5 * MIN }, bot);
  assert.equal(r.token, c.token);
  assert.ok(r.lease_expires_at > c.lease_expires_at);
  assert.equal(
    (await app.claims.renew("TASK-1", { token: c.token }, carol)).token,
    c.token,
    "the token is the proof",
  );
  assert.match(
    (await appError(async () => await app.claims.renew("TASK-1", {}, carol))).message,
    /claimed by ai:claude, not ai:carol/,
  );
  assert.equal(
    (await appError(async () => await app.claims.renew("TASK-1", { token: "nope" }, bot))).code,
    "conflict",
  );
  await add("B");
  assert.match(
    (await appError(async () => await app.claims.renew("TASK-2", {}, bot))).message,
    /TASK-2 is not claimed/,
  );
  const renewed = (await app.activity.list({ limit: 0, oldest_first: true })).events.find((e) =>
    e.action === "renewed"
  );
  assert.match(renewed?.summary ?? "", /^Renewed claim on TASK-1 "A" until 2026-01-01 00:09:00 UTC$/);
});

Deno.test("release gives the task back to the queue: todo, unassigned, claim cleared", async () => {
  const { app, add } = await setup();
  const t = await add("A");
  const c = await app.claims.claim("TASK-1", {}, bot);
  assert.equal((await appError(async () => await app.claims.release("TASK-1", {}, carol))).code, "conflict");
  const { task } = await app.claims.release("TASK-1", { token: c.token }, bot);
  assert.equal(task.status, "todo");
  assert.equal(task.assignee, undefined);
  assert.equal(task.lease_expires_at, undefined);
  assert.equal(await app.tasks.claimTokenOf(t.id), "");
  const log = (await actions(app, t.id)).slice(-2);
  assert.deepEqual(log, [
    ["released", 'Released claim on TASK-1 "A"'],
    ["status_changed", 'Changed status of TASK-1 "A" from doing to todo'],
  ]);
  assert.equal((await app.claims.claim("TASK-1", {}, carol)).task.assignee, "carol");
});

Deno.test("next ranks by priority, then open tasks unblocked transitively, then age", async () => {
  const { app, add } = await setup();
  await add("old P3"); // TASK-1
  await add("P2 leaf", { priority: 2 }); // TASK-2
  await add("P2 root", { priority: 2 }); // TASK-3: unblocks 4 and, through it, 5
  await add("mid", { priority: 2 }); // TASK-4
  await add("end"); // TASK-5
  await app.deps.add("TASK-4", "TASK-3", alice);
  await app.deps.add("TASK-5", "TASK-4", alice);
  assert.equal((await app.claims.next({}, bot)).task?.ref, "TASK-3");
  await app.tasks.update("TASK-2", { priority: 1 }, alice);
  assert.equal((await app.claims.next({}, bot)).task?.ref, "TASK-2");
  await app.tasks.update("TASK-2", { priority: 3 }, alice);
  const r = await app.claims.next({ explain: true }, bot);
  assert.deepEqual(r.candidates?.map((c) => [c.ref, c.unblocks]), [["TASK-3", 2], ["TASK-1", 0], [
    "TASK-2",
    0,
  ]]);
  assert.match(r.explain![0], /^picked TASK-3 "P2 root": P2, unblocks 2 open tasks/);
  assert.ok(r.explain!.some((l) => /skipped 2 blocked tasks: TASK-4 waits on TASK-3/.test(l)));
  assert.ok(r.explain!.some((l) => /then TASK-1 "old P3": P3, lower priority than TASK-3 \(P2\)/.test(l)));
  assert.ok(
    r.explain!.some((l) => /then TASK-2 "P2 leaf": P3, unblocks 0, created after TASK-1/.test(l)),
    "equal priority and unblocks: older first",
  );
});

Deno.test("next never hands out a blocked task and claims in the same call", async () => {
  const { app, add } = await setup();
  await add("blocker", { priority: 5 });
  await add("urgent but blocked", { priority: 1 });
  await app.deps.add("TASK-2", "TASK-1", alice);
  const first = await app.claims.next({ claim: true }, bot);
  assert.equal(first.task?.ref, "TASK-1");
  assert.equal(first.task?.status, "doing");
  assert.ok(first.token);
  const none = await app.claims.next({ claim: true, explain: true }, carol);
  assert.equal(none.task, null);
  assert.match(none.explain![0], /^no ready task/);
  assert.ok(none.explain!.some((l) => /skipped 1 task in progress under a live claim/.test(l)));
  await app.tasks.move("TASK-1", "done", bot, { claimToken: first.token });
  assert.equal((await app.claims.next({ claim: true }, carol)).task?.ref, "TASK-2");
});

Deno.test("next filters by project, type and label, and picks up expired leases", async () => {
  const { app, add, advance } = await setup();
  await add("api task");
  await add("api bug", { type: "bug", labels: ["auth"] });
  await app.tasks.create({ project: "web", title: "web task", priority: 1 }, alice);
  assert.equal((await app.claims.next({}, bot)).task?.ref, "TASK-3");
  assert.equal((await app.claims.next({ project: "api" }, bot)).task?.ref, "TASK-1");
  assert.equal((await app.claims.next({ type: "bug" }, bot)).task?.ref, "TASK-2");
  assert.equal((await app.claims.next({ label: ["auth"] }, bot)).task?.ref, "TASK-2");
  assert.equal((await app.claims.next({ project: "web", type: "bug" }, bot)).task, null);
  assert.equal((await appError(async () => await app.claims.next({ type: "epic" }, bot))).code, "invalid");
  assert.equal(
    (await appError(async () => await app.claims.next({ project: "nope" }, bot))).code,
    "not_found",
  );
  const held = await app.claims.next({ claim: true, lease: 1e9 }, bot);
  assert.equal(held.task?.ref, "TASK-3");
  assert.equal((await app.claims.next({ project: "web" }, carol)).task, null);
  advance(2e9);
  const again = await app.claims.next({ project: "web", claim: true, explain: true }, carol);
  assert.equal(again.task?.ref, "TASK-3");
  assert.equal(again.task?.assignee, "carol");
  assert.match(again.explain![0], /its lease \(held by claude\) expired at/);
});

Deno.test("next without claim writes nothing", async () => {
  const { app, add } = await setup();
  await add("A");
  const before = await app.activity.cursor();
  assert.equal((await app.claims.next({}, bot)).task?.status, "todo");
  assert.equal(await app.activity.cursor(), before);
});

Deno.test("next's single pick always equals the head of the full ranking", async () => {
  for (let round = 0; round < 20; round++) {
    const { app, add, advance } = await setup();
    const n = 30;
    for (let i = 1; i <= n; i++) {
      await add(`T${i}`, { priority: 1 + Math.floor(Math.random() * 3), type: i % 2 ? "bug" : "task" });
    }
    for (let i = 2; i <= n; i++) {
      if (Math.random() < 0.4) {
        await app.deps.add(`TASK-${i}`, `TASK-${1 + Math.floor(Math.random() * (i - 1))}`, alice);
      }
    }
    for (let i = 0; i < 8; i++) {
      try {
        await app.claims.claim(`TASK-${1 + Math.floor(Math.random() * n)}`, { lease: (1 + i) * 1e9 }, bot);
      } catch { /* blocked or already held: fine */ }
    }
    advance(4e9);
    for (const q of [{}, { type: "bug" }]) {
      const full = (await app.claims.next({ ...q, explain: true }, carol)).candidates?.[0]?.ref;
      assert.equal((await app.claims.next(q, carol)).task?.ref, full);
    }
  }
});

Deno.test("a blocked task cannot be claimed until its blockers are done", async () => {
  const { app, add } = await setup();
  await add("A");
  await add("B");
  await add("C");
  await app.deps.add("TASK-1", "TASK-2", alice);
  await app.deps.add("TASK-1", "TASK-3", alice);
  const e = await appError(async () => await app.claims.claim("TASK-1", {}, bot));
  assert.equal(e.code, "conflict");
  assert.equal(e.message, "TASK-1 is blocked by TASK-2, TASK-3");
  await app.tasks.move("TASK-2", "done", alice);
  await app.tasks.archive("TASK-3", alice);
  assert.equal((await app.claims.claim("TASK-1", {}, bot)).task.status, "doing");
});
