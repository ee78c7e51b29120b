// The PostgreSQL connection keeper (src/db/pg/keeper.ts, keeper_main.ts): one-shot commands take a
// logged-in session from it, sessions are reset between commands, a session left mid-transaction is
// never handed out again, a different password stops it, and it exits when idle.
import assert from "node:assert/strict";
import { keeperSocket } from "../../src/db/pg/keeper.ts";
import { keeperMain } from "../../src/db/pg/keeper_main.ts";
import { parsePgUrl, SESSION_OPTIONS } from "../../src/db/pg/connection.ts";
import { WireClient, type WireResult } from "../../src/db/pg/wire.ts";
import { Out } from "../../src/db/pg/wire_codec.ts";
import { within } from "../helpers/app.ts";
import { spawnCli } from "../helpers/cli.ts";
import { pgTest, TEST_PG, withPgDatabase } from "../helpers/pg.ts";

const env = (dir: string, idleMs: number) =>
  new Map([
    ["BACKLOG_PG_KEEPER", "on"],
    ["BACKLOG_PG_KEEPER_DIR", dir],
    ["BACKLOG_PG_KEEPER_IDLE_MS", String(idleMs)],
  ]);

/** A keeper for url run in this process (as `backlog __pg-keeper` runs it), idling out after idleMs. */
function startKeeper(url: string, dir: string, idleMs: number): { socket: string; running: Promise<void> } {
  const socket = keeperSocket(parsePgUrl(url), env(dir, idleMs))!;
  const e = env(dir, idleMs).set("BACKLOG_PG_KEEPER_URL", url).set("BACKLOG_PG_KEEPER_SOCKET", socket);
  return { socket, running: keeperMain({ get: (k) => e.get(k) ?? Deno.env.get(k) }) };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!await ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exists = (p: string) => {
  try {
    return Deno.lstatSync(p), true;
  } catch {
    return false;
  }
};

async function privateTmp(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "backlog-keeper-" });
  await Deno.chmod(dir, 0o700);
  return dir;
}

/** A client through the keeper's socket (as a one-shot command's pool makes them). */
async function viaKeeper(url: string, socket: string): Promise<WireClient> {
  const c = new WireClient({
    url: parsePgUrl(url),
    socket,
    options: SESSION_OPTIONS,
    connectTimeoutMs: 5000,
  });
  await c.connect();
  return c;
}
/** A raw connection logged in through the keeper (startup, password, its R0 and ReadyForQuery). */
async function rawLogin(url: string, socket: string): Promise<Deno.Conn> {
  const u = parsePgUrl(url);
  const conn = await Deno.connect({ transport: "unix", path: socket });
  await conn.write(
    new Out().i32(196608).str("user").str(u.user).str("database").str(u.database)
      .bytes(new Uint8Array([0])).msg(),
  );
  const buf = new Uint8Array(64);
  await conn.read(buf); // R3: the password, please
  await conn.write(new Out().str(u.password).msg("p"));
  for (let got = 0; got < 15;) got += (await conn.read(buf.subarray(got))) ?? 15; // R0 + Z
  return conn;
}

const one = async (c: WireClient, sql: string) => ((await c.query(sql)) as WireResult).rows[0];

