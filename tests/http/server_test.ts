import assert from "node:assert/strict";
import { startServer } from "../../src/http/server.ts";
import { alice, testApp, within } from "../helpers/app.ts";
import type { App } from "../../src/app.ts";

/** An app closed by `using`. */
const disposable = (app: App) => Object.assign(app, { [Symbol.dispose]: () => app.close() });

Deno.test("the server answers on a real socket, streams events and shuts down with a stream open", async () => {
  using app = disposable(await testApp());
  await using srv = startServer(app, { actor: alice, host: "127.0.0.1", port: 0, pollMs: 20 });
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(srv.port > 0);

  const events = await fetch(`${srv.url}/api/events`);
  const reader = events.body!.getReader();
  const dec = new TextDecoder();
  const read = async () => (await within(reader.read(), 5000, "the event stream")).value;
  let text = dec.decode(await read());
  assert.match(text, /event: ready/);

  let r = await fetch(`${srv.url}/api/projects`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ alias: "api", name: "API" }),
  });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).alias, "api");
  while (!text.includes('Created project \\"API\\"')) text += dec.decode(await read());

  r = await fetch(`${srv.url}/api/nope`);
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), { error: "not found: GET /api/nope", code: "not_found" });
  r = await fetch(`${srv.url}/tasks`, { headers: { Origin: "http://evil.example" } });
  assert.equal(r.status, 403);
  await r.body?.cancel();

  await within(srv.shutdown(), 5000, "the server to stop");
  assert.equal((await within(reader.read(), 2000, "the stream to end")).done, true);
  await srv.finished;
});

Deno.test("a port in use is a clear error", async () => {
  using app = disposable(await testApp());
  await using first = startServer(app, { actor: alice, host: "127.0.0.1", port: 0 });
  assert.throws(
    () => startServer(app, { actor: alice, host: "127.0.0.1", port: first.port }),
    /cannot listen on 127\.0\.0\.1:\d+: address already in use/,
  );
});
