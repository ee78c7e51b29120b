/** HTTP and MCP halves of scripts/fuzz.ts. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { type CallToolResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { App } from "../src/app.ts";
import type { Actor } from "../src/domain/actor.ts";
import { createHttpApp } from "../src/http/app.ts";
import { createMcpServer } from "../src/mcp/server.ts";
import { type collector, NASTY, randomJson, randomObject, type Rng, STACK } from "./fuzz_gen.ts";

type Out = Awaited<ReturnType<typeof collector>>;
const actor: Actor = { kind: "ai", name: "fuzz" };

/** Statuses the API documents; anything else (and every 5xx) is a finding. */
const DOCUMENTED = new Set([200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413]);

const REFS = ["TASK-1", "TASK-2", "TASK-3", "4", "TASK-6", "TASK-404"];

function param(r: Rng, name: string): string {
  if (r.chance(0.6)) {
    if (/alias|project/.test(name)) return r.pick(["api", "web", "nope"]);
    if (/id|ref|task|blocker/.test(name)) return r.pick(REFS);
  }
  return encodeURIComponent(r.pick(NASTY).slice(0, 200));
}

/** Random requests against every /api route: right and wrong methods, params, bodies, headers. */
export async function fuzzHttp(app: App, n: number, r: Rng, out: Out): Promise<Record<string, number>> {
  const ac = new AbortController();
  const h = createHttpApp(app, { actor, host: "127.0.0.1", port: 8080, signal: ac.signal });
  // The event stream never ends by itself; the rest is fair game.
  const routes = h.routes.filter((x) =>
    x.path.startsWith("/api") && x.method !== "ALL" && x.path !== "/api/events"
  );
  const statuses: Record<string, number> = {};
  try {
    for (let i = 0; i < n; i++) {
      const route = r.pick(routes);
      const method = r.chance(0.85) ? route.method : r.pick(["GET", "POST", "PATCH", "PUT", "DELETE"]);
      let path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name) => param(r, name));
      if (r.chance(0.3)) path += `?${new URLSearchParams(randomObject(r) as Record<string, string>)}`;
      const headers: Record<string, string> = {
        "content-type": r.chance(0.9) ? "application/json" : "text/plain",
      };
      if (r.chance(0.15)) {
        const v = r.pick(['"1"', '"2"', "3", 'W/"x"', "*", r.pick(NASTY).slice(0, 50)]);
        // Only what a real client can send: fetch refuses CR, LF, NUL and non-Latin-1 header values.
        headers["if-match"] = /^[\x20-\x7e\t]*$/.test(v) ? v : "garbage";
      }
      if (r.chance(0.1)) headers["x-backlog-actor"] = r.pick(["ai:other", "human:bob", "robot:x", ""]);
      let body: string | undefined;
      if (method !== "GET" && method !== "DELETE" && r.chance(0.9)) {
        const k = r.next();
        body = k < 0.7
          ? JSON.stringify(randomObject(r))
          : k < 0.85
          ? JSON.stringify(randomJson(r))
          : "{not json";
      }
      const input = `${method} ${path.slice(0, 200)} ${body?.slice(0, 200) ?? ""}`;
      let res: Response;
      try {
        res = await h.request(`http://127.0.0.1:8080${path}`, { method, headers, body });
      } catch (err) {
        out.add({ surface: "http", kind: "crash", input, output: String((err as Error)?.stack ?? err) });
        continue;
      }
      const text = await res.text();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status >= 500) out.add({ surface: "http", kind: "internal error", input, output: text });
      else if (!DOCUMENTED.has(res.status)) {
        out.add({ surface: "http", kind: "undocumented status", input, output: `${res.status} ${text}` });
      }
      if (STACK.test(text.slice(0, 20_000))) {
        out.add({ surface: "http", kind: "stack trace", input, output: text });
      }
    }
  } finally {
    ac.abort();
  }
  return statuses;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
};

/** A value that fits the schema most of the time, and anything at all otherwise. */
function fitting(r: Rng, s: Schema | undefined, key: string): unknown {
  if (!s || r.chance(0.2)) return randomJson(r);
  if (s.enum?.length && r.chance(0.7)) return r.pick(s.enum);
  const type = Array.isArray(s.type) ? r.pick(s.type) : s.type;
  switch (type) {
    case "integer":
    case "number":
      return r.pick([0, 1, 2, 3, 5, -1, 1e9, 2.5]);
    case "boolean":
      return r.chance(0.5);
    case "array":
      return Array.from({ length: r.int(3) }, () => /id|ref|block/.test(key) ? r.pick(REFS) : r.pick(NASTY));
    case "object":
      return randomObject(r);
    default:
      if (/^(id|task|task_id|ref)$|blocked/.test(key) && r.chance(0.7)) return r.pick(REFS);
      if (/project/.test(key) && r.chance(0.7)) return r.pick(["api", "web"]);
      return r.pick(NASTY);
  }
}

/** Random tool calls (and a few unknown methods) through a real SDK client. */
export async function fuzzMcp(app: App, n: number, r: Rng, out: Out): Promise<Record<string, number>> {
  const server = createMcpServer(app, actor);
  const client = new Client({ name: "fuzz", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  const { tools } = await client.listTools() as { tools: { name: string; inputSchema: unknown }[] };
  const results: Record<string, number> = {};
  const count = (k: string) => void (results[k] = (results[k] ?? 0) + 1);
  try {
    for (let i = 0; i < n; i++) {
      if (r.chance(0.03)) {
        try {
          await client.request(
            { method: `x/${r.pick(NASTY).slice(0, 20)}`, params: randomObject(r) },
            z.any(),
          );
          count("unknown method answered");
        } catch (err) {
          count(err instanceof McpError ? "protocol error" : "crash");
          if (!(err instanceof McpError)) {
            out.add({ surface: "mcp", kind: "crash", input: "unknown method", output: String(err) });
          }
        }
        continue;
      }
      const tool = r.pick(tools);
      const schema = tool.inputSchema as Schema;
      const args: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(k) ? r.chance(0.95) : r.chance(0.4)) args[k] = fitting(r, s, k);
      }
      if (r.chance(0.05)) Object.assign(args, randomObject(r));
      const input = `${tool.name} ${JSON.stringify(args).slice(0, 300)}`;
      try {
        const res = await client.callTool({ name: tool.name, arguments: args }) as CallToolResult;
        const text = (res.content ?? []).map((c: { text?: string }) => c.text ?? "").join("");
        count(res.isError ? "isError" : "ok");
        if (STACK.test(text)) out.add({ surface: "mcp", kind: "stack trace", input, output: text });
        const code = (res.structuredContent as { error?: { code?: string } } | undefined)?.error?.code;
        if (res.isError && (code === "internal" || /\binternal\b/.test(text.split("\n")[0]))) {
          out.add({ surface: "mcp", kind: "internal error", input, output: text });
        }
      } catch (err) {
        if (err instanceof McpError) count("protocol error");
        else {
          count("crash");
          out.add({ surface: "mcp", kind: "crash", input, output: String((err as Error)?.stack ?? err) });
        }
      }
    }
  } finally {
    await client.close();
    await server.close();
  }
  return results;
}
