import assert from "node:assert/strict";
import { CLAIM_TX } from "../../src/db/repos/claims.ts";
import type { App } from "../../src/app.ts";
import { insertActivity } from "../../src/db/repos/activity.ts";
import { type ChangeEvent, ChangeFeed } from "../../src/services/events.ts";
import { alice, bot, within } from "../helpers/app.ts";
import { pgTest, withServers } from "../helpers/pg.ts";

/**
 * The change feed across servers on one PostgreSQL database: each App below is a separate store (its
 * own pool and listening connection), as two `backlog web` processes or a server and a CLI would be.
 */

/** A subscriber's events, with a bounded wait for the nth. */
function collector() {
  const got: ChangeEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    got,
    fn: (e: ChangeEvent) => {
      got.push(e);
      for (const w of waiters.filter((w) => got.length >= w.n)) w.resolve();
    },
    /** Resolves once n events arrived; fails (never hangs) after ms. */
    count(n: number, ms: number, what: string): Promise<void> {
      if (got.length >= n) return Promise.resolve();
      return within(new Promise<void>((resolve) => waiters.push({ n, resolve })), ms, what);
    },
  };
}

let next = 0;
/** Logs one activity row inside the caller's transaction (the write every service makes). */
async function logActivity(app: App, summary: string, createdAt = Date.now() * 1e6): Promise<string> {
  const id = `act-${++next}-${crypto.randomUUID()}`;
  await insertActivity(app.db, {
    id,
    entity: "project",
    entity_id: "p",
    action: "updated",
    summary,
    project_id: "",
    actor: bot,
    created_at: createdAt,
  });
  return id;
}

pgTest("a write through one server reaches a feed on another server within 1 s (NOTIFY)", async () => {
  await withServers(2, async ([writer, reader]) => {
    // No timer tick within the test: only the notification can wake this feed.
    const feed = new ChangeFeed(reader.db, { intervalMs: 60_000 });
    const c = collector();
    const stop = await feed.subscribe(c.fn);
    await writer.projects.create({ alias: "api", name: "API" }, alice);
    await c.count(1, 1000, "the other server's write");
    assert.equal(c.got[0].summary, 'Created project "API" (api)');
    assert.deepEqual(c.got[0].actor, alice);
    assert.equal(typeof c.got[0].seq, "number");
    assert.ok(c.got[0].seq > 0);
    // The feed's own server's writes arrive the same way, no poke() needed.
    await reader.projects.create({ alias: "web", name: "Web" }, bot);
    await c.count(2, 1000, "this server's own write");
    assert.ok(c.got[1].seq > c.got[0].seq);
    assert.equal(await feed.position(), c.got[1].seq);
    stop();
    feed.close();
  });
});

