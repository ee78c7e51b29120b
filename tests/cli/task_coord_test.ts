import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

async function setup() {
  const ws = await workspace();
  await ws.run(["init"]);
  await ws.run(["project", "add", "API", "--alias", "api"]);
  for (const t of ["One", "Two", "Three"]) await ws.run(["task", "add", "-p", "api", "-t", t]);
  return ws;
}

Deno.test("cli: claim prints the token; a second agent gets exit 4 naming the holder", async () => {
  const ws = await setup();
  try {
    const c = await ws.json<{ token: string; task: { status: string } }>([
      "task",
      "claim",
      "TASK-1",
      "--as",
      "ai:a1",
    ]);
    assert.equal(c.task.status, "doing");
    const lost = await ws.run(["task", "claim", "TASK-1", "--as", "ai:a2"]);
    assert.equal(lost.code, 4);
    assert.match(
      lost.stderr,
      /^error: TASK-1 is claimed by ai:a1 until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/,
    );
    const json = await ws.run(["task", "claim", "TASK-1", "--as", "ai:a2", "--json"]);
    const e = JSON.parse(json.stderr).error;
    assert.equal(e.code, "conflict");
    assert.equal(e.current.assignee, "a1");
    const stale = await ws.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      "0000",
      "--as",
      "ai:a1",
    ]);
    assert.equal(stale.code, 4);
    const done = await ws.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      c.token,
      "--as",
      "ai:a1",
    ]);
    assert.equal(done.code, 0, done.stderr);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("cli: next --claim --explain, renew and release", async () => {
  const ws = await setup();
  try {
    await ws.run(["task", "update", "TASK-3", "--priority", "P1"]);
    const n = await ws.json<{ task: { ref: string }; token: string; explain: string[] }>(
      ["task", "next", "--claim", "--explain", "--lease", "10m", "--as", "ai:a1"],
    );
    assert.equal(n.task.ref, "TASK-3");
    assert.match(n.explain[0], /^picked TASK-3 "Three": P1/);
    const text = await ws.run(["task", "next", "-p", "api", "--explain", "--as", "ai:a2"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /--- Why ---\npicked TASK-1 "One"/);
    const r = await ws.run(["task", "renew", "TASK-3", "--lease", "1h", "--as", "ai:a1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✓ renewed claim on TASK-3 until /);
    assert.equal((await ws.run(["task", "release", "TASK-3", "--as", "ai:a2"])).code, 4);
    const rel = await ws.run(["task", "release", "TASK-3", "--token", n.token, "--as", "ai:a2"]);
    assert.equal(rel.stdout, "✓ claim released: TASK-3\n");
    assert.equal((await ws.run(["task", "claim", "TASK-3", "--lease", "soon"])).code, 2);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("cli: task show says when a claim's lease ran out", async () => {
  const ws = await setup();
  try {
    assert.equal((await ws.run(["task", "claim", "TASK-1", "--lease", "1h", "--as", "ai:a1"])).code, 0);
    assert.match(
      (await ws.run(["task", "show", "TASK-1"])).stdout,
      /Status: +doing \(claimed by a1, lease until /,
    );
    assert.equal((await ws.run(["task", "claim", "TASK-2", "--lease", "1s", "--as", "ai:a1"])).code, 0);
    await new Promise((r) => setTimeout(r, 1100));
    assert.match(
      (await ws.run(["task", "show", "TASK-2"])).stdout,
      /Status: +doing \(claimed by a1, lease expired /,
    );
  } finally {
    await ws.cleanup();
  }
});

Deno.test("cli: dep add/list/rm, cycles exit 2, list --ready/--blocked, next skips blocked", async () => {
  const ws = await setup();
  try {
    const add = await ws.run(["task", "dep", "add", "TASK-1", "--blocked-by", "TASK-2"]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /✓ TASK-1 is blocked by TASK-2/);
    const cyc = await ws.run(["task", "dep", "add", "TASK-2", "--blocked-by", "1"]);
    assert.equal(cyc.code, 2);
    assert.match(cyc.stderr, /would close a cycle \(TASK-2 waits on TASK-1 waits on TASK-2\)/);
    assert.equal((await ws.run(["task", "dep", "add", "TASK-1"])).code, 2);
    const list = await ws.json<{ blocks: { ref: string }[] }>(["task", "dep", "list", "TASK-2"]);
    assert.deepEqual(list.blocks.map((t) => t.ref), ["TASK-1"]);
    const blocked = await ws.json<{ tasks: { ref: string }[] }>(["task", "list", "--blocked"]);
    assert.deepEqual(blocked.tasks.map((t) => t.ref), ["TASK-1"]);
    const next = await ws.json<{ task: { ref: string } }>(["task", "next"]);
    assert.notEqual(next.task.ref, "TASK-1");
    const rm = await ws.run(["task", "dep", "rm", "TASK-1", "--blocked-by", "TASK-2"]);
    assert.match(rm.stdout, /✓ TASK-1 is no longer blocked by TASK-2/);
    assert.equal((await ws.run(["task", "dep", "rm", "TASK-1", "--blocked-by", "TASK-2"])).code, 3);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("cli: task context shows deps, plan and comments in one reply", async () => {
  const ws = await setup();
  try {
    await ws.run(["task", "dep", "add", "TASK-1", "--blocked-by", "TASK-2"]);
    await ws.run(["comment", "add", "looked at it", "--task", "TASK-1"]);
    const r = await ws.run(["task", "context", "TASK-1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--- Blocked by \(1\) ---/);
    assert.match(r.stdout, /looked at it/);
    const j = await ws.json<{ task: { ref: string }; totals: { comments: number } }>([
      "task",
      "context",
      "TASK-1",
    ]);
    assert.equal(j.totals.comments, 1);
    assert.equal((await ws.run(["task", "context", "TASK-77"])).code, 3);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("cli: a bad --lease suggests only leases claim takes; --stale-after keeps its own examples", async () => {
  const ws = await setup();
  try {
    const bad = await ws.run(["task", "claim", "2", "--lease", "0"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'error: --lease: invalid duration "0" (use e.g. 30m, 1h30m, 2h, 7d)\n');
    // Every example is a lease claim and renew accept (none longer than the maximum of 7d).
    const examples = bad.stderr.match(/use e\.g\. ([^)]*)\)/)![1].split(", ");
    for (const lease of examples) {
      const r = await ws.run(["task", "claim", "2", "--lease", lease, "--as", "ai:a1"]);
      assert.equal(r.code, 0, `--lease ${lease}: ${r.stderr}`);
      await ws.run(["task", "release", "2", "--as", "ai:a1"]);
    }
    const stale = await ws.run(["doctor", "project", "-p", "api", "--stale-after", "0"]);
    assert.equal(stale.code, 2);
    assert.match(
      stale.stderr,
      /^error: --stale-after: invalid duration "0" \(use e\.g\. 30m, 1h30m, 7d, 2w\)\n/,
    );
    assert.equal((await ws.run(["doctor", "project", "-p", "api", "--stale-after", "2w"])).code, 0);
  } finally {
    await ws.cleanup();
  }
});
