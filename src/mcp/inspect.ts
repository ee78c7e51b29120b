import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.ts";
import type { Actor } from "../domain/actor.ts";
import { createMcpServer } from "./server.ts";

/** Asks a real server over an in-memory link for tools/list: exactly what a client receives. */
export async function fetchToolList(app: App, actor: Actor): Promise<{ tools: Tool[] }> {
  const server = createMcpServer(app, actor);
  const client = new Client({ name: "backlog-inspect", version: "0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  try {
    const { tools } = await client.listTools();
    return { tools: tools as Tool[] };
  } finally {
    await client.close();
    await server.close();
  }
}

/** Bytes of the JSON of a tools/list result (the token-budget figure; ≈ 4 bytes per token). */
export function toolListBytes(result: { tools: Tool[] }): number {
  return new TextEncoder().encode(JSON.stringify(result)).length;
}
