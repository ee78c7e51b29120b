/**
 * A transaction never carries another flow's statements. One PgStore opened as a server opens it
 * (AsyncLocalStorage, a small pool reused constantly) runs many concurrent flows — read-only,
 * SERIALIZABLE and READ COMMITTED (claim-style) transactions, savepoints and dry runs, autocommit
 * statements, flows that throw mid-transaction, work left floating past a transaction's end — with
 * small awaits of every kind between statements. Each transaction tags its session
 * (`set_config(..., true)`) and checks on every later statement that it still sees its own tag;
 * every acknowledged write must be there exactly once, every failed one absent. Then two servers
 * take mixed concurrent requests (creates, comments, claims, done, list, show) with event streams
 * open, and a request handed to a server inside a transaction's async context (as Deno.serve's fast
 * path can) must still run on its own.
 */
import assert from "node:assert/strict";
import { openPgStore } from "../../src/db/pg/open.ts";
import type { PgStore } from "../../src/db/pg/store.ts";
import { Gate } from "../../src/db/pg/gate.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { inServerContext, startServer } from "../../src/http/server.ts";
import { pgTest, withPgDatabase, withServers } from "../helpers/pg.ts";
import { within } from "../helpers/app.ts";
import { rng } from "../../scripts/fuzz_gen.ts";

const FLOWS = 16;
const STEPS = 30;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Boom extends Error {}

interface Hammer {
  db: PgStore;
  /** Statements that saw a tag not their own. */
  joins: string[];
  /** Tags whose rows were acknowledged (must be there once) or failed (must be absent). */
  kept: string[];
  gone: string[];
  /** Each flow's current operation, for the others to await. */
  inflight: Promise<unknown>[];
  gate: Gate;
}

/** A small await of one kind or another, chosen by rnd. */
async function pause(h: Hammer, rnd: () => number): Promise<void> {
  const k = Math.floor(rnd() * 6);
  if (k === 0) return;
  if (k === 1) return void await null;
  if (k === 2) return await sleep(Math.floor(rnd() * 3));
  if (k === 3) {
    // Another flow's promise (whatever context made it), bounded by a timer.
    const other = h.inflight[Math.floor(rnd() * h.inflight.length)];
    return void await Promise.race([other?.catch(() => {}), sleep(1)]);
  }
  if (k === 4) {
    await h.gate.enter();
    await null;
    return h.gate.leave();
  }
  await new Promise<void>((r) => queueMicrotask(r));
}

/** The tag this session's transaction carries ("" outside one). */
async function tagOf(db: PgStore): Promise<string> {
  return (await db.get<{ t: string | null }>("SELECT current_setting('backlog.tag', true) AS t"))?.t ?? "";
}

async function expectTag(h: Hammer, want: string, where: string): Promise<void> {
  const got = await tagOf(h.db);
  if (got !== want) {
    h.joins.push(`${where}: saw "${got}", expected "${want}"`);
    throw new Error(`${where} ran in another flow's transaction ("${got}")`);
  }
}

const insert = (db: PgStore, tag: string, kind: string) =>
  db.run("INSERT INTO iso_rows (tag, kind) VALUES (?, ?)", tag, kind);

