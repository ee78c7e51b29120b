import { AsyncLocalStorage } from "node:async_hooks";
import type { App } from "../app.ts";
import { AppError } from "../domain/errors.ts";
import { createHttpApp, type HttpOptions } from "./app.ts";
import { errorResponse } from "./request.ts";
import { checkBindToken } from "./token.ts";

export interface RunningServer {
  /** The address to open, e.g. http://127.0.0.1:8080. */
  url: string;
  port: number;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops accepting, ends event streams, waits for in-flight requests. */
  shutdown(): Promise<void>;
  /** shutdown(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `createHttpApp` on Deno.serve. Aborting `opts.signal` (SIGINT/SIGTERM in the CLI) or
 * calling shutdown() stops it gracefully: open event streams end, in-flight requests finish.
 * Raises usage when a non-loopback address lacks a strong token, internal when the address cannot
 * be bound (e.g. the port is in use).
 */
export function startServer(app: App, opts: HttpOptions): RunningServer {
  checkBindToken(opts.host, opts.token, opts.tokenSource, opts.actorTokens);
  // Two steps: end the event streams first, then stop the server (which waits for open responses).
  const streams = new AbortController();
  const ac = new AbortController();
  const stop = () => {
    if (streams.signal.aborted) return;
    streams.abort();
    setTimeout(() => ac.abort(), 50);
  };
  opts.signal?.addEventListener("abort", stop, { once: true });
  const h = createHttpApp(app, { ...opts, signal: streams.signal });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: opts.host,
      port: opts.port,
      signal: ac.signal,
      onListen: () => {},
      onError: (err) => errorResponse(err),
    }, inServerContext(h.fetch));
  } catch (err) {
    streams.abort();
    const why = err instanceof Deno.errors.AddrInUse
      ? "address already in use"
      : err instanceof Deno.errors.AddrNotAvailable
      ? "address not available"
      : (err as Error).message;
    throw new AppError("internal", `cannot listen on ${hostPort(opts.host, opts.port)}: ${why}`, {
      hint: "choose another --port (0 picks a free one) or --host",
      cause: err,
    });
  }
  const port = server.addr.port;
  const shutdown = async () => {
    stop();
    await server.finished;
  };
  const shown = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  return {
    url: `http://${hostPort(shown, port)}`,
    port,
    finished: server.finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}

/**
 * The handler, run for every request in the async context the server started in. Deno 2.9's HTTP/1.1
 * fast path (`nativeMapped` in ext/http/00_serve.ts) calls the handler in whatever async context is
 * current when the request comes in (its other path restores the server's): a request could start
 * inside another request's transaction (the stores' AsyncLocalStorage frame), join it, and run its
 * statements there — a claim inside a read-only show, a comment that aborted a create's commit.
 */
export function inServerContext(handler: Deno.ServeHandler): Deno.ServeHandler {
  const snapshot = AsyncLocalStorage.snapshot();
  // Two parameters: Deno calls a handler that declares none without its request.
  return (req, info) => snapshot(() => handler(req, info));
}

function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}
