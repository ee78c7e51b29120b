import assert from "node:assert/strict";
import { seeded } from "./client.ts";
import { startWeb } from "../helpers/browser.ts";

Deno.test("HTTP errors echo input exactly as sent, name the field once, and escape control characters", async () => {
  const t = await seeded();
  try {
    const cases: [unknown, string][] = [
      [{ project: "api", title: "x", priority: "P9" }, 'invalid priority "P9" (use P1-P5 or 1-5)'],
      [{ project: "api", title: "x", priority: "p9" }, 'invalid priority "p9" (use P1-P5 or 1-5)'],
      [{ project: "api", title: "x", status: "DONEX" }, 'invalid status "DONEX" (valid: todo, doing, done)'],
      [{ title: "x" }, "project is required"],
      [{ project: "api", title: "" }, "title is required"],
      [{ project: "api", title: 5 }, "title must be a string"],
    ];
    for (const [b, want] of cases) {
      const r = await t.post("/api/tasks", b);
      assert.deepEqual([r.status, r.json.error], [400, want], JSON.stringify(b));
    }
    const q = await t.get("/api/tasks?sort=Prio&status=todo");
    assert.equal(q.json.error, 'invalid sort "Prio" (valid: priority, created, updated, seq, title)');
    const esc = await t.get(`/api/tasks?status=${encodeURIComponent("x\u001b[31m\u202e")}`);
    assert.equal(esc.status, 400);
    assert.equal(esc.json.error, 'invalid status "x\\x1b[31m\\u202e" (valid: todo, doing, done)');
    const ghost = await t.get(`/api/tasks?project=${encodeURIComponent("Gh\u200bost\u0007")}`);
    assert.deepEqual([ghost.status, ghost.json.error], [404, 'project "Gh\\u200bost\\x07" not found']);
  } finally {
    await t.close();
  }
});

Deno.test("a burst of requests, chunked bodies included, prints no Deno warning on the server's stderr", async () => {
  const srv = await startWeb(async (cli) => {
    await cli("project", "add", "API", "--alias", "api");
  }, { build: false });
  try {
    const chunked = (i: number) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(JSON.stringify({ project: "api", title: `chunked ${i}` })));
          c.close();
        },
      });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const ac = new AbortController();
      const init: RequestInit & { duplex?: string } = i % 3 === 0
        ? {
          method: "POST",
          body: chunked(i),
          duplex: "half",
          headers: { "Content-Type": "application/json" },
        }
        : { signal: ac.signal };
      const path = i % 3 === 0 || i % 2 ? "/api/tasks" : "/api/projects";
      calls.push(fetch(`${srv.url}${path}`, init).then(async (r) => `${r.status} ${await r.text()}`, String));
      if (i % 10 === 5) setTimeout(() => ac.abort(), 1);
    }
    const replies = await Promise.all(calls);
    const list = await (await fetch(`${srv.url}/api/tasks?project=api&limit=0`)).json();
    assert.equal(list.page.total, 20, replies.filter((_, i) => i % 3 === 0).join("\n"));
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(srv.stderr(), /warning|Deno\.serve|request\.signal/i, srv.stderr());
  } finally {
    await srv.close();
  }
});