/** One operation of flow f, step i. */
async function step(h: Hammer, f: number, i: number, rnd: () => number): Promise<void> {
  const { db } = h;
  const tag = `f${f}.${i}`;
  const begin = async () => {
    await db.get("SELECT set_config('backlog.tag', ?, true) AS t", tag);
    await pause(h, rnd);
    await expectTag(h, tag, tag);
  };
  const kind = Math.floor(rnd() * 8);
  if (kind === 0) {
    // Read-only.
    await db.tx(async () => {
      await begin();
      await pause(h, rnd);
      await db.all("SELECT count(*) AS n FROM iso_rows");
      await expectTag(h, tag, `${tag} read`);
    }, { readOnly: true });
  } else if (kind === 1) {
    // A serializable write.
    await db.tx(async () => {
      await begin();
      await insert(db, tag, "write");
      await pause(h, rnd);
      await expectTag(h, tag, `${tag} write`);
    });
    h.kept.push(tag);
  } else if (kind === 2) {
    // A claim: READ COMMITTED, a row locked with SKIP LOCKED.
    const got = await db.tx(async () => {
      await begin();
      const row = await db.get<{ id: number }>(
        "SELECT id FROM iso_slots ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED",
      );
      await pause(h, rnd);
      await expectTag(h, tag, `${tag} claim`);
      if (!row) return false;
      await db.run("UPDATE iso_slots SET n = n + 1 WHERE id = ?", row.id);
      await insert(db, tag, "claim");
      return true;
    }, { isolation: "read committed" });
    if (got) h.kept.push(tag);
  } else if (kind === 3) {
    // Savepoints that fail and a dry run inside a write.
    const sp = `${tag}.sp`;
    const failing = rnd() < 0.5;
    await db.tx(async () => {
      await begin();
      await db.tx(async () => {
        await insert(db, sp, "savepoint");
        await pause(h, rnd);
        await expectTag(h, tag, `${sp}`);
        if (failing) throw new Boom();
      }, { savepoint: true }).catch((err) => {
        if (!(err instanceof Boom)) throw err;
      });
      await db.tx(() => insert(db, `${tag}.dry`, "dry"), { rollback: true });
      await pause(h, rnd);
      await insert(db, tag, "outer");
      await expectTag(h, tag, `${tag} after savepoints`);
    });
    h.kept.push(tag);
    (failing ? h.gone : h.kept).push(sp);
    h.gone.push(`${tag}.dry`);
  } else if (kind === 4) {
    // Autocommit, outside any transaction.
    await expectTag(h, "", `${tag} autocommit`);
    await insert(db, tag, "auto");
    h.kept.push(tag);
    await pause(h, rnd);
    await expectTag(h, "", `${tag} autocommit`);
  } else if (kind === 5 || kind === 6) {
    // A transaction that throws midway (a write, or a read-only one).
    const readOnly = kind === 6;
    const out = await db.tx(async () => {
      await begin();
      if (!readOnly) await insert(db, tag, "thrown");
      await pause(h, rnd);
      await expectTag(h, tag, `${tag} before throwing`);
      throw new Boom();
    }, { readOnly }).then(() => "returned", (err) => err);
    if (!(out instanceof Boom)) throw out instanceof Error ? out : new Error(`${tag}: ${out}`);
    h.gone.push(tag);
  } else {
    // Work left running when fn returns: it sees this transaction or none, never another.
    let floating: Promise<string> | undefined;
    await db.tx(async () => {
      await begin();
      floating = (async () => {
        await pause(h, rnd);
        return await tagOf(db);
      })();
      // A savepoint call still running when fn returns: its end must not reach a connection that
      // has gone back to the pool (another flow's transaction by then).
      void db.tx(() => sleep(2), { savepoint: true }).catch(() => {});
      await insert(db, tag, "floating");
    }, { readOnly: false });
    h.kept.push(tag);
    const seen = await floating!;
    if (seen !== tag && seen !== "") h.joins.push(`${tag} floating: saw "${seen}"`);
  }
}

async function flow(h: Hammer, f: number): Promise<void> {
  const rnd = rng(1000 + f).next; // the same choices every run
  for (let i = 0; i < STEPS; i++) {
    const op = step(h, f, i, rnd);
    h.inflight[f] = op;
    await op;
    await pause(h, rnd);
  }
}

pgTest("concurrent transactions on one small pool never carry each other's statements", async () => {
  await withPgDatabase(async (url) => {
    const db = await openPgStore(url, { max: 3 });
    try {
      await db.exec(
        `CREATE TABLE iso_rows (tag TEXT NOT NULL, kind TEXT NOT NULL);
         CREATE TABLE iso_slots (id INT PRIMARY KEY, n INT NOT NULL DEFAULT 0);
         INSERT INTO iso_slots (id) SELECT generate_series(1, 4);`,
      );
      const h: Hammer = { db, joins: [], kept: [], gone: [], inflight: [], gate: new Gate(1) };
      const flows = Array.from({ length: FLOWS }, (_, f) => flow(h, f));
      const settled = await within(Promise.allSettled(flows), 60_000, "the flows");
      const failed = settled.flatMap((s) =>
        s.status === "rejected" ? [String(s.reason?.stack ?? s.reason)] : []
      );
      assert.deepEqual(h.joins, []);
      assert.deepEqual(failed, []);
      const counts = new Map(
        (await db.all<{ tag: string; n: number }>("SELECT tag, count(*) AS n FROM iso_rows GROUP BY tag"))
          .map((r) => [r.tag, r.n]),
      );
      assert.deepEqual(h.kept.filter((t) => counts.get(t) !== 1), [], "acknowledged writes there once");
      assert.deepEqual(h.gone.filter((t) => counts.has(t)), [], "failed writes absent");
      const slots = await db.get<{ n: number }>("SELECT sum(n) AS n FROM iso_slots");
      const claimed = await db.get<{ n: number }>("SELECT count(*) AS n FROM iso_rows WHERE kind = 'claim'");
      assert.equal(slots!.n, claimed!.n);
    } finally {
      await db.close();
    }
  });
});

/** A JSON call to a server; a 5xx answer is also noted in errors. */
async function call(
  base: string,
  errors: string[],
  method: string,
  path: string,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json", "x-backlog-actor": "ai:hammer" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.status >= 500) errors.push(`${method} ${path}: ${res.status} ${text}`);
  return { status: res.status, json };
}

const CREATES = 48;
const AGENTS = 6;

