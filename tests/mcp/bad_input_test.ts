import assert from "node:assert/strict";
import { session, withProject } from "./mcp_client.ts";
import { serveStdio } from "../../src/mcp/stdio.ts";
import { bot, testApp, within } from "../helpers/app.ts";
import type { App } from "../../src/app.ts";

Deno.test("a tool call with wrong argument types is an isError result naming the argument", async () => {
  const s = await session();
  try {
    await withProject(s);
    const msg = await s.err("task_create", { project: "api", title: 123 });
    // The domain rule answers (the same message as HTTP and the CLI), not the SDK's protocol error.
    assert.equal(msg, "error (invalid): title must be a string");
    assert.match(await s.err("task_list", { limit: "ten" }), /limit/);
    assert.match(await s.err("task_update", { id: "TASK-1", labels: "a" }), /labels/);
    assert.match(await s.err("task_show", {}), /id/);
    assert.equal((await s.app.tasks.list()).page.total, 0);
  } finally {
    await s.close();
  }
});

Deno.test("a 1 MB description is refused as an isError result and writes no row", async () => {
  const s = await session();
  try {
    await withProject(s);
    const big = "x".repeat(1 << 20);
    assert.match(
      await s.err("task_create", { project: "api", title: "big", description: big }),
      /description exceeds/,
    );
    assert.equal((await s.app.tasks.list()).page.total, 0);
    await s.ok("task_create", { project: "api", title: "small" });
    assert.match(await s.err("task_update", { id: "TASK-1", description: big, title: "renamed" }), /exceeds/);
    assert.equal((await s.app.tasks.getTask("TASK-1")).title, "small");
    assert.equal((await s.app.activity.list({ entity: "task" })).page.total, 1);
  } finally {
    await s.close();
  }
});

/** Runs the stdio server over in-memory streams: feed lines, collect the answer lines. */
async function stdio(app: App, lines: (string | Uint8Array)[], opts: { maxLine?: number } = {}) {
  const out: string[] = [];
  const enc = new TextEncoder();
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      for (const l of lines) c.enqueue(typeof l === "string" ? enc.encode(l) : l);
      c.close();
    },
  });
  const dec = new TextDecoder();
  const logs: string[] = [];
  await serveStdio(app, bot, {
    input,
    write: (b) => Promise.resolve(void out.push(dec.decode(b))),
    log: (l) => void logs.push(l),
    maxLine: opts.maxLine,
  });
  const msgs = out.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return { msgs, logs, raw: out.join("") };
}

const init = JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
}) + "\n";
const initialized = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n";
const req = (id: number, method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) }) + "\n";

Deno.test("stdio: garbage lines, invalid requests and unknown methods get protocol errors; EOF ends cleanly", async () => {
  const app = await testApp();
  try {
    const { msgs } = await stdio(app, [
      init,
      initialized,
      "this is not json\n",
      "\n   \n",
      '{"jsonrpc":"2.0","id":7,"method":5}\n',
      "[1,2,3]\n",
      req(1, "no/such/method"),
      req(2, "ping"),
      req(3, "tools/call", { name: "project_list", arguments: {} }),
    ]);
    const byId = new Map(msgs.map((m) => [m.id, m]));
    assert.equal(byId.get(0).result.protocolVersion, "2025-06-18");
    assert.equal(byId.get(0).result.serverInfo.name, "backlog");
    const parse = msgs.filter((m) => m.error?.code === -32700);
    assert.equal(parse.length, 1);
    assert.equal(parse[0].id, null);
    assert.equal(byId.get(7).error.code, -32600);
    assert.equal(msgs.filter((m) => m.id === null && m.error?.code === -32600).length, 1);
    assert.equal(byId.get(1).error.code, -32601);
    assert.deepEqual(byId.get(2).result, {});
    assert.equal(byId.get(3).result.content[0].text, "no projects");
    // the notification got no answer: one reply per request or bad line, nothing else
    assert.equal(msgs.length, 7);
  } finally {
    await app.close();
  }
});

Deno.test("stdio: an unsupported protocol version is answered with the server's latest", async () => {
  const app = await testApp();
  try {
    const old = init.replace("2025-06-18", "1999-01-01");
    const { msgs } = await stdio(app, [old]);
    assert.match(msgs[0].result.protocolVersion, /^20\d\d-\d\d-\d\d$/);
    assert.notEqual(msgs[0].result.protocolVersion, "1999-01-01");
  } finally {
    await app.close();
  }
});

Deno.test("stdio: a request whose line arrives in pieces and stdin closing right after it is still answered", async () => {
  const app = await testApp();
  try {
    const call = req(5, "tools/call", { name: "project_create", arguments: { alias: "web" } });
    const half = call.length >> 1;
    // the last request has no trailing newline: EOF ends it
    const { msgs } = await stdio(app, [init, initialized, call.slice(0, half), call.slice(half).trimEnd()]);
    const r = msgs.find((m) => m.id === 5);
    assert.equal(r.result.structuredContent.alias, "web");
    assert.equal((await app.projects.list()).length, 1);
  } finally {
    await app.close();
  }
});

Deno.test("stdio: a truncated request at EOF writes nothing and is answered with a parse error", async () => {
  const app = await testApp();
  try {
    const call = req(6, "tools/call", { name: "project_create", arguments: { alias: "web" } });
    const { msgs } = await stdio(app, [init, initialized, call.slice(0, 40)]);
    assert.equal(msgs.filter((m) => m.error?.code === -32700).length, 1);
    assert.equal((await app.projects.list()).length, 0);
  } finally {
    await app.close();
  }
});

Deno.test("stdio: a line over the size limit is refused and the server keeps serving", async () => {
  const app = await testApp();
  try {
    const huge = req(8, "tools/call", {
      name: "project_create",
      arguments: { alias: "x", description: "y".repeat(5000) },
    });
    const { msgs } = await stdio(app, [init, huge, req(9, "ping")], { maxLine: 2000 });
    assert.match(msgs.find((m) => m.error?.code === -32600).error.message, /too large/);
    assert.deepEqual(msgs.find((m) => m.id === 9).result, {});
    assert.equal((await app.projects.list()).length, 0);
  } finally {
    await app.close();
  }
});

Deno.test("stdio: a 1 MB description over the wire is an isError result, not a crash", async () => {
  const app = await testApp();
  try {
    await app.projects.create({ alias: "api" }, bot);
    const big = req(4, "tools/call", {
      name: "task_create",
      arguments: { project: "api", title: "t", description: "z".repeat(1 << 20) },
    });
    const { msgs } = await stdio(app, [init, initialized, big, req(5, "ping")]);
    const r = msgs.find((m) => m.id === 4);
    assert.equal(r.result.isError, true);
    assert.match(r.result.content[0].text, /description exceeds max length/);
    assert.deepEqual(msgs.find((m) => m.id === 5).result, {});
    assert.equal((await app.tasks.list()).page.total, 0);
  } finally {
    await app.close();
  }
});

Deno.test("stdio: the server stops when its signal aborts, even with stdin still open", async () => {
  const app = await testApp();
  try {
    const ac = new AbortController();
    const input = new ReadableStream<Uint8Array>({ start() {} });
    const out: string[] = [];
    const done = serveStdio(app, bot, {
      input,
      write: (b) => Promise.resolve(void out.push(new TextDecoder().decode(b))),
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 20);
    await within(done, 2000, "serveStdio to stop after its signal aborted");
    assert.deepEqual(out, []);
  } finally {
    await app.close();
  }
});
