import assert from "node:assert/strict";
import { startServer } from "../../src/http/server.ts";
import { checkBindToken, generateToken, MIN_TOKEN_BITS, tokenBits } from "../../src/http/token.ts";
import { alice, testApp } from "../helpers/app.ts";
import { cacheDir, mainPath, workspace } from "../helpers/cli.ts";

Deno.test("token strength: short, low-variety and repeating tokens are weak; random ones are not", () => {
  for (
    const weak of ["a", "s3cret-token", "a".repeat(64), "abcdefgh".repeat(6), "0123456789abcdef".repeat(2)]
  ) {
    assert.ok(tokenBits(weak) < MIN_TOKEN_BITS, weak);
  }
  const hex = (n: number) =>
    Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
  assert.ok(tokenBits(hex(16)) >= MIN_TOKEN_BITS); // `openssl rand -hex 16`
  assert.ok(tokenBits(hex(15)) < MIN_TOKEN_BITS);
  const t = generateToken();
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(t, generateToken());
  assert.ok(tokenBits(t) >= 200);
  assert.ok(tokenBits(t.slice(0, 24)) >= MIN_TOKEN_BITS);
  assert.doesNotThrow(() => checkBindToken("127.0.0.1", undefined));
  assert.doesNotThrow(() => checkBindToken("localhost", "a"));
});

Deno.test("the server itself refuses a network bind without a strong token, before binding", async () => {
  const app = await testApp();
  try {
    for (const token of [undefined, "a", "password1234password1234"]) {
      assert.throws(
        () => startServer(app, { actor: alice, host: "0.0.0.0", port: 0, token }),
        (e: Error & { code?: string }) => e.code === "usage" && /token/.test(e.message),
        String(token),
      );
    }
  } finally {
    await app.close();
  }
});

Deno.test("web --host 0.0.0.0 with a weak --token or $BACKLOG_TOKEN is exit 2 naming it and how to make one", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "Api", "--alias", "api"]);
    const flag = await ws.run(["web", "--host", "0.0.0.0", "--token", "a", "--port", "0", "--no-browser"]);
    assert.equal(flag.code, 2);
    assert.match(
      flag.stderr,
      /^error: --token is too weak to protect --host 0\.0\.0\.0: about 0 bits, at least 128/,
    );
    assert.match(flag.stderr, /hint: `backlog web --generate-token` makes a strong one/);
    const env = await ws.run(["web", "--host", "0.0.0.0", "--port", "0", "--no-browser"], {
      env: { BACKLOG_TOKEN: "hunter2hunter2" },
    });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /^error: \$BACKLOG_TOKEN is too weak to protect --host 0\.0\.0\.0/);
    const none = await ws.run(["web", "--host", "0.0.0.0", "--port", "0", "--no-browser"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /a token is required/);
    const both = await ws.run(["web", "--generate-token", "--token", generateToken()]);
    assert.equal(both.code, 2);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("web --generate-token serves with a fresh strong token it prints", async () => {
  const ws = await workspace();
  await ws.run(["project", "add", "Api", "--alias", "api"]);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", mainPath, "web", "--port", "0", "--no-browser", "--generate-token"],
    env: { ...ws.env, DENO_DIR: await cacheDir(), NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.getReader();
  const timer = setTimeout(() => reader.cancel("timeout"), 30_000);
  try {
    let seen = "";
    const dec = new TextDecoder();
    let m: RegExpMatchArray | null = null;
    while (!(m = seen.match(/→ (http:\/\/[^/\s]+)\S*\ntoken \(Authorization: Bearer …\): (\S+)\n/))) {
      const { value, done } = await reader.read();
      assert.ok(!done, `web exited without printing its token: ${seen}`);
      seen += dec.decode(value, { stream: true });
    }
    const [, url, token] = m;
    assert.ok(tokenBits(token) >= MIN_TOKEN_BITS);
    assert.ok(seen.includes(`#token=${token}`));
    const denied = await fetch(`${url}/api/projects`);
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const ok = await fetch(`${url}/api/projects`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    clearTimeout(timer);
    child.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.status;
    await ws.cleanup();
  }
});