pgTest("two servers under mixed concurrent requests: every acknowledged write is there once", async () => {
  await withServers(2, async (apps) => {
    const servers = apps.map((app) =>
      startServer(app, { actor: { kind: "human", name: "hammer" }, host: "127.0.0.1", port: 0, pollMs: 20 })
    );
    try {
      const base = (i: number) => servers[i % servers.length].url;
      const errors: string[] = [];
      const created = new Map<string, string>(); // title -> ref
      const comments: string[] = [];
      const done: string[] = [];
      await call(base(0), errors, "POST", "/api/projects", { alias: "iso", name: "Iso" });
      // An event stream on each server: the change feed and its LISTEN connection run throughout.
      const streams = servers.map((s) => fetch(`${s.url}/api/events`));
      let creating = true;
      const editor = async (e: number) => {
        const rnd = rng(7 + e).next;
        for (let i = e; i < CREATES; i += 3) {
          const title = `t${i}`;
          const r = await call(base(i), errors, "POST", "/api/tasks", {
            project: "iso",
            title,
            priority: 1 + (i % 4),
          });
          if (r.status === 200 || r.status === 201) created.set(title, r.json.ref);
          const refs = [...created.values()];
          const ref = refs[Math.floor(rnd() * refs.length)];
          if (rnd() < 0.5) await call(base(i + 1), errors, "GET", "/api/tasks?project=iso&limit=5");
          else if (ref) await call(base(i + 1), errors, "GET", `/api/tasks/${ref}`);
          if (ref && rnd() < 0.3) {
            const body = `edit ${i}`;
            if (
              (await call(base(i), errors, "POST", `/api/tasks/${ref}/comments`, { body })).status === 200
            ) {
              comments.push(body);
            }
          }
        }
      };
      const agent = async (a: number) => {
        // Until the editors are done and no task is left (the test's deadline bounds it).
        for (let i = 0;; i++) {
          const r = await call(base(a + i), errors, "POST", "/api/tasks/next", { lease: "10m" });
          const ref: string | undefined = r.json?.task?.ref;
          if (!ref) {
            if (!creating) return;
            await sleep(5);
            continue;
          }
          const body = `agent ${a}.${i} on ${ref}`;
          if (
            (await call(base(a + i + 1), errors, "POST", `/api/tasks/${ref}/comments`, { body })).status ===
              200
          ) {
            comments.push(body);
          }
          const m = await call(base(a + i), errors, "PATCH", `/api/tasks/${ref}/status`, {
            status: "done",
            claim_token: r.json.token,
          });
          if (m.status === 200) done.push(ref);
          else errors.push(`done ${ref}: ${m.status} ${JSON.stringify(m.json)}`);
        }
      };
      const agents = Array.from({ length: AGENTS }, (_, a) => agent(a));
      await within(Promise.all([0, 1, 2].map(editor)), 60_000, "the editors");
      creating = false;
      await within(Promise.all(agents), 60_000, "the agents");
      for (const s of await Promise.all(streams)) await s.body?.cancel();
      assert.deepEqual(errors, []);
      assert.equal(created.size, CREATES);
      const db = apps[0].db;
      const titles = await db.all<{ title: string; status: string }>(
        "SELECT t.title, t.status FROM tasks t JOIN projects p ON p.id = t.project_id WHERE p.alias = 'iso'",
      );
      assert.deepEqual(
        titles.map((t) => t.title).sort(),
        [...created.keys()].sort(),
        "every created task once",
      );
      assert.ok(titles.every((t) => t.status === "done"), "every task done");
      assert.equal(done.length, CREATES, "each task done by one agent");
      const bodies = (await db.all<{ body: string }>("SELECT body FROM comments")).map((c) => c.body).sort();
      assert.deepEqual(bodies, [...comments].sort(), "every acknowledged comment once");
    } finally {
      for (const s of servers) await s.shutdown();
    }
  });
});

pgTest(
  "a request the server is handed inside another flow's transaction context still runs on its own",
  async () => {
    // Deno.serve's HTTP/1.1 fast path calls the handler in whatever async context is current when the
    // request arrives (a stress run caught one starting inside a create's transaction, so its comment
    // joined that transaction): here the handler is called from inside a read-only transaction.
    await withServers(1, async ([app]) => {
      const h = createHttpApp(app, {
        actor: { kind: "human", name: "hammer" },
        host: "127.0.0.1",
        port: 8080,
      });
      const handler = inServerContext(h.fetch);
      const res = await app.db.tx(
        async () =>
          await handler(
            new Request("http://localhost/api/projects", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ alias: "own", name: "Own" }),
            }),
            {} as Deno.ServeHandlerInfo<Deno.NetAddr>,
          ),
        { readOnly: true },
      );
      assert.equal(res.status, 200, await res.text());
      assert.equal((await app.projects.get("own")).name, "Own");
    });
  },
);
