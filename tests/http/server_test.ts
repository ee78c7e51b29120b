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

Deno.test("a request handed over inside another flow's transaction runs in its own (rolled back outer)", async () => {
  // Deno.serve's HTTP/1.1 fast path calls the handler in whatever async context is current: here it
  // starts inside a transaction that then fails. Its write must be its own, not undone with that one.
  using app = disposable(await testApp());
  const { createHttpApp } = await import("../../src/http/app.ts");
  const { inServerContext } = await import("../../src/http/server.ts");
  const handler = inServerContext(createHttpApp(app, { actor: alice, host: "127.0.0.1", port: 8080 }).fetch);
  let answer: Promise<Response> | undefined;
  await assert.rejects(
    app.db.tx(async () => {
      await app.db.run("DELETE FROM projects WHERE alias = 'nobody'"); // the outer has written
      answer = Promise.resolve(handler(
        new Request("http://localhost/api/projects", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ alias: "own", name: "Own" }),
        }),
        {} as Deno.ServeHandlerInfo<Deno.NetAddr>,
      ));
      await new Promise((r) => setTimeout(r, 20)); // the request runs while this transaction is open
      throw new Error("outer fails");
    }),
    /outer fails/,
  );
  const res = await within(answer!, 5000, "the request");
  assert.equal(res.status, 200, await res.text());
  assert.equal((await app.projects.get("own")).name, "Own");
});
