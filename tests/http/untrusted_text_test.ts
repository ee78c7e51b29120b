import assert from "node:assert/strict";
import { seeded } from "./client.ts";
import { BAD_NAMES, GOOD_NAMES, NASTY_QUERIES } from "../helpers/untrusted.ts";

Deno.test("HTTP: titles, names, labels and tags with control, bidi or zero-width characters are 400 and write nothing", async () => {
  const t = await seeded();
  try {
    const task = (await t.post("/api/tasks", { project: "api", title: "ok" })).json;
    const plan = (await t.post(`/api/tasks/${task.ref}/plans`, { title: "p", body: "b" })).json;
    const doc = (await t.post("/api/docs", { project: "api", title: "d", body: "b" })).json;
    const writes = async () => (await t.app.activity.list({})).page.total;
    const before = await writes();
    const calls: ((bad: string) => Promise<{ status: number; json: { error: string; code: string } }>)[] = [
      (b) => t.post("/api/tasks", { project: "api", title: b }),
      (b) => t.post("/api/tasks", { project: "api", title: "ok", labels: [b] }),
      (b) => t.post("/api/tasks", { project: "api", title: "ok", assignee: b }),
      (b) => t.patch(`/api/tasks/${task.ref}`, { title: b }),
      (b) => t.post(`/api/tasks/${task.ref}/labels`, { name: b }),
      (b) => t.post("/api/projects", { alias: "p2", name: b }),
      (b) => t.patch("/api/projects/api", { name: b }),
      (b) => t.post("/api/labels", { project: "api", name: b }),
      (b) => t.post(`/api/tasks/${task.ref}/plans`, { title: b, body: "x" }),
      (b) => t.patch(`/api/plans/${plan.id}`, { title: b }),
      (b) => t.post("/api/docs", { project: "api", title: b, body: "x" }),
      (b) => t.patch(`/api/docs/${doc.id}`, { title: b }),
      (b) => t.post("/api/memory", { project: "api", body: "x", tags: [b] }),
    ];
    for (const [i, call] of calls.entries()) {
      for (const [what, bad] of i === 0 ? BAD_NAMES : [BAD_NAMES[i % BAD_NAMES.length]]) {
        const r = await call(bad);
        assert.equal(r.status, 400, `call ${i} (${what}): ${JSON.stringify(r.json)}`);
        assert.equal(r.json.code, "invalid");
        assert.match(r.json.error, /contains .*cannot hold control, bidirectional or zero-width characters/);
      }
    }
    assert.equal(await writes(), before);
    for (const name of GOOD_NAMES) {
      assert.equal((await t.post("/api/tasks", { project: "api", title: name })).status, 200, name);
    }
  } finally {
    await t.close();
  }
});

Deno.test("HTTP: an X-Backlog-Actor name with whitespace is a 400 usage error", async () => {
  const t = await seeded();
  try {
    for (const actor of ["human:alice bob", "ai:a\tb"]) {
      const r = await t.post("/api/tasks", { project: "api", title: "x" }, { "X-Backlog-Actor": actor });
      assert.equal(r.status, 400, actor);
      assert.equal(r.json.code, "usage");
      assert.match(r.json.error, /X-Backlog-Actor: actor name .* contains/);
    }
    assert.equal((await t.app.tasks.list()).page.total, 0);
  } finally {
    await t.close();
  }
});

Deno.test("HTTP: errors echo what was sent: a UTF-8 actor header is decoded, a task id keeps its case", async () => {
  const t = await seeded();
  try {
    // fetch sends each character of a header value as one byte: these are the UTF-8 bytes of x\u202ey.
    const bytes = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
    const r = await t.post("/api/tasks", { project: "api", title: "x" }, {
      "X-Backlog-Actor": bytes("ai:x\u202ey"),
    });
    assert.equal(r.status, 400);
    assert.match(r.json.error, /"x\\u202ey" contains \\u202e/);
    const kind = await t.post("/api/tasks", { project: "api", title: "x" }, {
      "X-Backlog-Actor": bytes("x\u202ey"),
    });
    assert.match(kind.json.error, /invalid actor "x\\u202ey"/);
    const who = await t.post("/api/tasks", { project: "api", title: "y" }, {
      "X-Backlog-Actor": bytes("ai:José"),
    });
    assert.deepEqual(who.json.actor, { kind: "ai", name: "José" });
    const id = await t.get("/api/tasks/%1b%5b31m");
    assert.equal(id.status, 400);
    assert.match(id.json.error, /invalid task id "\\x1b\[31m"/);
    const lower = await t.get("/api/tasks/abc-xyz");
    assert.match(lower.json.error, /"abc-xyz"/);
  } finally {
    await t.close();
  }
});

Deno.test("HTTP: GET /api/tasks?search= answers every query with 200 or 400, never 500", async () => {
  const t = await seeded();
  try {
    await t.post("/api/tasks", { project: "api", title: "login timeout" });
    for (const q of NASTY_QUERIES) {
      const r = await t.get(`/api/tasks?search=${encodeURIComponent(q)}`);
      assert.ok(r.status === 200 || r.status === 400, `search ${JSON.stringify(q)}: ${r.status} ${r.text}`);
      if (r.status === 400) assert.equal(r.json.code, "invalid");
    }
    for (const q of ["*", "**", "*abc"]) {
      assert.equal((await t.get(`/api/tasks?search=${encodeURIComponent(q)}`)).status, 400, q);
    }
    await t.post("/api/tasks", { project: "api", title: "TODO: see http://example.com" });
    for (const q of ["TODO: fix", "TODO: see", "http://example.com"]) {
      const r = await t.get(`/api/tasks?search=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      assert.equal(r.json.page.total, q === "TODO: fix" ? 0 : 1, q);
    }
    for (const q of ["", "-", '""']) {
      assert.equal(
        (await t.get(`/api/tasks?search=${encodeURIComponent(q)}`)).json.page.total,
        2,
        `"${q}" is no filter`,
      );
    }
  } finally {
    await t.close();
  }
});
