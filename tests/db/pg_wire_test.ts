import assert from "node:assert/strict";
import { parsePgUrl } from "../../src/db/pg/connection.ts";
import { openPgStore } from "../../src/db/pg/open.ts";
import { WireClient, type WireDbError, type WireResult } from "../../src/db/pg/wire.ts";
import { WirePool } from "../../src/db/pg/wire_pool.ts";
import { passwordFor, pgpassFields } from "../../src/db/pg/wire_auth.ts";
import { pgTest, TEST_PG } from "../helpers/pg.ts";

const one = (r: WireResult | WireResult[]) => Array.isArray(r) ? r[r.length - 1] : r;
const client = () => new WireClient({ url: parsePgUrl(TEST_PG), applicationName: "backlog-test" });

pgTest("wire: parameters and values come back as the pg driver gives them to the store", async () => {
  const c = client();
  await c.connect();
  try {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    const r = one(
      await c.query(
        `SELECT CAST($1 AS BIGINT) AS big, CAST($2 AS TEXT) AS txt, CAST($3 AS BYTEA) AS bin, $4::text AS nul,
           CAST($5 AS BOOLEAN) AS yes, CAST('{"a":[1,"x"]}' AS JSONB) AS doc, CAST(1.25 AS NUMERIC) AS num,
           CAST(7 AS INTEGER) AS int, CAST(0.5 AS DOUBLE PRECISION) AS dbl, CAST($6 AS TEXT) AS arr`,
        [1764720000123456789n, 'héllo\u{1F600} "q" \\ \'', bytes, null, true, ["a", 'b"c', null]],
      ),
    );
    assert.deepEqual(r.rows, [{
      big: 1764720000123456789,
      txt: 'héllo\u{1F600} "q" \\ \'',
      bin: bytes,
      nul: null,
      yes: true,
      doc: { a: [1, "x"] },
      num: 1.25,
      int: 7,
      dbl: 0.5,
      arr: '{"a","b\\"c",NULL}',
    }]);
    assert.equal(r.rowCount, 1);
    // A parameterless script runs every statement (the simple protocol), one result each.
    const many = await c.query("CREATE TEMP TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
    assert.ok(Array.isArray(many));
    assert.deepEqual(many.map((x) => [x.command, x.rowCount]), [["CREATE", null], ["INSERT", 2]]);
    assert.equal(one(await c.query("UPDATE t SET id = id + 10 WHERE id > $1", [0])).rowCount, 2);
  } finally {
    await c.end();
  }
});

pgTest("wire: a server error carries pg's fields, and the connection goes on working", async () => {
  const c = client();
  await c.connect();
  try {
    await c.query("CREATE TEMP TABLE u (k TEXT CONSTRAINT u_k UNIQUE)");
    await c.query("INSERT INTO u VALUES ($1)", ["x"]);
    const e = await c.query("INSERT INTO u VALUES ($1)", ["x"]).then(() => assert.fail("inserted"), (e) => e);
    const err = e as WireDbError;
    assert.equal(err.code, "23505");
    assert.equal(err.severity, "ERROR");
    assert.equal(err.constraint, "u_k");
    assert.equal(err.table, "u");
    assert.match(err.detail ?? "", /^Key \(k\)=\(x\) already exists/);
    await assert.rejects(c.query("SELEC 1", [1]), (e: WireDbError) => e.code === "42601");
    assert.deepEqual(one(await c.query("SELECT count(*) AS n FROM u", [])).rows, [{ n: 1 }]);
  } finally {
    await c.end();
  }
});

pgTest("wire: notifications reach listeners; a closed client refuses queries", async () => {
  const c = client();
  await c.connect();
  const got: unknown[] = [];
  const arrived = new Promise<void>((resolve) =>
    c.on("notification", (m) => (got.push((m as { payload: string }).payload), resolve()))
  );
  await c.query('LISTEN "wire_test"');
  await c.query("SELECT pg_notify('wire_test', $1)", ["hello"]);
  await Promise.race([
    arrived,
    new Promise((_, no) => setTimeout(() => no(new Error("no notification")), 5000)),
  ]);
  assert.deepEqual(got, ["hello"]);
  await c.end();
  await assert.rejects(c.query("SELECT 1"), /Connection terminated/);
});

pgTest("wire: a wrong password is the server's 28P01", async () => {
  const u = parsePgUrl(TEST_PG);
  const c = new WireClient({ url: { ...u, password: "Wr0ngPassw0rd" } });
  await assert.rejects(c.connect(), (e: WireDbError) => e.code === "28P01");
});

pgTest("wire pool: a released client is reused; end() waits for the one still out", async () => {
  const pool = new WirePool({ url: parsePgUrl(TEST_PG), max: 2 });
  const a = await pool.connect();
  const pid = one(await a.query("SELECT pg_backend_pid() AS p")).rows[0].p;
  a.release();
  const b = await pool.connect();
  assert.equal(one(await b.query("SELECT pg_backend_pid() AS p")).rows[0].p, pid);
  let ended = false;
  const ending = pool.end().then(() => (ended = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ended, false);
  b.release();
  await ending;
  await assert.rejects(pool.connect(), /after calling end/);
});

pgTest("store: the pg driver still serves TLS modes and can be chosen", async () => {
  const s = await openPgStore(TEST_PG, { driver: "pg", max: 1 });
  try {
    assert.deepEqual(await s.tx(async () => await s.get("SELECT CAST(? AS BIGINT) AS n", 5)), { n: 5 });
  } finally {
    await s.close();
  }
  // sslmode=require goes through node-postgres, which finds no TLS on the test server.
  const u = new URL(TEST_PG);
  u.searchParams.set("sslmode", "require");
  await assert.rejects(openPgStore(u.toString(), { connectTimeoutMs: 2000 }), /SSL/);
});

Deno.test("wire: a server that wants an MD5 password sends the store to the pg driver", async () => {
  // A fake server: it answers every startup with AuthenticationMD5Password and records what comes back.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const serving = (async () => {
    for await (const conn of l) {
      void (async () => {
        const buf = new Uint8Array(4096);
        const n = await conn.read(buf);
        seen.push(n && n > 8 && new DataView(buf.buffer).getInt32(4) === 196608 ? "startup" : "other");
        await conn.write(new Uint8Array([0x52, 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4]));
        const m = await conn.read(buf);
        if (m) seen.push(String.fromCharCode(buf[0]));
        conn.close();
      })().catch(() => {});
    }
  })().catch(() => {});
  try {
    const port = (l.addr as Deno.NetAddr).port;
    await assert.rejects(openPgStore(`postgres://bob:pw@127.0.0.1:${port}/db`, { connectTimeoutMs: 2000 }));
    // The wire client stopped at the MD5 request; node-postgres then answered it with a password ('p').
    assert.deepEqual(seen, ["startup", "startup", "p"]);
  } finally {
    l.close();
    await serving;
  }
});

