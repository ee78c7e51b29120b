import assert from "node:assert/strict";
import { AppError, toAppError } from "../../src/domain/errors.ts";
import { ns } from "../../src/db/connection.ts";
import { openPgStore } from "../../src/db/pg/open.ts";
import type { PgStore } from "../../src/db/pg/store.ts";
import { sqliteWording, toPgPlaceholders } from "../../src/db/pg/sql.ts";
import { checkPgSchemaVersion, migratePg } from "../../src/db/pg/migrate.ts";
import { pgTest, TEST_PG, withPgDatabase, withPgStore } from "../helpers/pg.ts";

/** Rejects after ms: a test that would hang fails instead. */
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise and the function that settles it. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

Deno.test("placeholders: ? and ?N become $n; strings, quoted names, comments and $$ bodies are kept", () => {
  assert.equal(
    toPgPlaceholders("SELECT * FROM t WHERE a = ? AND b = ?"),
    "SELECT * FROM t WHERE a = $1 AND b = $2",
  );
  assert.equal(toPgPlaceholders("VALUES (?2, ?1, ?2)"), "VALUES ($2, $1, $2)");
  // SQLite's rule: a bare ? takes the number after the largest so far.
  assert.equal(toPgPlaceholders("? ?3 ? ?1 ?"), "$1 $3 $4 $1 $5");
  const kept = [
    "SELECT 'a?b', 'it''s ?', E'\\'?', e'x\\\\' || ?",
    `SELECT "col?" FROM "t""?" WHERE x = ?`,
    "SELECT 1 -- what?\n, ?",
    "SELECT /* ? /* nested ? */ still ? */ ?",
    "SELECT $$ ? $$, $fn$ ' ? $fn$, ?",
    "SELECT a$b, ?",
  ];
  assert.deepEqual(kept.map(toPgPlaceholders), [
    "SELECT 'a?b', 'it''s ?', E'\\'?', e'x\\\\' || $1",
    `SELECT "col?" FROM "t""?" WHERE x = $1`,
    "SELECT 1 -- what?\n, $1",
    "SELECT /* ? /* nested ? */ still ? */ $1",
    "SELECT $$ ? $$, $fn$ ' ? $fn$, $1",
    "SELECT a$b, $1",
  ]);
  const plain = "SELECT 1";
  assert.equal(toPgPlaceholders(plain), plain);
});

Deno.test("constraint violations are worded like SQLite's", () => {
  assert.equal(
    sqliteWording({ code: "23505", table: "projects", detail: "Key (alias)=(p) already exists." }),
    "UNIQUE constraint failed: projects.alias",
  );
  assert.equal(
    sqliteWording({
      code: "23505",
      table: "labels",
      detail: "Key (project_id, name)=(p, x) already exists.",
    }),
    "UNIQUE constraint failed: labels.project_id, labels.name",
  );
  assert.equal(
    sqliteWording({
      code: "23505",
      table: "t",
      constraint: "t_expr",
      detail: "Key (lower(a))=(x) already exists.",
    }),
    "UNIQUE constraint failed: index 't_expr'",
  );
  assert.equal(sqliteWording({ code: "23503" }), "FOREIGN KEY constraint failed");
  assert.equal(
    sqliteWording({ code: "23514", constraint: "tasks_status_check" }),
    "CHECK constraint failed: tasks_status_check",
  );
  assert.equal(
    sqliteWording({ code: "23502", table: "tasks", column: "title" }),
    "NOT NULL constraint failed: tasks.title",
  );
  assert.equal(sqliteWording({ code: "42703" }), undefined);
});

