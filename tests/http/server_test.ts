import assert from "node:assert/strict";
import { startServer } from "../../src/http/server.ts";
import { alice, testApp } from "../helpers/app.ts";

Deno.test("the server answers on a real socket, streams events and shuts down with a stream open", async () => {
  const app = testApp();
  const srv = startServer(app, { actor: alice, host: "127.0.0.1", port: 0, pollMs: 20 });
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(srv.port > 0);

  const events = await fetch(`${srv.url}/api/events`);
  const reader = events.body!.getReader();
  const dec = new TextDecoder();
  let text = dec.decode((await reader.read()).value);
  assert.match(text, /event: ready/);

  let r = await fetch(`${srv.url}/api/projects`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ alias: "api", name: "API" }),
  });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).alias, "api");
  while (!text.includes('Created project \\"API\\"')) text += dec.decode((await reader.read()).value);

  r = await fetch(`${srv.url}/api/nope`);
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), { error: "not found: GET /api/nope", code: "not_found" });
  r = await fetch(`${srv.url}/tasks`, { headers: { Origin: "http://evil.example" } });
  assert.equal(r.status, 403);
  await r.body?.cancel();

  await srv.shutdown();
  assert.equal((await reader.read()).done, true);
  await srv.finished;
  app.close();
});

Deno.test("a port in use is a clear error", () => {
  const app = testApp();
  const first = startServer(app, { actor: alice, host: "127.0.0.1", port: 0 });
  assert.throws(
    () => startServer(app, { actor: alice, host: "127.0.0.1", port: first.port }),
    /cannot listen on 127\.0\.0\.1:\d+: address already in use/,
  );
  return first.shutdown().then(() => app.close());
});
