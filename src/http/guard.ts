import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { timingSafeEqual } from "hono/utils/buffer";
import type { HttpEnv } from "./request.ts";
import { statusError } from "./request.ts";
import { bareHost, isLoopback, isWildcard } from "./host.ts";
import { isActorTokenSecret } from "../domain/api_tokens.ts";
import type { TokenCheck } from "../services/tokens.ts";

/**
 * Which `Host` names a server bound to `bind` answers: loopback names, the bind address, and the
 * names in `allowed` (`web --allow-host`: what a reverse proxy in front of it forwards).
 */
export function hostAllowed(bind: string, requestHost: string, allowed: readonly string[] = []): boolean {
  if (isWildcard(bind)) return true;
  const h = bareHost(requestHost);
  return isLoopback(h) || h === bareHost(bind) || allowed.some((a) => bareHost(a) === h);
}

const isApi = (path: string) =>
  path === "/api" || path.startsWith("/api/") || path === "/mcp" ||
  path.startsWith("/mcp/");

/**
 * Refuses requests a web page could forge (403): a `Host` that is not the bound address (DNS
 * rebinding), an `Origin` other than this server's own, and cross-site or same-site fetches of
 * the API (`Sec-Fetch-Site`, which browsers set and scripts cannot forge).
 */
export function originGuard(bind: string, allowed: readonly string[] = []): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!hostAllowed(bind, host, allowed)) {
      return statusError(403, `host "${host}" is not allowed (this server answers ${bind})`);
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && !sameOrigin(origin, host)) {
      return statusError(403, `cross-origin request refused (origin ${JSON.stringify(origin)})`);
    }
    const site = c.req.header("sec-fetch-site");
    if (isApi(c.req.path) && (site === "cross-site" || site === "same-site")) {
      return statusError(403, `cross-site request refused (sec-fetch-site: ${site})`);
    }
    await next();
  };
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && u.host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
}

/** How a server admits API and MCP requests (see {@link authGuard}). */
export interface AuthOptions {
  /** The shared token (`--token`, `$BACKLOG_TOKEN`, `--generate-token`): any actor may use it. */
  token?: string;
  /** Require a token even without a shared one (`web --actor-tokens`): then only actor tokens get in. */
  actorTokens?: boolean;
  /** Looks up an actor token (`blt_…`) by its hash, per request. */
  authenticate?: (secret: string) => Promise<TokenCheck>;
}

const UNAUTHORIZED = { "WWW-Authenticate": 'Bearer realm="backlog"' };

/**
 * Admits API and MCP requests by `Authorization: Bearer <token>`, or `?token=` on GET for what a
 * browser cannot send headers with (EventSource, image previews, download links):
 * - the shared token, when the server has one, admits the request as any actor (`X-Backlog-Actor`);
 * - an actor token (`blt_…`, made by `backlog token create`) admits it as its actor (`tokenActor`),
 *   on every server; an unknown or revoked one is 401, even on a server that needs no token;
 * - anything else is 401 when the server has a shared token or `actorTokens`, and passes otherwise
 *   (a loopback server without a token is open, as before).
 * Not `hono/bearer-auth`: it answers 400 (not 401) to a malformed or non-Bearer `Authorization`
 * header and has no `?token=`; its timing-safe compare is used here.
 */
export function authGuard(opts: AuthOptions): MiddlewareHandler<HttpEnv> {
  const { token } = opts;
  return async (c, next) => {
    if (!isApi(c.req.path)) return await next();
    const auth = c.req.header("authorization") ?? "";
    const bearer = auth.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const read = c.req.method === "GET" || c.req.method === "HEAD";
    const query = read ? c.req.query("token") : undefined;
    const given = [bearer, query].filter((g): g is string => !!g);
    if (token) {
      for (const g of given) if (await timingSafeEqual(g, token)) return await next();
    }
    const secret = given.find(isActorTokenSecret);
    if (secret !== undefined && opts.authenticate) {
      const r = await opts.authenticate(secret);
      if (r.ok) {
        c.set("tokenActor", r.actor);
        return await next();
      }
      const why = r.reason === "revoked" ? "this token was revoked" : "unknown token";
      return statusError(401, `${why}: send Authorization: Bearer <a live token>`, UNAUTHORIZED);
    }
    if (!token && !opts.actorTokens) return await next();
    return statusError(401, "authorization required: send Authorization: Bearer <token>", UNAUTHORIZED);
  };
}

/**
 * Headers on every response: no sniffing, no framing, no referrer, no cross-site embedding (plus
 * hono's other defaults). No HSTS: the server speaks plain HTTP; TLS is a proxy's business.
 */
export const securityHeaders: MiddlewareHandler<HttpEnv> = secureHeaders({
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  crossOriginResourcePolicy: "same-origin",
  strictTransportSecurity: false,
});