pgTest(
  "a transaction that commits late is not skipped by a subscriber resuming after a position",
  async () => {
    await withServers(3, async ([a, b, server]) => {
      const feed = new ChangeFeed(server.db, { intervalMs: 50 });
      const live = collector();
      const stop = await feed.subscribe(live.fn);

      // `early` writes its row first (an older created_at) and then stays open... (a claim's READ
      // COMMITTED transaction: other writes queue on the write lock, claims run alongside them)
      let release!: () => void;
      const gate = new Promise<void>((r) => release = r);
      let written!: () => void;
      const inserted = new Promise<void>((r) => written = r);
      const t0 = Date.now() * 1e6;
      const early = a.db.tx(async () => {
        await logActivity(a, "early", t0);
        written();
        await gate;
      }, CLAIM_TX);
      let lastEventId: number;
      try {
        await within(inserted, 5000, "the early transaction's insert");
        // ...while `prompt`, started later, commits first and is delivered.
        await within(
          b.db.tx(async () => void await logActivity(b, "prompt", t0 + 1e6)),
          5000,
          "the prompt commit",
        );
        await live.count(1, 2000, "the prompt commit's event");
        assert.deepEqual(live.got.map((e) => e.summary), ["prompt"]);
        lastEventId = live.got[0].seq; // a client that disconnects here
      } finally {
        release();
        await within(early, 5000, "the early transaction's commit");
      }
      await live.count(2, 2000, "the late commit");
      assert.deepEqual(live.got.map((e) => e.summary), ["prompt", "early"]);
      assert.ok(live.got[1].seq > lastEventId, "a late commit lands after everything already delivered");
      assert.ok(live.got[1].created_at < live.got[0].created_at, "it was written first");

      // The client reconnects with Last-Event-ID: the late commit is replayed, nothing else.
      const resumed: ChangeEvent[] = [];
      const stop2 = await feed.subscribe((e) => resumed.push(e), { after: lastEventId });
      assert.deepEqual(resumed.map((e) => e.summary), ["early"]);
      // A fresh feed on another server resumes the same way.
      const other = new ChangeFeed(a.db);
      const again: ChangeEvent[] = [];
      const stop3 = await other.subscribe((e) => again.push(e), { after: lastEventId });
      assert.deepEqual(again.map((e) => e.summary), ["early"]);
      stop();
      stop2();
      stop3();
      feed.close();
      other.close();
    });
  },
);

pgTest("concurrent writers on two servers: a feed delivers every commit once, in seq order", async () => {
  await withServers(3, async ([a, b, server]) => {
    const feed = new ChangeFeed(server.db, { intervalMs: 50 });
    const live = collector();
    const stop = await feed.subscribe(live.fn);
    const N = 24;
    await Promise.all(Array.from({ length: N }, (_, i) =>
      (i % 2 ? a : b).db.tx(async () => {
        await logActivity(i % 2 ? a : b, `w${i}`);
        // Some transactions stay open a while, so commits interleave with later starts.
        if (i % 3 === 0) await new Promise((r) => setTimeout(r, 5 + (i % 5) * 7));
        if (i % 4 === 0) await logActivity(i % 2 ? a : b, `w${i}b`);
      })));
    const total = N + Math.ceil(N / 4);
    await live.count(total, 5000, "every commit");
    const seqs = live.got.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "in seq order");
    assert.equal(new Set(live.got.map((e) => e.id)).size, total, "each once");
    const log = await server.db.all<{ id: string }>("SELECT id FROM activity_log ORDER BY seq");
    assert.deepEqual(live.got.map((e) => e.id), log.map((r) => r.id), "exactly the log, in its order");
    // Resuming from any delivered position gives exactly the rest.
    const mid = seqs[Math.floor(total / 2)];
    const rest: ChangeEvent[] = [];
    const stop2 = await feed.subscribe((e) => rest.push(e), { after: mid });
    assert.deepEqual(rest.map((e) => e.id), live.got.filter((e) => e.seq > mid).map((e) => e.id));
    stop();
    stop2();
    feed.close();
  });
});

pgTest("a write made while the listening connection was down is delivered once it is back", async () => {
  await withServers(2, async ([writer, reader]) => {
    // No timer tick within the test: only the listener (its notifications, its reconnect) wakes the feed.
    const feed = new ChangeFeed(reader.db, { intervalMs: 60_000 });
    const c = collector();
    const stop = await feed.subscribe(c.fn);
    const cut = await writer.db.all<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'backlog-listen'`,
    );
    assert.equal(cut.length, 1, "the reader's listening connection was cut");
    // Its NOTIFY finds no listener: the feed hears about the gap when the connection comes back.
    await writer.projects.create({ alias: "api", name: "API" }, alice);
    await c.count(1, 5000, "the write made during the outage");
    assert.deepEqual(c.got.map((e) => e.summary), ['Created project "API" (api)']);
    await writer.projects.create({ alias: "web", name: "Web" }, alice);
    await c.count(2, 2000, "a write after the reconnect");
    stop();
    feed.close();
  });
});
