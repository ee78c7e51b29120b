import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { handleMcpRequest } from "../../src/mcp/http.ts";
import { testApp } from "../helpers/app.ts";

Deno.test("handleMcpRequest serves the same tools over streamable HTTP, statelessly", async () => {
  const app = await testApp();
  const actor = { kind: "ai" as const, name: "remote" };
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), {
    fetch: (input: string | URL, init?: RequestInit) =>
      handleMcpRequest(app, actor, new Request(input, init)),
  });
  const client = new Client({ name: "remote-agent", version: "1" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    assert.ok(tools.some((t: { name: string }) => t.name === "task_create"));
    const r = await client.callTool({
      name: "project_create",
      arguments: { alias: "api" },
    }) as CallToolResult;
    assert.equal(r.isError, undefined);
    const t = await client.callTool({
      name: "task_create",
      arguments: { project: "api", title: "from afar" },
    }) as CallToolResult;
    assert.deepEqual((t.structuredContent as { actor: unknown }).actor, actor);
    const bad = await client.callTool({ name: "task_show", arguments: { id: "TASK-9" } }) as CallToolResult;
    assert.equal(bad.isError, true);
  } finally {
    await client.close();
    await app.close();
  }
});

Deno.test("handleMcpRequest answers GET with 405 (no server-initiated stream)", async () => {
  const app = await testApp();
  try {
    const res = await handleMcpRequest(
      app,
      { kind: "ai", name: "x" },
      new Request("http://127.0.0.1/mcp", { headers: { accept: "text/event-stream" } }),
    );
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST");
    assert.equal((await res.json()).error.code, -32000);
  } finally {
    await app.close();
  }
});

Deno.test("handleMcpRequest answers a garbage body with a JSON-RPC parse error", async () => {
  const app = await testApp();
  try {
    const res = await handleMcpRequest(
      app,
      { kind: "ai", name: "x" },
      new Request("http://127.0.0.1/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: "{not json",
      }),
    );
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, -32700);
  } finally {
    await app.close();
  }
});
