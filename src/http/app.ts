import { Hono } from "hono";
import type { App } from "../app.ts";
import { type Actor, formatActor, parseActor } from "../domain/actor.ts";
import { ChangeFeed } from "../services/events.ts";
import { authGuard, originGuard, securityHeaders } from "./guard.ts";
import {
  type Deps,
  errorResponse,
  type HttpContext,
  type HttpEnv,
  JSON_LIMIT,
  limitBody,
  statusError,
  textHeader,
  UPLOAD_LIMIT,
} from "./request.ts";
import { serveWeb } from "./static.ts";
import { FROM_SOURCE, VERSION } from "../version.ts";
import { projectRoutes } from "./routes/projects.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { commentRoutes } from "./routes/comments.ts";
import { labelRoutes } from "./routes/labels.ts";
import { planRoutes } from "./routes/plans.ts";
import { activityRoutes } from "./routes/activity.ts";
import { eventRoutes } from "./routes/events.ts";
import { queueRoutes } from "./routes/queue.ts";
import { memoryRoutes } from "./routes/memory.ts";
import { docRoutes } from "./routes/docs.ts";
import { attachmentRoutes } from "./routes/attachments.ts";
import { IMPORT_LIMIT, importRoutes } from "./routes/import.ts";
import { runRoutes } from "./routes/runs.ts";
import { handleMcpRequest } from "../mcp/http.ts";

/** Serves MCP over streamable HTTP for one request (src/mcp/http.ts). */
export type McpHandler = (app: App, actor: Actor, req: Request) => Promise<Response>;

export interface HttpOptions {
  /** The server's actor; a request may name its own with `X-Backlog-Actor`. */
  actor: Actor;
  /**
   * The shared token: when set, every /api and /mcp request needs `Authorization: Bearer <token>`
   * (or an actor token), and may name any actor with `X-Backlog-Actor`.
   */
  token?: string;
  /**
   * Require a token even without a shared one (`web --actor-tokens`): only actor tokens (`backlog
   * token create`) get in. Actor tokens are honoured on every server either way.
   */
  actorTokens?: boolean;
  /** Where the token came from (`--token`, `$BACKLOG_TOKEN`…), named when it is too weak. */
  tokenSource?: string;
  /** The bound address: requests must name it (or a loopback name, or one of `allowHosts`) in `Host`. */
  host: string;
  /** More `Host` names to answer (`web --allow-host`): the public name a TLS proxy forwards. */
  allowHosts?: string[];
  port: number;
  /** The built web UI (index.html + assets); a "not built" page when missing. */
  webRoot?: string;
  /** Shutting down: ends open event streams and stops the change feed. */
  signal?: AbortSignal;
  /** MCP over HTTP, mounted at /mcp (default: the MCP server's streamable HTTP handler). */
  mcp?: McpHandler;
  /** Change feed poll interval (ms). */
  pollMs?: number;
}

const MCP_LIMIT = 4 << 20;

const isApiPath = (p: string) =>
  p === "/api" || p.startsWith("/api/") || p === "/mcp" || p.startsWith("/mcp/");

/**
 * The HTTP API (every route under /api, JSON errors `{"error": …}`), the live event stream,
 * MCP at /mcp and the web UI, behind the Host/Origin guard, the optional bearer token and body
 * limits (1 MiB JSON, 10 MiB uploads).
 */
export function createHttpApp(app: App, opts: HttpOptions): Hono<HttpEnv> {
  const h = new Hono<HttpEnv>({ strict: false });
  const signal = opts.signal ?? new AbortController().signal;
  const feed = new ChangeFeed(app.db, { intervalMs: opts.pollMs });
  signal.addEventListener("abort", () => feed.close(), { once: true });
  const deps: Deps = { app, feed, signal };

  h.onError((err) => errorResponse(err));
  h.use("*", securityHeaders);
  h.use("*", originGuard(opts.host, opts.allowHosts));
  h.use(
    "*",
    authGuard({
      token: opts.token,
      actorTokens: opts.actorTokens,
      authenticate: (secret) => app.tokens.authenticate(secret),
    }),
  );
  h.use("*", async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return await next();
    const max = c.req.path === "/api/attachments"
      ? UPLOAD_LIMIT + (256 << 10)
      : c.req.path === "/api/import"
      ? IMPORT_LIMIT
      : c.req.path.startsWith("/mcp")
      ? MCP_LIMIT
      : JSON_LIMIT;
    return await limitBody(c, max, next);
  });
  h.use("*", async (c, next) => {
    const name = textHeader(c, "x-backlog-actor");
    const named = name === undefined ? undefined : parseActor(name, "X-Backlog-Actor");
    const bound = c.get("tokenActor");
    if (bound && named && formatActor(named) !== formatActor(bound)) {
      return statusError(
        403,
        `X-Backlog-Actor ${formatActor(named)} is not this token's actor (${formatActor(bound)})`,
      );
    }
    c.set("actor", bound ?? named ?? opts.actor);
    await next();
    // This connection's own writes do not move PRAGMA data_version: tell the feed to look.
    if (c.req.method !== "GET" && c.req.method !== "HEAD") feed.poke();
  });

  h.get("/api", (c) => {
    const routes = h.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
      .map((r) => `${r.method} ${r.path}`);
    return c.json({
      name: "backlog",
      version: VERSION,
      source: FROM_SOURCE,
      actor: c.get("actor"),
      auth: !!opts.token || !!opts.actorTokens,
      routes,
    });
  });
  projectRoutes(h, deps);
  queueRoutes(h, deps); // before taskRoutes: /api/tasks/next is not a task ref
  runRoutes(h, deps);
  taskRoutes(h, deps);
  commentRoutes(h, deps);
  labelRoutes(h, deps);
  planRoutes(h, deps);
  activityRoutes(h, deps);
  eventRoutes(h, deps);
  memoryRoutes(h, deps);
  docRoutes(h, deps);
  attachmentRoutes(h, deps);
  importRoutes(h, deps);
  const mcp = opts.mcp ?? handleMcpRequest;
  h.all("/mcp", (c) => mcp(app, c.get("actor"), c.req.raw));

  const allowed = allowedMethods(h);
  const unmatched = (c: HttpContext) => {
    const path = c.req.path;
    const methods = isApiPath(path) ? allowed(path) : ["GET", "HEAD"];
    if (methods.length && !methods.includes(c.req.method)) {
      return statusError(405, `method ${c.req.method} not allowed on ${path}`, { Allow: methods.join(", ") });
    }
    return statusError(404, `not found: ${c.req.method} ${path}`);
  };
  h.get(
    "*",
    (c) => isApiPath(c.req.path) ? unmatched(c) : serveWeb(opts.webRoot, new URL(c.req.url)),
  );
  h.notFound(unmatched);
  return h;
}

/** The methods registered for a path (for 405 and `Allow`), computed from the route table. */
function allowedMethods(h: Hono<HttpEnv>): (path: string) => string[] {
  let table: { re: RegExp; method: string }[] | undefined;
  return (path) => {
    table ??= h.routes
      .filter((r) => r.method !== "ALL" && r.path !== "*" && r.path !== "/*")
      .map((r) => ({
        method: r.method,
        re: new RegExp(
          `^${r.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+")}/?$`,
        ),
      }));
    const out = new Set(table.filter((r) => r.re.test(path)).map((r) => r.method));
    if (out.has("GET")) out.add("HEAD");
    return [...out];
  };
}
