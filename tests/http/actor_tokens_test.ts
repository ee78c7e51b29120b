import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { openApp } from "../../src/app.ts";
import type { App } from "../../src/app.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { checkBindToken } from "../../src/http/token.ts";
import { alice, TEST_ENGINE } from "../helpers/app.ts";
import { httpTest } from "./client.ts";
import type { HttpOptions } from "../../src/http/app.ts";

/** An HTTP app with project `api`, made directly (the server may need a token). */
async function seeded(opts: Partial<HttpOptions> = {}) {
  const t = await httpTest(opts);
  await t.app.projects.create({ alias: "api", name: "API" }, admin);
  return t;
}

const SHARED = "k3P9vQ2xL7mN4bR8tY1wZ6cF0hJ5sD2a";
const admin = { kind: "human" as const, name: "admin" };
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

Deno.test("an actor token signs writes as its actor; a different X-Backlog-Actor is 403 and writes nothing", async () => {
  const t = await seeded({ token: SHARED });
  try {
    const { secret } = await t.app.tokens.create({ actor: "ai:claude" }, admin);
    const made = await t.post("/api/tasks", { project: "api", title: "signed" }, bearer(secret));
    assert.equal(made.status, 200, made.text);
    assert.deepEqual(made.json.actor, { kind: "ai", name: "claude" });
    const same = await t.post("/api/tasks", { project: "api", title: "same" }, {
      ...bearer(secret),
      "X-Backlog-Actor": "ai:claude",
    });
    assert.equal(same.status, 200);
    const other = await t.post("/api/tasks", { project: "api", title: "forged" }, {
      ...bearer(secret),
      "X-Backlog-Actor": "human:alice",
    });
    assert.equal(other.status, 403);
    assert.deepEqual(other.json, {
      error: "X-Backlog-Actor human:alice is not this token's actor (ai:claude)",
      code: "forbidden",
    });
    const list = await t.get("/api/tasks", bearer(SHARED));
    assert.deepEqual(list.json.tasks.map((x: { title: string }) => x.title), ["same", "signed"]);
    const log = await t.get("/api/activity?kind=task", bearer(SHARED));
    assert.ok(log.json.events.every((e: { actor: { name: string } }) => e.actor.name === "claude"));
    const who = await t.get("/api", bearer(secret));
    assert.deepEqual([who.json.actor, who.json.auth], [{ kind: "ai", name: "claude" }, true]);
  } finally {
    await t.close();
  }
});

Deno.test("the shared token still admits any actor; revoked and unknown actor tokens are 401", async () => {
  const t = await seeded({ token: SHARED });
  try {
    const { token, secret } = await t.app.tokens.create({ actor: "ai:codex" }, admin);
    const shared = await t.post("/api/tasks", { project: "api", title: "a" }, {
      ...bearer(SHARED),
      "X-Backlog-Actor": "ai:anyone",
    });
    assert.deepEqual([shared.status, shared.json.actor], [200, { kind: "ai", name: "anyone" }]);
    const plain = await t.post("/api/tasks", { project: "api", title: "b" }, bearer(SHARED));
    assert.deepEqual(plain.json.actor, alice);
    assert.equal((await t.get(`/api/tasks?token=${secret}`)).status, 200); // EventSource, <img>
    assert.equal((await t.post(`/api/tasks?token=${secret}`, { project: "api", title: "x" })).status, 401);
    const unknown = await t.get("/api/tasks", bearer(`${secret.slice(0, -2)}zz`));
    assert.deepEqual([unknown.status, unknown.json.code], [401, "unauthorized"]);
    assert.match(unknown.json.error, /^unknown token/);
    await t.app.tokens.revoke(token.id, admin);
    const revoked = await t.post("/api/tasks", { project: "api", title: "late" }, bearer(secret));
    assert.equal(revoked.status, 401);
    assert.match(revoked.json.error, /^this token was revoked/);
    assert.equal(revoked.headers.get("www-authenticate"), 'Bearer realm="backlog"');
    assert.equal((await t.get(`/api/tasks?token=${secret}`)).status, 401);
    assert.equal((await t.get("/api/tasks", bearer(SHARED))).json.page.total, 2);
  } finally {
    await t.close();
  }
});

Deno.test("a loopback server without a token stays open, and still honours (and refuses) actor tokens", async () => {
  const t = await seeded();
  try {
    const { token, secret } = await t.app.tokens.create({ actor: "ai:bot" }, admin);
    assert.deepEqual((await t.post("/api/tasks", { project: "api", title: "anon" })).json.actor, alice);
    const named = await t.post("/api/tasks", { project: "api", title: "n" }, { "X-Backlog-Actor": "ai:x" });
    assert.deepEqual(named.json.actor, { kind: "ai", name: "x" });
    const signed = await t.post("/api/tasks", { project: "api", title: "s" }, bearer(secret));
    assert.deepEqual(signed.json.actor, { kind: "ai", name: "bot" });
    assert.equal((await t.get("/api", bearer("whatever"))).status, 200); // not a token: ignored, as before
    await t.app.tokens.revoke(token.id, admin);
    assert.equal((await t.get("/api/tasks", bearer(secret))).status, 401);
  } finally {
    await t.close();
  }
});

