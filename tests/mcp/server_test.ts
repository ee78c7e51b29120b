import assert from "node:assert/strict";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { session } from "./mcp_client.ts";
import { fetchToolList, toolListBytes } from "../../src/mcp/inspect.ts";
import { TOOLS_BUDGET } from "../../src/cli/commands/mcp.ts";
import { bot, testApp } from "../helpers/app.ts";
import { assertGolden } from "../helpers/golden.ts";

const GOLDEN = new URL("../golden/mcp_tools_list.json", import.meta.url);

/** The original's 16 tool names; they must all stay. */
const ORIGINAL = [
  "project_list",
  "task_create",
  "task_list",
  "task_show",
  "task_update",
  "task_move",
  "plan_add",
  "plan_update",
  "plan_history",
  "comment_add",
  "memory_add",
  "memory_list",
  "doc_add",
  "doc_list",
  "doc_show",
  "doc_update",
];

Deno.test("initialize negotiates the latest protocol version and names the server", async () => {
  const s = await session();
  try {
    assert.equal(s.client.getServerVersion()?.name, "backlog");
    assert.ok(s.client.getServerCapabilities()?.tools);
    assert.match(s.client.getInstructions() ?? "", /TASK-N/);
    await s.client.ping();
  } finally {
    await s.close();
  }
  assert.ok(LATEST_PROTOCOL_VERSION);
});

Deno.test(`tools/list stays within the ${TOOLS_BUDGET}-byte budget`, async () => {
  const app = await testApp();
  try {
    const list = await fetchToolList(app, bot);
    const bytes = toolListBytes(list);
    assert.ok(bytes <= TOOLS_BUDGET, `tools/list is ${bytes} bytes, over the budget of ${TOOLS_BUDGET}`);
  } finally {
    await app.close();
  }
});

Deno.test("every tool has a title, a one-line description, annotations and an object schema", async () => {
  const app = await testApp();
  try {
    const { tools } = await fetchToolList(app, bot);
    for (const t of tools) {
      assert.ok(t.title, `${t.name}: title`);
      assert.ok(t.description && !t.description.includes("\n"), `${t.name}: one-line description`);
      assert.ok(t.annotations && Object.keys(t.annotations).length, `${t.name}: annotations`);
      assert.equal(t.inputSchema.type, "object", `${t.name}: input schema`);
      assert.equal("$schema" in t.inputSchema, false, `${t.name}: no per-tool $schema`);
      const a = t.annotations!;
      if (a.readOnlyHint) continue;
      assert.ok(a.destructiveHint !== undefined || a.idempotentHint !== undefined, `${t.name}: write hints`);
    }
    const reads = tools.filter((t) => t.name.endsWith("_list") || t.name.endsWith("_show"));
    for (const t of reads) assert.equal(t.annotations?.readOnlyHint, true, `${t.name} is read-only`);
  } finally {
    await app.close();
  }
});

Deno.test("the original's 16 tool names all exist", async () => {
  const app = await testApp();
  try {
    const names = new Set((await fetchToolList(app, bot)).tools.map((t) => t.name));
    for (const n of ORIGINAL) assert.ok(names.has(n), `missing tool ${n}`);
  } finally {
    await app.close();
  }
});

Deno.test("every list tool takes limit and offset", async () => {
  const app = await testApp();
  try {
    const { tools } = await fetchToolList(app, bot);
    for (const t of tools.filter((t) => /_(list|history)$/.test(t.name))) {
      const props = t.inputSchema.properties ?? {};
      assert.ok("limit" in props && "offset" in props, `${t.name}: limit/offset`);
    }
  } finally {
    await app.close();
  }
});

Deno.test("tools/list matches the golden file (UPDATE_GOLDEN=1 rewrites it)", async () => {
  const app = await testApp();
  try {
    const json = JSON.stringify(await fetchToolList(app, bot), null, 2) + "\n";
    await assertGolden(GOLDEN, json);
  } finally {
    await app.close();
  }
});

Deno.test("an unknown tool is an isError result, not a protocol failure", async () => {
  const s = await session();
  try {
    const msg = await s.err("task_explode", {});
    assert.match(msg, /task_explode not found/);
  } finally {
    await s.close();
  }
});

Deno.test("writes are signed by ai:<client name> when the server is told to use it", async () => {
  const app = await testApp();
  const s = await session({ app, clientName: "Claude Code", server: { clientActor: true } });
  try {
    await s.ok("project_create", { alias: "api" });
    const t = await s.ok<{ actor: { kind: string; name: string } }>("task_create", {
      project: "api",
      title: "x",
    });
    assert.deepEqual(t.actor, { kind: "ai", name: "claude-code" });
  } finally {
    await s.close();
    await app.close();
  }
});

Deno.test("writes are signed by the server's actor by default", async () => {
  const s = await session({ actor: { kind: "ai", name: "worker-1" }, clientName: "whatever" });
  try {
    await s.ok("project_create", { alias: "api" });
    const t = await s.ok<{ actor: { name: string } }>("task_create", { project: "api", title: "x" });
    assert.equal(t.actor.name, "worker-1");
    const { events } = await s.app.activity.list({});
    assert.ok(events.every((e) => e.actor.name === "worker-1"));
  } finally {
    await s.close();
  }
});
