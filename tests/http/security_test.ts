import assert from "node:assert/strict";
import { httpTest, seeded } from "./client.ts";
import { hostAllowed } from "../../src/http/guard.ts";
import { bareHost, isLoopback } from "../../src/http/host.ts";

Deno.test("a foreign Host (DNS rebinding) is refused with a 403 JSON error on every path", async () => {
  const t = await seeded();
  for (const path of ["/api/tasks", "/", "/mcp"]) {
    const r = await t.get(path, { Host: "evil.example:8080" });
    assert.equal(r.status, 403, path);
    assert.match(r.json.error, /host "evil.example:8080" is not allowed/);
  }
  for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "localhost"]) {
    assert.equal((await t.get("/api/projects", { Host: host })).status, 200, host);
  }
  await t.close();
});

Deno.test("a foreign or null Origin is refused with 403 and nothing is written", async () => {
  const t = await seeded();
  for (const origin of ["http://evil.example", "null", "http://localhost:3000", "http://127.0.0.1:9999"]) {
    const r = await t.post("/api/tasks", { project: "api", title: "csrf" }, {
      Host: "127.0.0.1:8080",
      Origin: origin,
    });
    assert.equal(r.status, 403, origin);
    assert.match(r.json.error, /cross-origin request refused/);
  }
  assert.equal((await t.get("/api/tasks")).json.page.total, 0);
  const ok = await t.post("/api/tasks", { project: "api", title: "same" }, {
    Host: "127.0.0.1:8080",
    Origin: "http://127.0.0.1:8080",
  });
  assert.equal(ok.status, 200);
  await t.close();
});

Deno.test("cross-site and same-site browser fetches of the API are refused; same-origin ones pass", async () => {
  const t = await seeded();
  assert.equal((await t.get("/api/tasks", { "Sec-Fetch-Site": "cross-site" })).status, 403);
  assert.equal((await t.get("/api/tasks", { "Sec-Fetch-Site": "same-site" })).status, 403);
  assert.equal((await t.get("/api/tasks", { "Sec-Fetch-Site": "same-origin" })).status, 200);
  assert.equal((await t.get("/tasks", { "Sec-Fetch-Site": "cross-site" })).status, 200); // a link to the UI
  await t.close();
});

Deno.test("with a token every /api and /mcp request needs Authorization: Bearer; the UI shell does not", async () => {
  const t = await seeded({ token: "s3cret-token" });
  let r = await t.get("/api/projects");
  assert.equal(r.status, 401);
  assert.match(r.json.error, /authorization required/);
  assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="backlog"');
  assert.equal((await t.get("/api/projects", { Authorization: "Bearer wrong" })).status, 401);
  assert.equal((await t.get("/api/projects", { Authorization: "Basic s3cret-token" })).status, 401);
  assert.equal((await t.call("POST", "/mcp", "{}")).status, 401);
  r = await t.get("/api/projects", { Authorization: "Bearer s3cret-token" });
  assert.equal(r.status, 200);
  assert.equal((await t.get("/api/projects?token=s3cret-token")).status, 200); // EventSource, <img>
  assert.equal((await t.post("/api/projects?token=s3cret-token", { alias: "x", name: "x" })).status, 401);
  assert.equal((await t.get("/")).status, 200);
  await t.close();
});

Deno.test("JSON bodies over 1 MiB are 413 and nothing is written", async () => {
  const t = await seeded();
  const big = JSON.stringify({ project: "api", title: "x", description: "a".repeat((1 << 20) + 10) });
  const r = await t.post("/api/tasks", big);
  assert.equal(r.status, 413);
  assert.match(r.json.error, /too large/);
  // Without Content-Length (a stream), the limit still holds.
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(big));
      c.close();
    },
  });
  const res = await t.h.request("/api/tasks", { method: "POST", body: stream });
  assert.equal(res.status, 413);
  await res.body?.cancel();
  assert.equal((await t.get("/api/tasks")).json.page.total, 0);
  await t.close();
});

