import assert from "node:assert/strict";
import type { GetPromptResult, ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { session, withProject } from "./mcp_client.ts";
import type { Run, Task } from "../../src/domain/models.ts";
import { RESOURCE_PAGE } from "../../src/mcp/resources.ts";
import { testApp } from "../helpers/app.ts";

type Claim = { task: Task; token: string };
const human = { kind: "human" as const, name: "bob" };
const bytes = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v)).length;

Deno.test("task_move reports usage onto the run; task_show lists runs; a human forces a release", async () => {
  const app = await testApp();
  const a = await session({ app });
  const h = await session({ app, actor: human });
  try {
    await withProject(a);
    await a.ok("task_create", { project: "api", title: "x" });
    await a.ok("task_create", { project: "api", title: "y" });
    const c = await a.ok<Claim>("task_claim", { id: "TASK-1" });
    const bad = await a.err("task_move", {
      id: "TASK-1",
      status: "done",
      claim_token: c.token,
      cost_usd: -1,
    });
    assert.match(bad, /^error \(invalid\): cost_usd/);
    await a.ok("task_move", {
      id: "TASK-1",
      status: "done",
      claim_token: c.token,
      input_tokens: 1200,
      output_tokens: 300,
      cost_usd: 0.05,
      model: "claude-sonnet-4",
    });
    const shown = await a.ok<Task & { runs: Run[]; runs_total: number }>("task_show", { id: "TASK-1" });
    assert.equal(shown.runs_total, 1);
    assert.deepEqual(
      [shown.runs[0].outcome, shown.runs[0].input_tokens, shown.runs[0].model],
      ["done", 1200, "claude-sonnet-4"],
    );
    assert.match(
      shown._text,
      /runs \(1\):\n.* ai:claude done in .* · 1200\+300 tokens · \$0\.05 · claude-sonnet-4/,
    );
    await a.ok<Claim>("task_claim", { id: "TASK-2" });
    // The holder's own claim needs no force: an ai holder passing it simply releases.
    const own = await a.ok<{ task: Task }>("task_claim", { id: "TASK-2", release: true, force: true });
    assert.equal(own.task.status, "todo");
    await a.ok<Claim>("task_claim", { id: "TASK-2" });
    assert.match(await h.err("task_claim", { id: "TASK-2", force: true }), /force: only with id and release/);
    const released = await h.ok<{ task: Task }>("task_claim", { id: "TASK-2", release: true, force: true });
    assert.equal(released.task.status, "todo");
    assert.equal((await app.runs.forTask("TASK-2")).runs[0].outcome, "released");
    const r = await a.ok<{ by_agent: { key: string; done: number }[] }>("activity_list", {
      report: true,
      since: "7d",
    });
    assert.deepEqual(r.by_agent.map((x) => [x.key, x.done]), [["ai:claude", 1]]);
    assert.match(r._text, /^runs started .*\nagent ai:claude: 3 runs, 1 done, 2 released/);
    assert.match(await a.err("activity_list", { report: true, since: "whenever" }), /invalid time window/);
  } finally {
    await a.close();
    await h.close();
    await app.close();
  }
});

Deno.test("task_claim takes usage when renewing and releasing (the same arguments as task_move)", async () => {
  const app = await testApp();
  const a = await session({ app });
  try {
    await withProject(a);
    await a.ok("task_create", { project: "api", title: "x" });
    const c = await a.ok<Claim>("task_claim", { id: "TASK-1" });
    await a.ok("task_claim", { id: "TASK-1", token: c.token, input_tokens: 100, cost_usd: 0.5 });
    const refused = await a.err("task_claim", { id: "TASK-1", token: c.token, output_tokens: -1 });
    assert.match(refused, /output_tokens: must be a whole number/);
    assert.match(await a.err("task_claim", { input_tokens: 1 }), /usage: only when renewing .* or releasing/);
    await a.ok("task_claim", {
      id: "TASK-1",
      release: true,
      token: c.token,
      input_tokens: 50,
      output_tokens: 20,
      cost_usd: 0.25,
      model: "claude-x",
    });
    const [r] = (await app.runs.forTask("TASK-1")).runs;
    assert.deepEqual(
      [r.outcome, r.renewals, r.input_tokens, r.output_tokens, r.cost_usd, r.model],
      ["released", 1, 150, 20, 0.75, "claude-x"],
    );
  } finally {
    await a.close();
  }
});

