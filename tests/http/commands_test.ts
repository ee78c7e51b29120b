import assert from "node:assert/strict";
import { openApp } from "../../src/app.ts";
import type { App } from "../../src/app.ts";
import { cacheDir, sharedDb } from "../helpers/cli.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();
const denoDir = await cacheDir();
const alice = { kind: "human" as const, name: "alice" };

/** A database the spawned server can open (a file, or a PostgreSQL database under test:pg). */
async function workspace(): Promise<{ dir: string; db: string; app: App; cleanup(): Promise<void> }> {
  const dir = await Deno.makeTempDir();
  const shared = await sharedDb(dir);
  const db = shared.path;
  const app = await openApp({ dbPath: db });
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  const cleanup = async () => {
    await app.close();
    await shared.drop();
    await Deno.remove(dir, { recursive: true });
  };
  return { dir, db, app, cleanup };
}

function spawn(db: string, dir: string, args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", db, ...args],
    // HOME too: a server workspace keeps its local files there (DENO_DIR keeps the real cache).
    env: { DENO_DIR: denoDir, HOME: dir, XDG_CONFIG_HOME: dir, NO_COLOR: "1", CI: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** A GET over a raw socket, so the Host header can be anything (fetch always sends the real one). */
async function rawGet(url: string, path: string, host: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  let out = "";
  for await (const chunk of conn.readable) out += dec.decode(chunk);
  return out;
}

/** Reads a stream line by line until `match` returns a value (or the stream ends / time runs out). */
async function waitLine<T>(
  stream: ReadableStream<Uint8Array>,
  match: (line: string) => T | undefined,
  ms = 15_000,
): Promise<{ value?: T; lines: string[]; rest: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = stream.getReader();
  const lines: string[] = [];
  let buf = "";
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      const v = match(line);
      if (v !== undefined) return { value: v, lines, rest: reader };
    }
  }
  return { lines, rest: reader };
}

Deno.test("backlog web serves the API, prints its address and stops cleanly on SIGTERM", async () => {
  const { dir, db, app, cleanup } = await workspace();
  const child = spawn(db, dir, ["web", "--port", "0", "--no-browser", "--as", "ai:server"]);
  const { value: url, rest } = await waitLine(
    child.stderr,
    (l) => l.match(/^backlog web UI → (http:\/\/127\.0\.0\.1:\d+)$/)?.[1],
  );
  assert.ok(url, "printed the address");
  const r = await fetch(`${url}/api/tasks`, {
    method: "POST",
    body: JSON.stringify({ project: "api", title: "via http" }),
  });
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).actor, { kind: "ai", name: "server" });
  assert.match(await rawGet(url!, "/api/projects", "evil.example"), /^HTTP\/1\.1 403/);
  const events = await fetch(`${url}/api/events`); // an open stream must not block shutdown
  child.kill("SIGTERM");
  const status = await child.status;
  assert.equal(status.code, 0);
  await events.body?.cancel().catch(() => {});
  await rest.cancel();
  await child.stdout.cancel();
  assert.equal((await app.tasks.list({ project: "api" })).page.total, 1);
  await cleanup();
});

/** A token strong enough for a network bind (32 random alphanumerics, ~190 bits). */
const TOKEN = "k3P9vQ2xL7mN4bR8tY1wZ6cF0hJ5sD2a";

Deno.test("backlog web refuses a non-loopback host without a token, and demands the token when set", async () => {
  const { dir, db, cleanup } = await workspace();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", db, "web", "--host", "0.0.0.0", "--port", "0", "--no-browser"],
    env: { DENO_DIR: denoDir, HOME: dir, XDG_CONFIG_HOME: dir, BACKLOG_TOKEN: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(
    dec.decode(out.stderr),
    /error: --host 0\.0\.0\.0 is reachable from other machines: a token is required/,
  );

  const child = spawn(db, dir, ["web", "--host", "0.0.0.0", "--port", "0", "--no-browser"], {
    BACKLOG_TOKEN: TOKEN,
  });
  const { value: url, rest } = await waitLine(
    child.stderr,
    (l) => l.match(new RegExp(`→ (http://[^/]+)/#token=${TOKEN}$`))?.[1],
  );
  assert.ok(url);
  let r = await fetch(`${url}/api/projects`);
  assert.equal(r.status, 401);
  await r.body?.cancel();
  r = await fetch(`${url}/api/projects`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).projects.length, 2);
  child.kill("SIGINT");
  assert.equal((await child.status).code, 0);
  await rest.cancel();
  await child.stdout.cancel();
  await cleanup();
});

Deno.test("backlog watch prints one line per write from another process; --json -p filters to a project", async () => {
  const { dir, db, app, cleanup } = await workspace();
  const human = spawn(db, dir, ["watch"]);
  const json = spawn(db, dir, ["watch", "--json", "-p", "api"]);
  await waitLine(human.stderr, (l) => l.startsWith("watching all projects") ? true : undefined);
  // --json prints nothing until an event: write until the JSON watcher has started and seen one.
  let stop = false;
  const writes = (async () => {
    for (let i = 0; i < 60; i++) {
      await app.tasks.create({ project: "web", title: `noise ${i}` }, alice);
      await app.tasks.create({ project: "api", title: `task ${i}` }, { kind: "ai", name: "agent" });
      await new Promise((r) => setTimeout(r, 250));
      if (stop) return;
    }
  })();
  const j = await waitLine(json.stdout, (l) => l.trim() ? JSON.parse(l) : undefined);
  const h = await waitLine(
    human.stdout,
    (l) => /\[api\] ai:agent {2}task created {2}Created task "task \d+"/.test(l) ? l : undefined,
  );
  stop = true;
  await writes;
  assert.ok(j.value, "a JSON event arrived");
  assert.equal(j.value.entity, "task");
  assert.equal(j.value.action, "created");
  assert.equal(j.value.project_id, (await app.projects.get("api")).id);
  assert.ok(h.value, `a human line arrived: ${h.lines.join(" | ")}`);
  assert.match(h.value!, /^\d{2}:\d{2}:\d{2} {2}\[api\] ai:agent/);
  human.kill("SIGINT");
  json.kill("SIGTERM");
  assert.equal((await human.status).code, 0);
  assert.equal((await json.status).code, 0);
  for (const r of [j.rest, h.rest]) await r.cancel();
  await json.stderr.cancel();
  await cleanup();
});