Deno.test("keeper: the socket lives only in a private directory of this user's, and can be turned off", async () => {
  const url = parsePgUrl("postgres://u:secret@db.example:5432/team");
  const dir = await privateTmp();
  try {
    const on = { get: (k: string) => k === "BACKLOG_PG_KEEPER_DIR" ? dir : undefined };
    const path = keeperSocket(url, on);
    assert.ok(path?.startsWith(`${dir}/pg-`), path);
    assert.ok(!path!.includes("secret"));
    assert.equal(keeperSocket(url, { get: (k) => k === "BACKLOG_PG_KEEPER" ? "off" : on.get(k) }), undefined);
    await Deno.chmod(dir, 0o755); // others may enter: not used
    assert.equal(keeperSocket(url, on), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

pgTest("keeper: sessions are reused and reset, one left in a transaction is closed, idle exits", async () => {
  await withPgDatabase(async (url) => {
    const dir = await privateTmp();
    const { socket, running } = startKeeper(url, dir, 1500);
    try {
      await until("the keeper's socket", () => exists(socket));
      // A client held through the test: the keeper idles out only when the test lets it.
      const holder = await viaKeeper(url, socket);
      const watcher = new WireClient({ url: parsePgUrl(url), connectTimeoutMs: 5000 }); // directly
      await watcher.connect();
      const pids = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const c = await viaKeeper(url, socket);
        const row = await one(
          c,
          "SELECT pg_backend_pid() AS pid, current_setting('application_name') AS app",
        );
        pids.add(row.pid as number);
        assert.equal(row.app, "backlog", "a session starts as a command's own would");
        assert.equal((await one(c, "SELECT count(*) AS n FROM pg_prepared_statements")).n, 0);
        await c.query("SET application_name = 'changed'");
        await c.query({ text: "SELECT $1::int AS x", values: [1], name: "left_behind" });
        await c.end();
        // The next command comes once the keeper has reset this session (commands take ~40 ms).
        await until("the session's reset", async () =>
          ((await watcher.query({
            text:
              "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'idle' AND query = 'DISCARD ALL'",
            values: [row.pid],
          })) as WireResult).rows.length === 1);
      }
      await watcher.end();
      assert.ok(pids.size <= 2, `5 commands in turn used ${pids.size} sessions`);

      const open = await viaKeeper(url, socket);
      const pid = (await one(open, "SELECT pg_backend_pid() AS pid")).pid;
      await open.query("BEGIN");
      await open.query("CREATE TEMP TABLE half_done (x int)");
      await open.end(); // gone inside a transaction: that session must never serve again
      const admin = await viaKeeper(url, socket);
      await until(
        "the abandoned session to close",
        async () =>
          !(await admin.query({
            text: "SELECT 1 FROM pg_stat_activity WHERE pid = $1",
            values: [pid],
          }) as WireResult)
            .rows.length,
      );
      assert.notEqual((await one(admin, "SELECT pg_backend_pid() AS pid")).pid, pid);

      // A result of megabytes comes through whole, as it comes directly (the relay waits for each write).
      const big = "SELECT i, md5(i::text) || repeat('y', 200) AS s FROM generate_series(1, 20000) AS i";
      const direct = new WireClient({ url: parsePgUrl(url), connectTimeoutMs: 5000 });
      await direct.connect();
      const sum = (r: WireResult) => r.rows.reduce((n, x) => n + String(x.s).length + Number(x.i), 0);
      const through = await within(admin.query(big), 30_000, "a big result through the keeper") as WireResult;
      const plain = await direct.query(big) as WireResult;
      assert.equal(through.rows.length, 20000);
      assert.equal(sum(through), sum(plain));
      await direct.end();
      await admin.end();

      // A message with a length below 4 ends that client's connection, not the keeper.
      const bad = await rawLogin(url, socket);
      await bad.write(new Uint8Array([81, 255, 255, 255, 255])); // 'Q', length -1
      assert.equal(await within(bad.read(new Uint8Array(64)), 5000, "the keeper to hang up"), null);
      bad.close();
      const after = await viaKeeper(url, socket);
      assert.equal((await one(after, "SELECT 1 AS x")).x, 1);
      await after.end();
      await holder.end();

      // A client that connects and never logs in is cut after 2 s; then the keeper idles out.
      const silent = await Deno.connect({ transport: "unix", path: socket });
      await within(running, 15_000, "the keeper to exit when idle");
      silent.close();
      assert.ok(!exists(socket), "an exiting keeper removes its socket");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

pgTest("keeper: a command with another password is refused and the keeper stops", async () => {
  await withPgDatabase(async (url) => {
    const dir = await privateTmp();
    const { socket, running } = startKeeper(url, dir, 60_000);
    try {
      await until("the keeper's socket", () => exists(socket));
      const wrong = new URL(url);
      wrong.password = "not-the-password";
      await assert.rejects(
        viaKeeper(wrong.href, socket),
        (err: Error & { code?: string }) => err.code === "28P01",
      );
      await within(running, 10_000, "the keeper to stop");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

pgTest(
  "keeper: CLI commands start one and go through it; a broken keeper only costs a direct connection",
  async () => {
    await withPgDatabase(async (url) => {
      const home = await privateTmp();
      const dir = `${home}/keep`;
      const cliEnv = { HOME: home, BACKLOG_DB: url, ...Object.fromEntries(env(dir, 3000)) };
      const run = async (...argv: string[]) => {
        const r = await spawnCli(argv, cliEnv);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(
          !r.stdout.includes(new URL(TEST_PG).password) && !r.stderr.includes(new URL(TEST_PG).password),
        );
        return r.stdout;
      };
      await Deno.mkdir(dir, { mode: 0o700 });
      const socket = keeperSocket(parsePgUrl(url), env(dir, 3000))!;
      try {
        await run("project", "add", "--alias", "app");
        await until("the keeper the first command started", () => exists(socket));
        const holder = await viaKeeper(url, socket); // no idle exit while the commands run
        await run("task", "add", "-p", "app", "-t", "first");
        await run("task", "add", "-p", "app", "-t", "second");
        const list = JSON.parse(await run("task", "list", "--json"));
        assert.deepEqual(list.tasks.map((t: { title: string }) => t.title).sort(), ["first", "second"]);
        const admin = new WireClient({ url: parsePgUrl(url), connectTimeoutMs: 5000 }); // directly
        await admin.connect();
        const kept = (await admin.query(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'DISCARD ALL'",
        )) as WireResult;
        assert.ok(Number(kept.rows[0].n) >= 1, "a session a command used was reset and kept");
        await admin.end();
        await holder.end();
        await until("the keeper to exit when idle", () => !exists(socket));

        // Something that hangs up at once, then something that never answers (a stopped keeper, say):
        // the command connects directly and succeeds, the second after the keeper's 2 s at most.
        for (const hangUp of [true, false]) {
          const broken = Deno.listen({ transport: "unix", path: socket });
          const held: Deno.Conn[] = [];
          const accepting = (async () => {
            for await (const c of broken) hangUp ? c.close() : held.push(c);
          })();
          try {
            assert.match(await run("task", "show", "TASK-1"), /first/);
          } finally {
            broken.close();
            for (const c of held) c.close();
            await accepting.catch(() => {});
            await Deno.remove(socket).catch(() => {});
          }
        }
      } finally {
        await until("no keeper left", () => !exists(socket)).catch(() => {});
        await Deno.remove(home, { recursive: true });
      }
    });
  },
);

pgTest("keeper: a keeper that does not answer (stopped) is replaced", async () => {
  await withPgDatabase(async (url) => {
    const dir = await privateTmp();
    const socket = keeperSocket(parsePgUrl(url), env(dir, 4000))!;
    // Accepts (the kernel queues connections for a stopped process) and never answers.
    const stuck = Deno.listen({ transport: "unix", path: socket });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const c of stuck) held.push(c);
    })();
    const stuckIno = Deno.statSync(socket).ino;
    const { running } = startKeeper(url, dir, 4000);
    try {
      await until("the new keeper's socket", () => {
        try {
          return Deno.statSync(socket).ino !== stuckIno;
        } catch {
          return false;
        }
      });
      const c = await viaKeeper(url, socket);
      assert.equal((await one(c, "SELECT 1 AS x")).x, 1);
      await c.end();
      await within(running, 15_000, "the keeper to exit when idle");
    } finally {
      stuck.close();
      for (const h of held) h.close();
      await accepting.catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  });
});
