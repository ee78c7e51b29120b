import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { App } from "../app.ts";
import type { Actor } from "../domain/actor.ts";
import { createMcpServer } from "./server.ts";

/**
 * Answers one MCP-over-streamable-HTTP request (stateless: a fresh server and transport per
 * request, JSON responses, no server-initiated stream). Mount at `/mcp`; authentication and
 * Host/Origin checks belong to the HTTP layer in front of it.
 */
export async function handleMcpRequest(app: App, actor: Actor, req: Request): Promise<Response> {
  if (req.method !== "POST") {
    const body = {
      jsonrpc: "2.0",
      error: { code: -32000, message: "method not allowed (stateless server: POST only)" },
      id: null,
    };
    return Response.json(body, { status: 405, headers: { Allow: "POST" } });
  }
  const server = createMcpServer(app, actor);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(req);
  } finally {
    await server.close();
  }
}
