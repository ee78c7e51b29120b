import assert from "node:assert/strict";
import { AppError } from "../../src/domain/errors.ts";
import { CLI_HINTS } from "../../src/cli/hints.ts";
import { isPgUrl, parsePgUrl, redactUrl } from "../../src/db/pg/connection.ts";
import { openPgStore } from "../../src/db/pg/open.ts";
import { pgTest, TEST_PG } from "../helpers/pg.ts";

Deno.test("postgres URLs: user, password, host, port, database, sslmode", () => {
  assert.deepEqual(parsePgUrl("postgresql://bob:s%40cret@db.example:6543/team?sslmode=require"), {
    user: "bob",
    password: "s@cret",
    host: "db.example",
    port: 6543,
    database: "team",
    sslmode: "require",
  });
  assert.deepEqual(parsePgUrl("postgres://db"), {
    user: "postgres",
    password: "",
    host: "db",
    port: 5432,
    database: "postgres",
    sslmode: "prefer",
  });
  assert.equal(parsePgUrl("postgres://u@[::1]:5433/x").host, "::1");
  assert.ok(isPgUrl("postgres://x") && isPgUrl("POSTGRESQL://x") && !isPgUrl("./postgres.db"));
});

Deno.test("a bad postgres URL is invalid (exit 2) and never echoes the password", () => {
  for (
    const [url, msg] of [
      ["postgres://u:hunter2@h/db?sslmode=sometimes", /^unknown sslmode: sometimes$/],
      ["postgres://u:hunter2@h/db?options=x", /^unsupported postgres url parameter: options$/],
      ["postgres://u:hunter2@h:99999/db", /^not a valid postgres url: postgres:\/\/u:\*\*\*@h:99999\/db$/],
    ] as const
  ) {
    assert.throws(() => parsePgUrl(url), (e: AppError) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, msg);
      assert.ok(!`${e.message} ${e.hint}`.includes("hunter2"));
      return true;
    });
  }
  assert.equal(redactUrl("postgres://u:p%40ss@h/db"), "postgres://u:***@h/db");
});

async function refused(
  url: string,
  opts: { connectTimeoutMs?: number } = {},
): Promise<{ e: AppError; ms: number }> {
  const t = performance.now();
  const e = await openPgStore(url, opts).then(
    () => assert.fail("connected"),
    (e) => e as AppError,
  );
  return { e, ms: performance.now() - t };
}

const checkOneLine = (e: AppError, secret: string) => {
  assert.ok(e instanceof AppError);
  assert.equal(e.exitCode, 1);
  assert.ok(!e.message.includes("\n"));
  assert.ok(!JSON.stringify({ m: e.message, h: e.hint, d: e.details }).includes(secret));
};

Deno.test("a refused port fails at once with one line naming the server, not the password", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const { e, ms } = await refused(`postgres://bob:Sup3rSecret@127.0.0.1:${port}/team`);
  checkOneLine(e, "Sup3rSecret");
  assert.match(e.message, new RegExp(`^cannot reach postgres bob@127\\.0\\.0\\.1:${port}/team: `));
  assert.ok(ms < 5000, `${ms} ms`);
});

Deno.test("a server that accepts but never answers times out (connect timeout, not a hang)", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of l) held.push(c);
  })().catch(() => {});
  try {
    const port = (l.addr as Deno.NetAddr).port;
    const { e } = await refused(`postgres://bob:Sup3rSecret@127.0.0.1:${port}/team`, {
      connectTimeoutMs: 300,
    });
    checkOneLine(e, "Sup3rSecret");
    assert.match(e.message, /^cannot reach postgres bob@127\.0\.0\.1:\d+\/team: .*timeout/);
  } finally {
    l.close();
    held.forEach((c) => c.close());
    await accepting;
  }
});

pgTest("a wrong password is one line, exit 1, and the password appears nowhere", async () => {
  const u = new URL(TEST_PG);
  u.password = "Wr0ngPassw0rd";
  const { e } = await refused(u.toString());
  checkOneLine(e, "Wr0ngPassw0rd");
  assert.match(e.message, /^cannot connect to postgres \S+: authentication failed$/);
  assert.match(e.hintIn(CLI_HINTS) ?? "", /password/);
});

pgTest("no password where the server wants one is one line naming what is missing", async () => {
  const u = new URL(TEST_PG);
  u.password = "";
  const saved = { pw: Deno.env.get("PGPASSWORD"), file: Deno.env.get("PGPASSFILE") };
  Deno.env.delete("PGPASSWORD");
  Deno.env.set("PGPASSFILE", "/nonexistent/backlog-test-pgpass");
  try {
    const { e } = await refused(u.toString());
    checkOneLine(e, new URL(TEST_PG).password);
    assert.match(e.message, /^cannot connect to postgres \S+: the server wants a password$/);
    assert.match(e.hintIn(CLI_HINTS) ?? "", /PGPASSWORD/);
  } finally {
    if (saved.pw === undefined) Deno.env.delete("PGPASSWORD");
    else Deno.env.set("PGPASSWORD", saved.pw);
    if (saved.file === undefined) Deno.env.delete("PGPASSFILE");
    else Deno.env.set("PGPASSFILE", saved.file);
  }
});

pgTest("int8 columns read back as SQLite's store reads them (Number of the exact value)", async () => {
  const db = await openPgStore(TEST_PG);
  try {
    const r = await db.get<{ n: number }>("SELECT ?::bigint AS n", 1776000000123456789n);
    assert.equal(r?.n, Number(1776000000123456789n));
  } finally {
    await db.close();
  }
});

pgTest("LISTEN/NOTIFY: a committed notify arrives, a rolled-back one never does", async () => {
  const db = await openPgStore(TEST_PG);
  try {
    const got: string[] = [];
    let arrived: () => void = () => {};
    const stop = await db.listen("backlog_test", (p) => (got.push(p), arrived()));
    await assert.rejects(db.tx(async () => {
      await db.get("SELECT pg_notify('backlog_test', 'rolled back')");
      throw new Error("abort");
    }));
    const wait = new Promise<void>((r) => (arrived = r));
    await db.tx(() => db.get("SELECT pg_notify('backlog_test', 'committed')"));
    await Promise.race([wait, new Promise((r) => setTimeout(r, 1000))]);
    assert.deepEqual(got, ["committed"]);
    await stop();
  } finally {
    await db.close();
  }
});