Deno.test("--actor-tokens without a shared token: only actor tokens get in", async () => {
  const t = await seeded({ actorTokens: true });
  try {
    const { secret } = await t.app.tokens.create({ actor: "human:bob" }, admin);
    assert.equal((await t.get("/api/projects")).status, 401);
    assert.equal((await t.get("/api/projects", bearer(SHARED))).status, 401);
    assert.equal((await t.call("POST", "/mcp", "{}")).status, 401);
    assert.equal((await t.get("/")).status, 200); // the UI shell; it sends the token from #token=
    const who = await t.get("/api", bearer(secret));
    assert.deepEqual([who.status, who.json.actor, who.json.auth], [
      200,
      { kind: "human", name: "bob" },
      true,
    ]);
    const p = await t.post("/api/projects", { alias: "ops", name: "Ops" }, bearer(secret));
    assert.equal(p.status, 200, p.text);
    assert.doesNotThrow(() => checkBindToken("0.0.0.0", undefined, "--token", true));
    assert.throws(() => checkBindToken("0.0.0.0", "weak", "--token", true), /too weak/);
    assert.throws(
      () => checkBindToken("0.0.0.0", undefined, "--token"),
      (e: Error & { hint?: string }) => /--actor-tokens/.test(e.hint ?? ""),
    );
  } finally {
    await t.close();
  }
});

Deno.test("MCP over HTTP at /mcp signs tool writes with the token's actor", async () => {
  const t = await seeded({ token: SHARED });
  const { secret } = await t.app.tokens.create({ actor: "ai:remote" }, admin);
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1:8080/mcp"), {
    requestInit: { headers: bearer(secret) },
    fetch: (input: string | URL, init?: RequestInit) => t.h.fetch(new Request(input, init)),
  });
  const client = new Client({ name: "agent", version: "1" });
  try {
    await client.connect(transport);
    const r = await client.callTool({
      name: "task_create",
      arguments: { project: "api", title: "over mcp" },
    }) as CallToolResult;
    assert.equal(r.isError, undefined, JSON.stringify(r.content));
    assert.deepEqual((r.structuredContent as { actor: unknown }).actor, { kind: "ai", name: "remote" });
  } finally {
    await client.close();
    await t.close();
  }
});

/** Two apps (two servers' worth of connections) on one database: PostgreSQL, or one SQLite file. */
async function twoServers(fn: (a: App, b: App) => Promise<void>): Promise<void> {
  if (TEST_ENGINE === "postgres") {
    const { withServers } = await import("../helpers/pg.ts");
    return await withServers(2, ([a, b]) => fn(a, b));
  }
  const dir = await Deno.makeTempDir({ prefix: "backlog-tokens-" });
  const a = await openApp({ dbPath: `${dir}/backlog.db` });
  const b = await openApp({ dbPath: `${dir}/backlog.db` });
  try {
    await fn(a, b);
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a token made and revoked through one process is honoured, then refused, by another server at once", async () => {
  await twoServers(async (cli, server) => {
    const ac = new AbortController();
    const h = createHttpApp(server, { actor: alice, host: "127.0.0.1", port: 8080, signal: ac.signal });
    const call = (path: string, secret: string, body?: unknown) =>
      h.request(path, {
        method: body ? "POST" : "GET",
        headers: bearer(secret),
        body: body ? JSON.stringify(body) : undefined,
      });
    try {
      await cli.projects.create({ alias: "api", name: "API" }, admin);
      const { token, secret } = await cli.tokens.create({ actor: "ai:far" }, admin);
      const made = await call("/api/tasks", secret, { project: "api", title: "t" });
      assert.equal(made.status, 200);
      assert.deepEqual((await made.json()).actor, { kind: "ai", name: "far" });
      await cli.tokens.revoke(token.id, admin);
      const after = await call("/api/tasks", secret);
      assert.equal(after.status, 401);
      await after.body?.cancel();
    } finally {
      ac.abort();
    }
  });
});

Deno.test("--allow-host: a loopback server behind a TLS proxy answers the public name (Host and Origin), nothing else", async () => {
  const t = await seeded({ actorTokens: true, allowHosts: ["backlog.example.com"] });
  try {
    const { secret } = await t.app.tokens.create({ actor: "human:ann" }, admin);
    const proxied = { ...bearer(secret), Host: "backlog.example.com", Origin: "https://backlog.example.com" };
    const r = await t.post("/api/tasks", { project: "api", title: "via proxy" }, proxied);
    assert.deepEqual([r.status, r.json.actor], [200, { kind: "human", name: "ann" }]);
    assert.equal((await t.get("/", { Host: "backlog.example.com" })).status, 200);
    const evil = await t.get("/api/tasks", { ...bearer(secret), Host: "evil.example" });
    assert.equal(evil.status, 403);
    const cross = await t.post("/api/tasks", { project: "api", title: "x" }, {
      ...proxied,
      Origin: "https://evil.example",
    });
    assert.equal(cross.status, 403);
  } finally {
    await t.close();
  }
});