Deno.test("static paths cannot escape the web root", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/dist/assets`, { recursive: true });
  await Deno.writeTextFile(`${root}/dist/index.html`, "<!doctype html><p>app</p>");
  await Deno.writeTextFile(`${root}/dist/assets/app.js`, "console.log(1)");
  await Deno.writeTextFile(`${root}/secret.txt`, "secret");
  await Deno.symlink(`${root}/secret.txt`, `${root}/dist/assets/link.txt`);
  const t = await httpTest({ webRoot: `${root}/dist` });
  let r = await t.get("/assets/app.js");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type")!, /javascript/);
  for (
    const p of [
      "/..%2fsecret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2E%2E%5C..%5Csecret.txt",
    ]
  ) {
    r = await t.get(p);
    assert.notEqual(r.text, "secret", p);
    assert.ok(r.status === 400 || r.status === 404 || r.text.includes("<p>app</p>"), `${p} → ${r.status}`);
  }
  r = await t.get("/..%2fsecret.txt");
  assert.equal(r.status, 400);
  assert.equal(r.json.error, "invalid path");
  r = await t.get("/assets/link.txt"); // a symlink out of the root
  assert.equal(r.status, 404);
  r = await t.get("/assets/missing.js");
  assert.equal(r.status, 404);
  assert.match(r.json.error, /not found/);
  r = await t.get("/tasks/TASK-3");
  assert.equal(r.status, 200);
  assert.match(r.text, /<p>app<\/p>/);
  assert.match(r.headers.get("content-security-policy")!, /script-src 'self'/);
  await t.close();
  await Deno.remove(root, { recursive: true });
});

Deno.test("a missing web build serves a page saying so", async () => {
  const t = await httpTest({ webRoot: "/nonexistent/dist" });
  const r = await t.get("/");
  assert.equal(r.status, 200);
  assert.match(r.text, /web UI is not built/);
  await t.close();
});

Deno.test("unknown /api routes are JSON 404s and wrong methods JSON 405s with Allow", async () => {
  const t = await seeded();
  let r = await t.get("/api/nope");
  assert.equal(r.status, 404);
  assert.equal(r.json.error, "not found: GET /api/nope");
  r = await t.call("PUT", "/api/tasks");
  assert.equal(r.status, 405);
  assert.equal(r.headers.get("allow"), "GET, POST, HEAD");
  assert.match(r.json.error, /method PUT not allowed/);
  r = await t.call("POST", "/api/tasks/1/status", {});
  assert.equal(r.status, 405);
  assert.equal(r.headers.get("allow"), "PATCH");
  r = await t.call("DELETE", "/tasks");
  assert.equal(r.status, 405);
  r = await t.call("POST", "/api/unknown/thing", {});
  assert.equal(r.status, 404);
  await t.close();
});

Deno.test("X-Backlog-Actor sets the actor of a write; a malformed one is a 400 before any write", async () => {
  const t = await seeded();
  let r = await t.post("/api/tasks", { project: "api", title: "x" }, { "X-Backlog-Actor": "ai:codex" });
  assert.deepEqual(r.json.actor, { kind: "ai", name: "codex" });
  for (const bad of ["codex", "robot:x", "ai:", ""]) {
    r = await t.post("/api/tasks", { project: "api", title: "y" }, { "X-Backlog-Actor": bad });
    assert.equal(r.status, 400, bad);
    assert.match(r.json.error, /X-Backlog-Actor/);
  }
  assert.equal((await t.get("/api/tasks")).json.page.total, 1);
  await t.close();
});

Deno.test("responses forbid sniffing and framing", async () => {
  const t = await seeded();
  const r = await t.get("/api/projects");
  assert.equal(r.headers.get("x-content-type-options"), "nosniff");
  assert.equal(r.headers.get("x-frame-options"), "DENY");
  assert.equal(r.headers.get("cross-origin-resource-policy"), "same-origin");
  assert.equal(r.headers.get("referrer-policy"), "no-referrer");
  assert.equal(r.headers.get("strict-transport-security"), null, "plain HTTP sends no HSTS");
  await t.close();
});

Deno.test("host helpers tell loopback, wildcard and foreign hosts apart", () => {
  assert.equal(bareHost("[::1]:8080"), "::1");
  assert.equal(bareHost("LocalHost:80"), "localhost");
  assert.ok(isLoopback("127.0.0.1") && isLoopback("::1") && isLoopback("app.localhost"));
  assert.ok(!isLoopback("0.0.0.0") && !isLoopback("192.168.1.2"));
  assert.ok(hostAllowed("0.0.0.0", "anything.example:1"));
  assert.ok(hostAllowed("192.168.1.2", "192.168.1.2:8080"));
  assert.ok(hostAllowed("192.168.1.2", "localhost:8080"));
  assert.ok(!hostAllowed("192.168.1.2", "evil.example"));
  assert.ok(!hostAllowed("127.0.0.1", "127.0.0.1.evil.example"));
});

Deno.test("GET /api describes the server: version, the request's actor and every route", async () => {
  const t = await seeded();
  const r = await t.get("/api", { "X-Backlog-Actor": "ai:probe" });
  assert.equal(r.json.name, "backlog");
  assert.deepEqual(r.json.actor, { kind: "ai", name: "probe" });
  assert.equal(r.json.auth, false);
  for (
    const route of [
      "GET /api/tasks",
      "PATCH /api/tasks/:id",
      "GET /api/events",
      "POST /api/attachments",
      "POST /api/import",
    ]
  ) {
    assert.ok(r.json.routes.includes(route), route);
  }
  await t.close();
});

Deno.test("HEAD works wherever GET does, without a body", async () => {
  const t = await seeded();
  for (const p of ["/api/tasks", "/tasks"]) {
    const res = await t.h.request(p, { method: "HEAD" });
    assert.equal(res.status, 200, p);
    assert.equal(await res.text(), "");
  }
  await t.close();
});