pgTest(
  "store: placeholders, ? inside literals, numbers, bigint timestamps and bytea round-trip",
  async () => {
    await withPgStore(async (s) => {
      assert.equal(s.dialect, "postgres");
      const pw = new URL(TEST_PG).password;
      assert.ok(s.path.startsWith("postgres") && (!pw || !s.path.includes(pw)), s.path);
      assert.deepEqual(
        await s.get(
          `SELECT ?::text AS a, '?' AS q, 'it''s ?' AS r, ?2::text AS "b?", ?1::text AS c -- ?`,
          "x",
          "y",
        ),
        { a: "x", q: "?", r: "it's ?", "b?": "y", c: "x" },
      );
      await s.exec(
        `CREATE TABLE t (id TEXT PRIMARY KEY, at BIGINT, data BYTEA, n INTEGER, f DOUBLE PRECISION)`,
      );
      const big = 1776000000123456789n;
      const blob = new Uint8Array([0, 1, 127, 128, 255, 0]);
      assert.equal(
        await s.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", "a", ns(Number(big)), blob, 7, 1.5),
        1,
      );
      assert.equal(
        await s.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", "b", big, new Uint8Array(), null, null),
        1,
      );
      assert.equal(await s.run("INSERT INTO t (id, at) VALUES (?, ?)", "c", Number(big)), 1);
      const rows = await s.all<{ id: string; at: number; data: Uint8Array | null; n: number; f: number }>(
        "SELECT * FROM t ORDER BY id",
      );
      // As SqliteStore reads them: Number(bigint), exactly.
      assert.deepEqual(rows.map((r) => r.at), [Number(big), Number(big), Number(big)]);
      assert.equal(typeof rows[0].at, "number");
      assert.equal(rows[0].data?.constructor, Uint8Array);
      assert.deepEqual(rows[0].data, blob);
      assert.deepEqual(rows[1].data, new Uint8Array());
      assert.equal(rows[2].data, null);
      assert.equal(rows[0].n, 7);
      assert.equal(rows[0].f, 1.5);
      // Bound exactly: the bigint matches the stored value in SQL, not only after rounding.
      assert.deepEqual(await s.get("SELECT id FROM t WHERE at = ? AND id = 'b'", big), { id: "b" });
      assert.deepEqual(
        await s.get(
          "SELECT COUNT(*) AS n, SUM(n) AS total, MAX(at) AS top, EXISTS(SELECT 1 FROM t) AS any FROM t",
        ),
        { n: 3, total: 7, top: Number(big), any: true },
      );
      assert.equal(await s.run("UPDATE t SET n = ? WHERE id <> ?", 1, "zzz"), 3);
      assert.equal(await s.get("SELECT * FROM t WHERE id = ?", "nope"), undefined);
    });
  },
);

pgTest(
  "store: tx joins nested calls and any query reached from fn; outside queries see only commits",
  async () => {
    await withPgStore(async (s) => {
      await s.exec("CREATE TABLE t (id TEXT PRIMARY KEY)");
      const count = async () => (await s.get<{ n: number }>("SELECT COUNT(*) AS n FROM t"))!.n;
      const go = gate();
      // Started outside the transaction: its queries run in their own context, on another connection.
      const outside = (async () => {
        await go.opened;
        return { inTx: s.inTx, n: await count() };
      })();
      assert.equal(s.inTx, false);
      const level = async () =>
        (await s.get<{ l: string }>("SELECT current_setting('transaction_isolation') AS l"))!.l;
      assert.equal(await level(), "serializable"); // autocommit statements too
      assert.equal(await s.tx(level), "serializable");
      assert.equal(await s.tx(level, { readOnly: true }), "repeatable read");
      let stray: Promise<boolean> | undefined;
      const out = await s.tx(async () => {
        assert.equal(s.inTx, true);
        await s.run("INSERT INTO t VALUES ('a')");
        await s.tx(async () => {
          await s.run("INSERT INTO t VALUES ('b')");
          await sleep(1);
          assert.equal(await count(), 2); // the nested call sees the outer's rows: one transaction
        });
        await Promise.all([s.run("INSERT INTO t VALUES ('c')"), s.run("INSERT INTO t VALUES ('d')")]);
        go.open();
        assert.deepEqual(await outside, { inTx: false, n: 0 }); // uncommitted rows stay invisible
        // Work that outlives fn no longer joins the finished transaction.
        stray = sleep(20).then(() => s.inTx);
        return "done";
      });
      assert.equal(out, "done");
      assert.equal(await stray, false);
      assert.equal(await count(), 4);
    });
  },
);

