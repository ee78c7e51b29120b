import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.ts";
import type { Actor } from "../domain/actor.ts";
import { VERSION } from "../version.ts";
import { makeKit } from "./define.ts";
import { registerProjectTools } from "./tools/projects.ts";
import { registerTaskTools } from "./tools/tasks.ts";
import { registerPlanTools } from "./tools/plans.ts";
import { registerCommentTools } from "./tools/comments.ts";
import { registerActivityTools } from "./tools/activity.ts";
import { registerQueueTools } from "./tools/queue.ts";
import { registerMemoryTools } from "./tools/memory.ts";
import { registerDocTools } from "./tools/docs.ts";
import { registerResources } from "./resources.ts";
import { registerPrompts } from "./prompts.ts";

export interface McpOptions {
  /**
   * Attribute writes to `ai:<client name>` from the client's initialize request (e.g.
   * `ai:claude-code`), falling back to the given actor when the client sends no usable name.
   */
  clientActor?: boolean;
}

const INSTRUCTIONS =
  "Backlog: a shared task queue; tasks are TASK-N. Loop: task_claim (no id: best ready task) → " +
  "plan_add → comment_add progress → task_move done with the claim_token. task_show context=true briefs you on a " +
  'task. Lists are paged (offset). In updates "" clears a field.';

/** An MCP server exposing every Backlog capability as tools; every write is signed by `actor`. */
export function createMcpServer(app: App, actor: Actor, opts: McpOptions = {}): McpServer {
  const server = new McpServer(
    { name: "backlog", version: VERSION },
    { instructions: INSTRUCTIONS, maxToolInputElements: 2000 },
  );
  let resolved: Actor | undefined;
  const who = () => resolved ??= (opts.clientActor && clientActor(server)) || actor;
  const kit = makeKit(app, server, who);
  registerProjectTools(kit);
  registerTaskTools(kit);
  registerQueueTools(kit);
  registerPlanTools(kit);
  registerCommentTools(kit);
  registerMemoryTools(kit);
  registerDocTools(kit);
  registerActivityTools(kit);
  // Our own rendering of the list (same tools, no per-tool `$schema`): it is paid in every session.
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: kit.list() }));
  server.server.registerCapabilities({ tools: { listChanged: false } });
  registerResources(app, server);
  registerPrompts(app, server);
  return server;
}

function clientActor(server: McpServer): Actor | undefined {
  const raw = server.server.getClientVersion()?.name ?? "";
  const name = raw.toLowerCase().replace(/\s+/g, "-").replace(/[^a-z0-9._-]/g, "").slice(0, 64);
  return name ? { kind: "ai", name } : undefined;
}
