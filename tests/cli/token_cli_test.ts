import assert from "node:assert/strict";
import { cacheDir, mainPath, workspace } from "../helpers/cli.ts";
import { within } from "../helpers/app.ts";

type Token = { id: string; actor: string; name: string; created_by: string; secret?: string };

Deno.test("token create prints the secret once (-q: the secret alone), list never shows it, revoke by id", async () => {
  const w = await workspace();
  try {
    const made = await w.run([
      "token",
      "create",
      "--actor",
      "ai:claude",
      "--name",
      "laptop agent",
      "--as",
      "human:ann",
    ]);
    assert.equal(made.code, 0, made.stderr);
    const [secret, ok] = made.stdout.trimEnd().split("\n");
    assert.match(secret, /^blt_[A-Za-z0-9_-]{43}$/);
    assert.match(
      ok,
      /^✓ token [0-9A-Z]{26} created for ai:claude: the secret above is shown only this once$/,
    );
    const quiet = await w.run(["token", "create", "--actor", "ai:codex", "-q"]);
    assert.match(quiet.stdout, /^blt_[A-Za-z0-9_-]{43}\n$/);
    const json = await w.json<Token>(["token", "create", "--actor", "human:bob"]);
    assert.match(json.secret!, /^blt_/);
    assert.equal(json.created_by, "human:tester");

    const list = await w.run(["token", "list"]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /ID\s+│ ACTOR\s+│ NAME\s+│ CREATED\s+│ CREATED BY\s+│ LAST USED │ REVOKED/);
    assert.match(list.stdout, /ai:claude │ laptop agent │ .* │ human:ann\s+│ never/);
    const all = await w.json<{ tokens: Token[]; page: { total: number } }>(["token", "list"]);
    assert.deepEqual(all.tokens.map((t) => t.actor), ["ai:claude", "ai:codex", "human:bob"]);
    assert.equal(all.page.total, 3);
    for (const out of [list.stdout, JSON.stringify(all)]) {
      assert.ok(!out.includes(secret) && !out.includes(json.secret!) && !/"hash"|"secret"/.test(out));
    }

    const id = all.tokens[0].id;
    const revoked = await w.run(["token", "revoke", id]);
    assert.deepEqual([revoked.code, revoked.stdout], [0, `✓ token ${id} of ai:claude revoked\n`]);
    const again = await w.json<{ ok: boolean; action: string; entity: string; id: string; message: string }>(
      ["token", "revoke", id],
    );
    assert.deepEqual(
      [again.ok, again.action, again.entity, again.id, again.message],
      [true, "revoke", "token", id, `token ${id} of ai:claude was already revoked`],
    );
    assert.match(
      (await w.run(["token", "list"])).stdout,
      /laptop agent .* never\s+│ \d{4}-\d\d-\d\d \d\d:\d\d/,
    );
    // With a default project set (as Quick start does), token events still show: they have no project.
    assert.equal((await w.run(["project", "add", "API", "--alias", "api"])).code, 0);
    assert.equal((await w.run(["project", "use", "api"])).code, 0);
    const log = await w.run(["activity", "--kind", "token"]);
    assert.match(log.stdout, /\[token\] Revoked token "laptop agent" of ai:claude by human:tester/);
    assert.match(log.stdout, /\[token\] Created token "laptop agent" for ai:claude by human:ann/);
  } finally {
    await w.cleanup();
  }
});

Deno.test("token errors: unknown id exit 3, bad or missing --actor exit 2, nothing written", async () => {
  const w = await workspace();
  try {
    assert.equal((await w.run(["token", "create", "--actor", "ai:x"])).code, 0);
    const unknown = await w.run(["token", "revoke", "01ZZZZZZZZ"]);
    assert.deepEqual([unknown.code, unknown.stderr], [3, "error: token not found: 01ZZZZZZZZ\n"]);
    const bad = await w.run(["token", "create", "--actor", "robot:x"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --actor: invalid actor "robot:x"/);
    assert.equal((await w.run(["token", "create"])).code, 2);
    assert.equal((await w.run(["token", "create", "--actor", "ai:x", "--name", "a\x1bb"])).code, 2);
    assert.equal((await w.json<{ page: { total: number } }>(["token", "list"])).page.total, 1);
  } finally {
    await w.cleanup();
  }
});

Deno.test("web --allow-host takes host names only (exit 2 before serving)", async () => {
  const w = await workspace();
  try {
    await w.run(["project", "add", "API", "--alias", "api"]);
    const r = await w.run(["web", "--no-browser", "--port", "0", "--allow-host", "https://x.example/"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --allow-host: invalid host name "https:\/\/x\.example\/"/);
  } finally {
    await w.cleanup();
  }
});

Deno.test("web --actor-tokens binds a network address without a shared token and admits only actor tokens", async () => {
  const w = await workspace();
  const secret = (await w.run(["token", "create", "--actor", "ai:remote", "-q"])).stdout.trim();
  await w.run(["project", "add", "API", "--alias", "api"]);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      mainPath,
      "web",
      "--host",
      "0.0.0.0",
      "--port",
      "0",
      "--no-browser",
      "--actor-tokens",
    ],
    env: { ...w.env, DENO_DIR: await cacheDir(), NO_COLOR: "1", CI: "1", BACKLOG_TOKEN: "" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.getReader();
  try {
    let seen = "";
    const url = await within(
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`web exited: ${seen}`);
          seen += new TextDecoder().decode(value);
          const m = seen.match(/→ (http:\/\/[^\s/]+)/);
          if (m && seen.includes("actor tokens only")) return m[1];
        }
      })(),
      30_000,
      "backlog web to listen",
    );
    let r = await fetch(`${url}/api/projects`);
    assert.equal(r.status, 401);
    await r.body?.cancel();
    r = await fetch(`${url}/api/tasks`, {
      method: "POST",
      headers: { Authorization: `Bearer ${secret}` },
      body: JSON.stringify({ project: "api", title: "from afar" }),
    });
    assert.equal(r.status, 200);
    assert.deepEqual((await r.json()).actor, { kind: "ai", name: "remote" });
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel();
    await w.cleanup();
  }
});