pgTest(
  "store: a savepoint call's failure undoes its writes alone; the outer transaction carries on",
  async () => {
    await withPgStore(async (s) => {
      await s.exec("CREATE TABLE t (id TEXT PRIMARY KEY)");
      await s.tx(async () => {
        await s.run("INSERT INTO t VALUES ('a')");
        await assert.rejects(
          s.tx(async () => {
            await s.run("INSERT INTO t VALUES ('b')");
            throw new Error("undo b");
          }, { savepoint: true }),
          /undo b/,
        );
        // A failing statement aborts a PostgreSQL transaction; inside a savepoint it is recoverable.
        await assert.rejects(
          s.tx(() => s.run("INSERT INTO t VALUES ('a')"), { savepoint: true }),
          /^Error: UNIQUE constraint failed: t\.id$|UNIQUE constraint failed: t\.id/,
        );
        await s.tx(async () => {
          await s.run("INSERT INTO t VALUES ('c')");
          await assert.rejects(
            s.tx(async () => {
              await s.run("INSERT INTO t VALUES ('d')");
              throw new Error("undo d");
            }, { savepoint: true }),
          );
        }, { savepoint: true });
        await s.run("INSERT INTO t VALUES ('e')");
      });
      assert.deepEqual(
        (await s.all<{ id: string }>("SELECT id FROM t ORDER BY id")).map((r) => r.id),
        ["a", "c", "e"],
      );
      // The outermost transaction rolls back whole when fn throws.
      await assert.rejects(
        s.tx(async () => {
          await s.run("INSERT INTO t VALUES ('f')");
          throw new Error("abort");
        }),
        (e: Error) => e.message === "abort" && !(e instanceof AppError),
      );
      assert.equal((await s.get<{ n: number }>("SELECT COUNT(*) AS n FROM t"))!.n, 3);
    });
  },
);

pgTest("store: dry runs return fn's value and undo its writes, outermost and nested", async () => {
  await withPgStore(async (s) => {
    await s.exec("CREATE TABLE t (id TEXT PRIMARY KEY)");
    const seen = await s.tx(async () => {
      await s.run("INSERT INTO t VALUES ('a')");
      return (await s.all("SELECT id FROM t")).length;
    }, { rollback: true });
    assert.equal(seen, 1);
    await s.tx(async () => {
      await s.run("INSERT INTO t VALUES ('b')");
      const inner = await s.tx(async () => {
        await s.run("INSERT INTO t VALUES ('c')");
        return (await s.all("SELECT id FROM t")).length;
      }, { rollback: true });
      assert.equal(inner, 2);
      assert.equal((await s.all("SELECT id FROM t")).length, 1);
    });
    assert.deepEqual(await s.all("SELECT id FROM t"), [{ id: "b" }]);
  });
});