Deno.test("resources: tasks, plans, docs and memory are listed in cursor pages and readable", async () => {
  const s = await session();
  try {
    await withProject(s);
    for (let i = 1; i <= RESOURCE_PAGE + 5; i++) {
      await s.ok("task_create", { project: "api", title: `t${i}` });
    }
    const plan = await s.ok<{ id: string }>("plan_add", {
      task_id: "TASK-3",
      title: "Plan",
      body: "1. do it",
    });
    const doc = await s.ok<{ id: string }>("doc_add", {
      project: "api",
      title: "Guide",
      body: "# Guide\nhello",
    });
    await s.ok("memory_add", { project: "api", body: "use deno fmt" });
    const first = await s.client.listResources();
    assert.equal(first.resources.length, RESOURCE_PAGE);
    assert.equal(first.resources[0].uri, "backlog://memory/api");
    assert.ok(first.nextCursor);
    const second = await s.client.listResources({ cursor: first.nextCursor });
    assert.equal(second.nextCursor, undefined);
    const uris = [...first.resources, ...second.resources].map((r) => r.uri);
    assert.equal(uris.length, 1 + RESOURCE_PAGE + 5 + 2);
    assert.equal(new Set(uris).size, uris.length);
    assert.ok(uris.includes(`backlog://plan/${plan.id}`) && uris.includes(`backlog://doc/${doc.id}`));
    await assert.rejects(s.client.listResources({ cursor: "nonsense" }), /invalid cursor/);
    const templates = await s.client.listResourceTemplates();
    assert.deepEqual(templates.resourceTemplates.map((t: { uriTemplate: string }) => t.uriTemplate).sort(), [
      "backlog://doc/{id}",
      "backlog://memory/{alias}",
      "backlog://plan/{id}",
      "backlog://task/{ref}",
    ]);
    const read = async (uri: string) =>
      ((await s.client.readResource({ uri })) as ReadResourceResult).contents[0];
    assert.match(String((await read("backlog://task/TASK-3")).text), /^TASK-3 todo P3 .*t3/);
    assert.match(String((await read(`backlog://plan/${plan.id}`)).text), /1\. do it/);
    assert.match(String((await read(`backlog://doc/${doc.id}`)).text), /# Guide\nhello/);
    assert.match(String((await read("backlog://memory/api")).text), /use deno fmt/);
    await assert.rejects(read("backlog://task/TASK-999"), /TASK-999 not found/);
    await assert.rejects(read("backlog://memory/nope"), /not found/);
  } finally {
    await s.close();
  }
});

Deno.test("prompts: the loop's four steps, bounded, with the task's context or the report embedded", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "Fix login", description: "Users time out." });
    const { prompts } = await s.client.listPrompts();
    assert.deepEqual(prompts.map((p: { name: string }) => p.name), [
      "backlog_pick",
      "backlog_plan",
      "backlog_ship",
      "backlog_report",
    ]);
    assert.ok(bytes(prompts) < 1500, `prompts/list is ${bytes(prompts)} bytes`);
    const get = async (name: string, args: Record<string, string>) =>
      (await s.client.getPrompt({ name, arguments: args })) as GetPromptResult;
    const texts = (p: GetPromptResult) =>
      p.messages.map((m: { content: unknown }) => (m.content as { text: string }).text).join("\n");
    assert.match(
      texts(await get("backlog_pick", { project: "api" })),
      /task_claim with no id and project "api"/,
    );
    const plan = texts(await get("backlog_plan", { task: "TASK-1" }));
    assert.match(plan, /plan_add \(task_id "TASK-1"\)/);
    assert.match(plan, /Users time out\./);
    const ship = texts(await get("backlog_ship", { task: "1" }));
    assert.match(ship, /input_tokens, output_tokens, cost_usd and model/);
    assert.match(texts(await get("backlog_report", { since: "30d" })), /runs report/);
    for (const p of ["backlog_plan", "backlog_ship"]) {
      assert.ok(bytes(await get(p, { task: "TASK-1" })) < 16_000);
    }
    await assert.rejects(get("backlog_plan", { task: "TASK-9" }), /TASK-9 not found/);
  } finally {
    await s.close();
  }
});

Deno.test("task context of a typical task (plan, five comments, labels, runs) stays within 2,000 tokens", async () => {
  const s = await session();
  try {
    await withProject(s);
    const para =
      "The login form times out after 30 s on slow networks; users then retry and get locked out. ";
    await s.ok("task_create", {
      project: "api",
      title: "Fix login timeout on slow networks",
      description: `${para.repeat(3)}\n\nAcceptance: login succeeds on a 3G profile; lockouts do not rise.`,
      labels: ["auth", "bug", "p1"],
      type: "bug",
    });
    await s.ok("plan_add", {
      task_id: "TASK-1",
      title: "Attempt 1",
      body: "1. Raise the client timeout to 90 s behind a flag.\n2. Retry idempotently.\n".repeat(4),
    });
    for (let i = 1; i <= 5; i++) {
      await s.ok("comment_add", { task_id: "TASK-1", body: `Progress ${i}: ${para}` });
    }
    for (let i = 0; i < 3; i++) {
      const c = await s.ok<Claim>("task_claim", { id: "TASK-1" });
      await s.ok("task_move", {
        id: "TASK-1",
        status: "todo",
        claim_token: c.token,
        input_tokens: 40000,
        output_tokens: 8000,
        cost_usd: 0.42,
        model: "claude-sonnet-4",
      });
    }
    const r = await s.call("task_show", { id: "TASK-1", context: true });
    const tokens = Math.ceil(bytes({ content: r.content, structuredContent: r.structuredContent }) / 4);
    assert.ok(tokens <= 2000, `task context is ≈${tokens} tokens, over 2,000`);
    assert.equal((r.structuredContent as { runs: unknown[] }).runs.length, 3);
  } finally {
    await s.close();
  }
});
