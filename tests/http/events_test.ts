import assert from "node:assert/strict";
import { openApp } from "../../src/app.ts";
import { httpTest } from "./client.ts";
import { alice, bot, within } from "../helpers/app.ts";
import { freshPgDatabase, pgTest } from "../helpers/pg.ts";
import { cacheDir, sharedDb } from "../helpers/cli.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

/** Reads an SSE body until `until(text)` holds or the deadline passes; returns the text so far. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (text: string) => boolean,
  ms: number,
  sofar = { text: "" },
): Promise<string> {
  const deadline = Date.now() + ms;
  while (!until(sofar.text)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    let timer: Awaited<ReturnType<typeof setTimeout>> | undefined;
    const r = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((res) =>
        timer = setTimeout(() => res({ done: true, value: undefined }), left)
      ),
    ]);
    clearTimeout(timer);
    if (r.value) sofar.text += dec.decode(r.value, { stream: true });
    if (r.done) break;
  }
  return sofar.text;
}

const dataOf = (text: string) =>
  text.split("\n\n").filter((b) => b.includes("\ndata: ") && b.startsWith("id: ")).map((b) =>
    JSON.parse(b.slice(b.indexOf("data: ") + 6))
  );

Deno.test("GET /api/events streams a ready event, then one event per write with its seq as id", async () => {
  using t = await httpTest({ pollMs: 20 });
  const res = await t.h.request("/api/events");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
  const reader = res.body!.getReader();
  const buf = { text: "" };
  await readUntil(reader, (s) => s.includes("event: ready"), 2000, buf);
  assert.match(buf.text, /^retry: 1000\nevent: ready\ndata: \{"cursor":0\}\n\n/);
  await t.post("/api/projects", { alias: "api", name: "API" });
  await t.post("/api/tasks", { project: "api", title: "<b>live</b>" });
  await readUntil(reader, (s) => dataOf(s).length >= 2, 2000, buf);
  const events = dataOf(buf.text);
  assert.deepEqual(events.map((e) => e.action), ["created", "created"]);
  assert.equal(events[1].summary, 'Created task "<b>live</b>" (TASK-1)');
  assert.match(buf.text, new RegExp(`id: ${events[1].seq}\n`));
  await reader.cancel();
});

Deno.test("GET /api/events?project= filters, and Last-Event-ID resumes where the client left off", async () => {
  using t = await httpTest({ pollMs: 20 });
  await t.post("/api/projects", { alias: "api", name: "API" });
  await t.post("/api/projects", { alias: "web", name: "Web" });
  const mark = (await t.get("/api/activity?limit=1")).json.events[0].seq;
  await t.post("/api/tasks", { project: "web", title: "missed" });
  const res = await t.h.request("/api/events?project=api", { headers: { "Last-Event-ID": String(mark) } });
  const reader = res.body!.getReader();
  await t.post("/api/tasks", { project: "api", title: "seen" });
  const text = await readUntil(reader, (s) => dataOf(s).length >= 1, 2000);
  await reader.cancel();
  assert.deepEqual(dataOf(text).map((e) => e.summary), ['Created task "seen" (TASK-2)']);

  const res2 = await t.h.request("/api/events", { headers: { "Last-Event-ID": String(mark) } });
  const r2 = res2.body!.getReader();
  const text2 = await readUntil(r2, (s) => dataOf(s).length >= 2, 2000);
  await r2.cancel();
  assert.deepEqual(dataOf(text2).map((e) => e.summary), [
    'Created task "missed" (TASK-1)',
    'Created task "seen" (TASK-2)',
  ]);
  assert.equal((await t.get("/api/events?project=ghost")).status, 404);
});

Deno.test("the event stream ends when the server shuts down", async () => {
  using t = await httpTest();
  const res = await t.h.request("/api/events");
  const reader = res.body!.getReader();
  assert.match(await readUntil(reader, (s) => s.includes("ready"), 2000), /event: ready/);
  await t.close(); // aborts the server signal
  const end = await within(reader.read(), 2000, "the event stream to end");
  assert.equal(end.done, true);
});

Deno.test("a task added by a separate CLI process reaches an open event stream within 1 s", async () => {
  const dir = await Deno.makeTempDir();
  const shared = await sharedDb(dir);
  const dbPath = shared.path;
  const app = await openApp({ dbPath });
  try {
    await app.projects.create({ alias: "api", name: "API" }, { kind: "human", name: "alice" });
    using t = await httpTest({ app });
    const res = await t.h.request("/api/events");
    const reader = res.body!.getReader();
    const buf = { text: "" };
    await readUntil(reader, (s) => s.includes("ready"), 2000, buf);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "--db",
        dbPath,
        "--as",
        "ai:cli-agent",
        "task",
        "add",
        "-p",
        "api",
        "-t",
        "from the cli",
      ],
      env: { DENO_DIR: await cacheDir(), HOME: dir, XDG_CONFIG_HOME: dir, NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const out = await child.output();
    const exited = Date.now();
    assert.equal(out.code, 0, dec.decode(out.stderr));
    await readUntil(reader, (s) => dataOf(s).some((e) => e.entity === "task"), 1000, buf);
    const arrived = Date.now();
    const ev = dataOf(buf.text).find((e) => e.entity === "task");
    assert.ok(ev, "the CLI's write arrived");
    assert.deepEqual(ev.actor, { kind: "ai", name: "cli-agent" });
    const latencyMs = arrived - ev.created_at / 1e6;
    assert.ok(arrived - exited <= 1000, `arrived ${arrived - exited} ms after the process exited`);
    assert.ok(latencyMs <= 1000, `delivered ${latencyMs.toFixed(0)} ms after the commit`);
    await reader.cancel();
  } finally {
    await app.close();
    await shared.drop();
    await Deno.remove(dir, { recursive: true });
  }
});

pgTest(
  "PostgreSQL: another server's writes reach an open event stream within 1 s; Last-Event-ID resumes",
  async () => {
    const db = await freshPgDatabase();
    const writer = await openApp({ dbPath: db.path });
    const server = await openApp({ dbPath: db.path });
    try {
      // A poll interval far beyond the test: only the NOTIFY from the writer's commit can wake the feed.
      using t = await httpTest({ app: server, pollMs: 60_000 });
      const res = await t.h.request("/api/events");
      const reader = res.body!.getReader();
      const buf = { text: "" };
      await readUntil(reader, (s) => s.includes("event: ready"), 2000, buf);
      assert.match(buf.text, /^retry: 1000\nevent: ready\ndata: \{"cursor":0\}\n\n/);
      await writer.projects.create({ alias: "api", name: "API" }, bot);
      await readUntil(reader, (s) => dataOf(s).length >= 1, 1000, buf);
      const [first] = dataOf(buf.text);
      assert.ok(first, "the other server's write arrived within 1 s");
      assert.deepEqual(first.actor, bot);
      assert.match(buf.text, new RegExp(`\nid: ${first.seq}\ndata: `));
      await reader.cancel();

      // Written while the client is away, then resumed from the last id it saw.
      await writer.projects.create({ alias: "web", name: "Web" }, alice);
      const res2 = await t.h.request("/api/events", { headers: { "Last-Event-ID": String(first.seq) } });
      const r2 = res2.body!.getReader();
      const text2 = await readUntil(r2, (s) => dataOf(s).length >= 1, 2000);
      await r2.cancel();
      assert.deepEqual(dataOf(text2).map((e) => e.summary), ['Created project "Web" (web)']);
      assert.ok(dataOf(text2)[0].seq > first.seq);
    } finally {
      await writer.close();
      await server.close();
      await db.drop();
    }
  },
);