Deno.test("wire: passwords come from the URL, $PGPASSWORD, then an owner-only pgpass file", async () => {
  assert.deepEqual(pgpassFields("h:5432:d\\:b:u:pa\\:ss:word"), ["h", "5432", "d:b", "u", "pa:ss:word"]);
  const dir = await Deno.makeTempDir({ prefix: "backlog-pgpass-" });
  try {
    const file = `${dir}/pgpass`;
    await Deno.writeTextFile(file, "# comment\nother:*:*:*:no\n127.0.0.1:*:team:bob:fromfile\n*:*:*:*:any\n");
    await Deno.chmod(file, 0o600);
    const url = parsePgUrl("postgres://bob@127.0.0.1:5433/team");
    const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });
    assert.equal(await passwordFor({ ...url, password: "inurl" }, env({ PGPASSWORD: "e" })), "inurl");
    assert.equal(await passwordFor(url, env({ PGPASSWORD: "fromenv", PGPASSFILE: file })), "fromenv");
    assert.equal(await passwordFor(url, env({ PGPASSFILE: file })), "fromfile");
    assert.equal(await passwordFor({ ...url, user: "eve" }, env({ PGPASSFILE: file })), "any");
    await Deno.chmod(file, 0o644);
    assert.equal(await passwordFor(url, env({ PGPASSFILE: file })), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

pgTest("wire: a named statement is prepared once per connection, and again after it failed", async () => {
  const c = client();
  await c.connect();
  try {
    await c.query("CREATE TEMP TABLE p (id INT)");
    const ins = (i: number) => ({ name: "t_ins", text: "INSERT INTO p VALUES ($1)", values: [i] });
    for (let i = 0; i < 3; i++) await c.query(ins(i));
    const sel = (id: number) => ({
      name: "t_sel",
      text: "SELECT * FROM p WHERE id >= $1 ORDER BY id",
      values: [id],
    });
    assert.deepEqual(one(await c.query(sel(1))).rows, [{ id: 1 }, { id: 2 }]);
    const prepared = async () =>
      one(await c.query("SELECT count(*) AS n FROM pg_prepared_statements")).rows[0].n;
    assert.equal(await prepared(), 2);
    // A column added under a prepared SELECT *: PostgreSQL refuses the old plan once, the next call
    // prepares the statement again.
    await c.query("ALTER TABLE p ADD COLUMN note TEXT DEFAULT 'n'");
    const again = await c.query(sel(2)).then((r) => one(r).rows, (e: WireDbError) => e.code);
    if (again !== "0A000") assert.deepEqual(again, [{ id: 2, note: "n" }]);
    assert.deepEqual(one(await c.query(sel(2))).rows, [{ id: 2, note: "n" }]);
    assert.equal(await prepared(), 2);
  } finally {
    await c.end();
  }
});

pgTest("wire: calls sent together (large ones too) come back whole and in order", async () => {
  const c = client();
  await c.connect();
  try {
    const big = "x".repeat(3_000_000);
    const calls = Array.from(
      { length: 20 },
      (_, i) =>
        c.query("SELECT length(CAST($1 AS TEXT)) AS n, CAST($2 AS INT) AS i", [i % 3 ? String(i) : big, i]),
    );
    const rows = (await Promise.all(calls)).map((r) => one(r).rows[0]);
    assert.deepEqual(
      rows,
      Array.from({ length: 20 }, (_, i) => ({ n: i % 3 ? String(i).length : big.length, i })),
    );
    const echo = one(await c.query("SELECT CAST($1 AS TEXT) AS t", [big])).rows[0].t;
    assert.equal(echo, big);
  } finally {
    await c.end();
  }
});

pgTest("wire: arrays come back as pg's parsers give them", async () => {
  const c = client();
  await c.connect();
  try {
    const r = one(
      await c.query(
        `SELECT ARRAY['a', 'b c', NULL, 'NULL', 'q"\\'] AS txt, ARRAY[1, NULL, 3] AS ints,
           ARRAY[CAST(9007199254740993 AS BIGINT)] AS bigs, ARRAY[ARRAY[1.5, 2], ARRAY[3, 4]]::float8[] AS grid,
           ARRAY[true, false] AS flags, ARRAY[CAST('{"k":1}' AS JSONB)] AS docs, CAST($1 AS TEXT[]) AS echo`,
        [["x,y", "{z}", null]],
      ),
    );
    assert.deepEqual(r.rows[0], {
      txt: ["a", "b c", null, "NULL", 'q"\\'],
      ints: [1, null, 3],
      bigs: ["9007199254740993"],
      grid: [[1.5, 2], [3, 4]],
      flags: [true, false],
      docs: [{ k: 1 }],
      echo: ["x,y", "{z}", null],
    });
  } finally {
    await c.end();
  }
});

pgTest(
  "wire: hello goes out with the login; its first query takes that answer, later ones ask again",
  async () => {
    // A session counter: each run of hello adds one.
    const hello =
      "SELECT set_config('backlog.n', (COALESCE(NULLIF(current_setting('backlog.n', true), ''), '0')::int + 1)::text, false) AS n";
    const c = new WireClient({ url: parsePgUrl(TEST_PG), applicationName: "backlog-test", hello });
    await c.connect();
    try {
      await c.query("SELECT set_config('backlog.n', '10', false)");
      // Run before the statement above: the hello sent with the login.
      assert.equal(one(await c.query(hello)).rows[0].n, "1");
      assert.equal(one(await c.query(hello)).rows[0].n, "11", "the second one runs anew");
      // A failing hello fails only its taker.
      const bad = new WireClient({ url: parsePgUrl(TEST_PG), hello: "SELECT * FROM no_such_table" });
      await bad.connect();
      const e = await bad.query("SELECT * FROM no_such_table").then(() => assert.fail("ran"), (e) => e);
      assert.equal((e as WireDbError).code, "42P01");
      assert.equal(one(await bad.query("SELECT 1 AS n")).rows[0].n, 1);
      await bad.end();
    } finally {
      await c.end();
    }
    // A wrong password fails the login (hello and all) with the server's own error.
    const w = new WireClient({ url: { ...parsePgUrl(TEST_PG), password: "Wr0ngPassw0rd" }, hello });
    await assert.rejects(w.connect(), (e: WireDbError) => e.code === "28P01");
  },
);
