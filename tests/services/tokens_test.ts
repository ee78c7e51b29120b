import assert from "node:assert/strict";
import { alice, appError, openTestApp, testApp } from "../helpers/app.ts";
import { hashTokenSecret } from "../../src/domain/api_tokens.ts";
import { LAST_USED_GRANULARITY_NS } from "../../src/services/tokens.ts";

const admin = { kind: "human" as const, name: "admin" };

Deno.test("token create: a 256-bit blt_ secret shown once; only its SHA-256 is stored; activity names no secret", async () => {
  const app = await testApp();
  try {
    const { token, secret } = await app.tokens.create({ actor: "ai:claude", name: "laptop agent" }, admin);
    assert.match(secret, /^blt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      { actor: token.actor, name: token.name, by: token.created_by, used: token.last_used_at },
      { actor: "ai:claude", name: "laptop agent", by: "human:admin", used: null },
    );
    const rows = await app.db.all<Record<string, unknown>>("SELECT * FROM api_tokens");
    assert.equal(rows.length, 1);
    assert.equal(rows[0].hash, await hashTokenSecret(secret));
    assert.match(String(rows[0].hash), /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(rows).includes(secret.slice(4)), "the secret is not stored");
    const listed = await app.tokens.list();
    assert.deepEqual(listed.tokens, [token]);
    assert.equal(listed.page.total, 1);
    assert.ok(!("hash" in listed.tokens[0]) && !("secret" in listed.tokens[0]));
    const events = (await app.activity.list({ entity: "token" })).events;
    assert.deepEqual(events.map((e) => [e.action, e.summary, `${e.actor.kind}:${e.actor.name}`]), [
      ["created", 'Created token "laptop agent" for ai:claude', "human:admin"],
    ]);
    assert.ok(!JSON.stringify(events).includes(secret));
    const second = await app.tokens.create({ actor: "ai:claude" }, admin);
    assert.notEqual(second.secret, secret);
  } finally {
    await app.close();
  }
});

Deno.test("token create refuses a bad actor or name and writes nothing", async () => {
  const app = await testApp();
  try {
    for (const actor of ["claude", "robot:x", "ai:", "ai:two words"]) {
      assert.equal((await appError(() => app.tokens.create({ actor }, admin))).code, "usage", actor);
    }
    const bad = await appError(() => app.tokens.create({ actor: "ai:x", name: "a\x1b[31mb" }, admin));
    assert.equal(bad.code, "invalid");
    assert.equal((await app.tokens.list()).page.total, 0);
    assert.equal((await app.activity.list({ entity: "token" })).page.total, 0);
  } finally {
    await app.close();
  }
});

Deno.test("authenticate: a live token is its actor; unknown, malformed and revoked ones are not", async () => {
  const app = await testApp();
  try {
    const { token, secret } = await app.tokens.create({ actor: "ai:codex" }, admin);
    assert.deepEqual(await app.tokens.authenticate(secret), {
      ok: true,
      id: token.id,
      actor: { kind: "ai", name: "codex" },
    });
    assert.deepEqual(await app.tokens.authenticate(secret + "x"), { ok: false, reason: "unknown" });
    assert.deepEqual(await app.tokens.authenticate("not-a-token"), { ok: false, reason: "unknown" });
    assert.deepEqual(await app.tokens.authenticate("blt_"), { ok: false, reason: "unknown" });
    const r = await app.tokens.revoke(token.id.slice(0, 10), alice);
    assert.equal(r.revoked, true);
    assert.ok(r.token.revoked_at !== null);
    assert.deepEqual(await app.tokens.authenticate(secret), { ok: false, reason: "revoked" });
    const again = await app.tokens.revoke(token.id, alice);
    assert.deepEqual([again.revoked, again.token.revoked_at], [false, r.token.revoked_at]);
    const events = (await app.activity.list({ entity: "token", oldest_first: true })).events;
    assert.deepEqual(events.map((e) => [e.action, e.entity_id, e.actor.name]), [
      ["created", token.id, "admin"],
      ["revoked", token.id, "alice"],
    ]);
    assert.equal(events[1].summary, `Revoked token ${token.id.slice(0, 8)} of ai:codex`);
  } finally {
    await app.close();
  }
});

Deno.test("token revoke: an unknown id is not_found, a malformed one invalid; nothing changes", async () => {
  const app = await testApp();
  try {
    await app.tokens.create({ actor: "ai:x" }, admin);
    assert.equal((await appError(() => app.tokens.revoke("01ZZZZZZ", admin))).code, "not_found");
    assert.equal((await appError(() => app.tokens.revoke("nope!", admin))).code, "invalid");
    assert.equal((await app.tokens.list()).tokens[0].revoked_at, null);
    assert.equal((await app.activity.list({ entity: "token" })).page.total, 1);
  } finally {
    await app.close();
  }
});

Deno.test("last_used_at is written on first use, then at most once a minute per token", async () => {
  let now = Date.UTC(2026, 0, 1) * 1e6;
  const app = await openTestApp({ clock: () => (now += 1e6) });
  try {
    const { token, secret } = await app.tokens.create({ actor: "ai:x" }, admin);
    const used = async () => (await app.tokens.list()).tokens.find((t) => t.id === token.id)!.last_used_at;
    assert.equal(await used(), null);
    await app.tokens.authenticate(secret);
    const first = await used();
    assert.ok(first !== null && first > token.created_at);
    for (let i = 0; i < 5; i++) await app.tokens.authenticate(secret);
    assert.equal(await used(), first);
    now += LAST_USED_GRANULARITY_NS;
    await app.tokens.authenticate(secret);
    assert.ok((await used())! >= first + LAST_USED_GRANULARITY_NS);
  } finally {
    await app.close();
  }
});

Deno.test("token list pages oldest first with a real total", async () => {
  const app = await testApp();
  try {
    for (const n of ["a", "b", "c"]) await app.tokens.create({ actor: `ai:${n}` }, admin);
    const p = await app.tokens.list({ limit: 2, offset: 1 });
    assert.deepEqual(p.tokens.map((t) => t.actor), ["ai:b", "ai:c"]);
    assert.deepEqual([p.page.total, p.page.count, p.page.has_more], [3, 2, false]);
    assert.equal((await app.tokens.list({ limit: 0 })).tokens.length, 3);
  } finally {
    await app.close();
  }
});