pgTest(
  "store: 40 concurrent read-modify-write transactions from two stores run one at a time, losing nothing",
  async () => {
    await withPgDatabase(async (url) => {
      const [a, b] = [await openPgStore(url), await openPgStore(url)]; // two servers on one database
      try {
        await a.exec(
          "CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO counter VALUES (1, 0)",
        );
        let calls = 0;
        const bump = (s: typeof a) =>
          s.tx(async () => {
            calls++;
            const { n } = (await s.get<{ n: number }>("SELECT n FROM counter WHERE id = 1"))!;
            await sleep(2); // the others would read the same value if they ran alongside
            await s.run("UPDATE counter SET n = ? WHERE id = 1", n + 1);
            return n + 1;
          });
        const all = Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b));
        const got = await within(Promise.all(all), 60_000, "40 transactions");
        assert.deepEqual([...got].sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
        assert.equal((await a.get<{ n: number }>("SELECT n FROM counter"))!.n, 40);
        assert.equal(calls, 40, "the write lock ran them one at a time: nothing was rerun");
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);

pgTest("store: a conflict fn swallows still reruns the transaction", async () => {
  await withPgStore(async (s) => {
    await s.exec("CREATE TABLE c (id INTEGER PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO c VALUES (1, 0)");
    let runs = 0;
    const go = gate();
    const first = s.tx(async () => {
      runs++;
      await s.get("SELECT n FROM c WHERE id = 1");
      await go.opened;
      try {
        await s.run("UPDATE c SET n = n + 1 WHERE id = 1");
      } catch { /* a caller that ignores the failure */ }
    });
    await sleep(50);
    await s.run("UPDATE c SET n = n + 10 WHERE id = 1");
    go.open();
    await first;
    assert.equal(runs, 2);
    assert.equal((await s.get<{ n: number }>("SELECT n FROM c"))!.n, 11);
  });
});

pgTest("store: readOnly is a read-only snapshot", async () => {
  await withPgStore(async (s) => {
    await s.exec("CREATE TABLE t (id TEXT PRIMARY KEY)");
    await s.run("INSERT INTO t VALUES ('a')");
    const go = gate();
    const writer = (async () => {
      await go.opened;
      await s.run("INSERT INTO t VALUES ('b')");
    })();
    await s.tx(async () => {
      assert.equal(s.inTx, true);
      assert.equal((await s.all("SELECT * FROM t")).length, 1);
      go.open();
      await writer; // committed meanwhile, outside
      assert.equal((await s.all("SELECT * FROM t")).length, 1, "one snapshot for the whole transaction");
      await assert.rejects(
        s.run("INSERT INTO t VALUES ('c')"),
        (e: Error & { code?: string }) => e.code === "25006",
      );
    }, { readOnly: true });
    assert.equal((await s.all("SELECT * FROM t")).length, 2);
  });
});

pgTest("store: close fails queries waiting for a connection at once, then ends the pool", async () => {
  await withPgDatabase(async (url) => {
    const s = await openPgStore(url, { max: 1 });
    const hold = gate();
    const entered = gate();
    const tx = s.tx(async () => {
      entered.open();
      await hold.opened;
      return (await s.get<{ x: number }>("SELECT 1 AS x"))!.x;
    });
    await entered.opened;
    const waiting = [s.get("SELECT 1"), s.all("SELECT 2"), s.tx(() => s.run("SELECT 3"))];
    const closed = s.close();
    for (const w of waiting) {
      await within(
        assert.rejects(w, (e: AppError) => e instanceof AppError && e.message === "database is closed"),
        5000,
        "a waiting query",
      );
    }
    await assert.rejects(s.get("SELECT 1"), /database is closed/);
    hold.open();
    assert.equal(await tx, 1); // the running transaction was allowed to finish
    await within(closed, 5000, "close");
    await s.close(); // twice is fine
  });
});

pgTest("store: close does not wait forever for a transaction whose fn never returns", async () => {
  await withPgDatabase(async (url) => {
    const s = await openPgStore(url, { max: 2 });
    const hold = gate();
    const entered = gate();
    const tx = s.tx(async () => {
      entered.open();
      await hold.opened;
      await s.get("SELECT 1");
    });
    await entered.opened;
    await within(s.close(), 15_000, "close");
    hold.open();
    await assert.rejects(tx); // its connection was cut
  });
});

pgTest("store: constraint violations read like SQLite's and map to invalid", async () => {
  await withPgStore(async (s) => {
    await migratePg(s);
    const project = "INSERT INTO projects (id, alias, name, created_at, updated_at) VALUES (?, ?, 'P', 1, 1)";
    await s.run(project, "p", "p");
    const task =
      "INSERT INTO tasks (id, project_id, title, created_at, updated_at, task_seq) VALUES (?, ?, ?, 1, 1, ?)";
    await s.run(task, "t", "p", "x", 1);
    const cases: [() => Promise<unknown>, string][] = [
      [() => s.run(project, "p2", "p"), "UNIQUE constraint failed: projects.alias"],
      [() => s.run(project, "p", "p3"), "UNIQUE constraint failed: projects.id"],
      [() => s.run(task, "t2", "p", "x", 1), "UNIQUE constraint failed: tasks.task_seq"],
      [() => s.run(task, "t3", "nope", "x", 3), "FOREIGN KEY constraint failed"],
      [() => s.run("UPDATE tasks SET project_id = 'nope'"), "FOREIGN KEY constraint failed"],
      [() => s.run("UPDATE tasks SET title = NULL"), "NOT NULL constraint failed: tasks.title"],
      [() => s.run("UPDATE tasks SET status = 'nope'"), "CHECK constraint failed: tasks_status_check"],
    ];
    for (const [p, msg] of cases) {
      await assert.rejects(p(), (e: Error & { code?: string }) => {
        assert.equal(e.message, msg);
        assert.match(e.code ?? "", /^23/);
        const app = toAppError(e);
        assert.equal(app.code, "invalid");
        assert.match(app.message, /constraint failed/);
        return true;
      });
    }
    // Inside a transaction the same wording reaches the caller of tx().
    await assert.rejects(
      s.tx(() => s.run(project, "p9", "p")),
      /^Error: UNIQUE|UNIQUE constraint failed: projects\.alias/,
    );
    assert.equal(await checkPgSchemaVersion(s), await checkPgSchemaVersion(s, { label: "x" }));
  });
});

Deno.test("store: an unreachable server fails quickly with one line that hides the password", async () => {
  const refusedPort = (() => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    return port;
  })();
  const check = (e: AppError) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.exitCode, 1);
    assert.ok(!e.message.includes("\n"));
    assert.ok(!JSON.stringify({ m: e.message, h: e.hint, d: e.details }).includes("Pa55word"));
    assert.match(e.message, /^cannot reach postgres bob@127\.0\.0\.1:\d+\/team: /);
    return true;
  };
  await within(
    assert.rejects(openPgStore(`postgres://bob:Pa55word@127.0.0.1:${refusedPort}/team`), check),
    10_000,
    "refused",
  );
  // A server that accepts and never answers: the connect timeout, not a hang.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of l) held.push(c);
  })().catch(() => {});
  try {
    const port = (l.addr as Deno.NetAddr).port;
    await within(
      assert.rejects(
        openPgStore(`postgres://bob:Pa55word@127.0.0.1:${port}/team`, { connectTimeoutMs: 300 }),
        check,
      ),
      10_000,
      "silent server",
    );
  } finally {
    l.close();
    held.forEach((c) => c.close());
    await accepting;
  }
});

