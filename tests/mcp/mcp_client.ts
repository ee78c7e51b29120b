import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../../src/app.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { createMcpServer, type McpOptions } from "../../src/mcp/server.ts";
import { bot, testApp } from "../helpers/app.ts";

export interface Session {
  app: App;
  client: Client;
  /** Calls a tool; returns the raw result. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool that must succeed; returns its structuredContent. */
  ok<T = Record<string, unknown>>(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<T & { _text: string }>;
  /** Calls a tool that must fail; returns its text. */
  err(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** A real SDK Client talking to createMcpServer over an in-memory linked pair. */
export async function session(
  opts: { app?: App; actor?: Actor; clientName?: string; server?: McpOptions } = {},
): Promise<Session> {
  const app = opts.app ?? await testApp();
  const server = createMcpServer(app, opts.actor ?? bot, opts.server);
  const client = new Client({ name: opts.clientName ?? "test-client", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    await client.callTool({ name, arguments: args }) as CallToolResult;
  return {
    app,
    client,
    call,
    async ok(name, args) {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} failed: ${text(r)}`);
      return { ...(r.structuredContent as Record<string, unknown>), _text: text(r) } as never;
    },
    async err(name, args) {
      const r = await call(name, args);
      if (!r.isError) throw new Error(`${name} succeeded, expected an error: ${text(r)}`);
      return text(r);
    },
    async close() {
      await client.close();
      await server.close();
      if (!opts.app) await app.close();
    },
  };
}

export function text(r: CallToolResult): string {
  return (r.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("");
}

/** Creates the project `api` (most tests need one). */
export async function withProject(s: Session, alias = "api"): Promise<void> {
  await s.ok("project_create", { alias, name: alias.toUpperCase() });
}
