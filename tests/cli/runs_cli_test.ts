import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

const AI = ["--as", "ai:claude"];

Deno.test("usage flags on renew and move accumulate on the run; task show and context list it", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    await ws.run(["task", "add", "-p", "api", "-t", "Fix login"]);
    const c = await ws.json<{ token: string }>(["task", "claim", "TASK-1", ...AI]);
    let r = await ws.run(["task", "renew", "TASK-1", "--token", c.token, "--input-tokens", "1000", ...AI]);
    assert.equal(r.code, 0, r.stderr);
    for (
      const [flag, value] of [["--input-tokens", "-1"], ["--output-tokens", "1.5x"], ["--cost-usd", "abc"]]
    ) {
      r = await ws.run([
        "task",
        "move",
        "TASK-1",
        "--status",
        "done",
        "--token",
        c.token,
        flag,
        value,
        ...AI,
      ]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`^error: ${flag}: invalid number`));
    }
    r = await ws.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      c.token,
      "--output-tokens",
      "2.5",
      ...AI,
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output-tokens: must be a whole number/);
    r = await ws.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      c.token,
      "--model",
      "",
      ...AI,
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--model: must be a model name/);
    const before = await ws.json<{ version: number; status: string }>(["task", "show", "TASK-1"]);
    assert.equal(before.status, "doing");
    r = await ws.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      c.token,
      "--output-tokens",
      "250",
      "--cost-usd",
      "0.4",
      "--model",
      "sonnet",
      ...AI,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const t = await ws.json<
      { runs: { outcome: string; input_tokens: number; cost_usd: number }[]; runs_total: number }
    >(
      ["task", "show", "TASK-1"],
    );
    assert.equal(t.runs_total, 1);
    assert.deepEqual([t.runs[0].outcome, t.runs[0].input_tokens, t.runs[0].cost_usd], ["done", 1000, 0.4]);
    r = await ws.run(["task", "show", "TASK-1"]);
    assert.match(
      r.stdout,
      /--- Runs \(1\) ---\n.* ai:claude done in .* · 1000\+250 tokens · \$0\.4 · sonnet · 1 renewal/,
    );
    r = await ws.run(["task", "context", "TASK-1"]);
    assert.match(r.stdout, /--- Runs ---\n.* ai:claude done/);
    const ctx = await ws.json<{ totals: { runs: number } }>(["task", "context", "TASK-1"]);
    assert.equal(ctx.totals.runs, 1);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("task release --force: a human frees another's claim (exit 0), an ai gets exit 2, nobody else exit 4", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    await ws.run(["task", "add", "-p", "api", "-t", "x"]);
    await ws.json(["task", "claim", "TASK-1", ...AI]);
    let r = await ws.run(["task", "release", "TASK-1", "--as", "human:alice"]);
    assert.equal(r.code, 4);
    r = await ws.run(["task", "release", "TASK-1", "--force", "--as", "ai:other"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--force: only a human/);
    r = await ws.run(["task", "release", "TASK-1", "--force", "--as", "human:alice"]);
    assert.equal(r.code, 0, r.stderr);
    const t = await ws.json<{ status: string; runs: { outcome: string }[] }>(["task", "show", "TASK-1"]);
    assert.deepEqual([t.status, t.runs[0].outcome], ["todo", "released"]);
    r = await ws.run(["task", "release", "TASK-1", "--force", "--as", "human:alice"]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /not claimed/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("backlog report prints three tables and done per day; --json has every field; bad input exits 2/3", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    await ws.run(["task", "add", "-p", "api", "-t", "x", "--type", "bug"]);
    const c = await ws.json<{ token: string }>(["task", "claim", "TASK-1", ...AI]);
    await ws.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      c.token,
      "--cost-usd",
      "0.5",
      ...AI,
    ]);
    const r = await ws.run(["report"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^AGENT +│ RUNS │ DONE │ REL │ EXP │ TAKEN │ OK +│ MEDIAN │ P90 +│ TRIES │ TOK\/DONE │ \$\/DONE │ \/DAY$/m,
    );
    assert.match(r.stdout, /^ai:claude │ 1 +│ 1 +│ 0 +│ 0 +│ 0 +│ 100% │/m);
    assert.match(r.stdout, /^PROJECT /m);
    assert.match(r.stdout, /^bug /m);
    assert.match(r.stdout, /Done per day\n(\d{4}-\d\d-\d\d +0\n){7}\d{4}-\d\d-\d\d +1 █+\n?$/);
    const j = await ws.json<Record<string, unknown>>(["report", "-p", "api", "--since", "24h"]);
    assert.deepEqual(
      Object.keys(j).sort(),
      ["by_agent", "by_project", "by_type", "done_per_day", "since", "truncated", "until"],
    );
    assert.equal((await ws.run(["report", "--since", "yesterday"])).code, 2);
    assert.equal((await ws.run(["report", "-p", "nope"])).code, 3);
  } finally {
    await ws.cleanup();
  }
});