pgTest("store: LISTEN/NOTIFY delivers commits only, and survives a dropped connection", async () => {
  await withPgStore(async (s) => {
    const got: string[] = [];
    let arrived = () => {};
    let reconnected = () => {};
    const next = () => new Promise<void>((r) => (arrived = r));
    const stop = await s.listen("backlog_test", (p) => (got.push(p), arrived()), {
      onReconnect: () => reconnected(),
    });
    await assert.rejects(s.tx(async () => {
      await s.notify("backlog_test", "rolled back");
      throw new Error("abort");
    }));
    let wait = next();
    await s.tx(() => s.notify("backlog_test", "committed"));
    await within(wait, 5000, "notification");
    assert.deepEqual(got, ["committed"]);

    // The server drops the listening connection; it comes back and listens again.
    const back = new Promise<void>((r) => (reconnected = r));
    const killed = await s.get<{ n: number }>(
      "SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = 'backlog-listen' AND datname = current_database()",
    );
    assert.equal(killed!.n, 1);
    await within(back, 10_000, "reconnect");
    wait = next();
    await s.notify("backlog_test", "after");
    await within(wait, 5000, "notification after reconnect");
    assert.deepEqual(got, ["committed", "after"]);

    await stop();
    await s.notify("backlog_test", "unheard");
    await sleep(100);
    assert.deepEqual(got, ["committed", "after"]);
  });
});

pgTest(
  "store: several stores migrating at once through the advisory lock; a newer schema is refused",
  async () => {
    await withPgDatabase(async (url) => {
      const stores: PgStore[] = await Promise.all([1, 2, 3].map(() => openPgStore(url, { max: 2 })));
      try {
        const v = await Promise.all(stores.map((s) => migratePg(s)));
        assert.equal(new Set(v).size, 1);
        assert.equal(await checkPgSchemaVersion(stores[0]), v[0]);
        await stores[0].run("UPDATE schema_meta SET value = '999' WHERE key = 'schema_version'");
        await assert.rejects(checkPgSchemaVersion(stores[1]), (e: AppError) => {
          assert.equal(e.code, "internal");
          assert.match(
            e.message,
            /^postgres:\/\/postgres:\*\*\*@.* has schema version 999, newer than this backlog's \(\d+\)/,
          );
          return true;
        });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  },
);

pgTest("store: a transaction a swallowed failure aborted is not reported as committed", async () => {
  await withPgStore(async (db) => {
    await db.exec("CREATE TABLE kept (n INT PRIMARY KEY)");
    // The failed statement aborts the PostgreSQL transaction; COMMIT then rolls it back.
    const attempt = db.tx(async () => {
      await db.run("INSERT INTO kept VALUES (1)");
      await db.run("INSERT INTO kept VALUES (1)").catch(() => {});
      return "done";
    });
    await assert.rejects(attempt, /rolled back at COMMIT: a statement in it failed/);
    assert.deepEqual(await db.all("SELECT n FROM kept"), []);
    // With a savepoint the failure stays inside it and the rest commits.
    await db.tx(async () => {
      await db.run("INSERT INTO kept VALUES (2)");
      await db.tx(() => db.run("INSERT INTO kept VALUES (2)"), { savepoint: true }).catch(() => {});
    });
    assert.deepEqual(await db.all("SELECT n FROM kept"), [{ n: 2 }]);
  });
});
