import type { App } from "../../src/app.ts";
import { createHttpApp, type HttpOptions } from "../../src/http/app.ts";
import { alice, testApp } from "../helpers/app.ts";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  json: any;
}

/** An HTTP app over an in-memory workspace, driven with `app.request()` (no socket). */
export async function httpTest(opts: Partial<HttpOptions> & { app?: App } = {}) {
  const app = opts.app ?? await testApp();
  const ac = new AbortController();
  const h = createHttpApp(app, { actor: alice, host: "127.0.0.1", port: 8080, signal: ac.signal, ...opts });
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" || body instanceof FormData || body instanceof Uint8Array
        ? body as BodyInit
        : JSON.stringify(body);
    }
    const res = await h.request(path, init);
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, text, json };
  }
  async function close() {
    ac.abort();
    if (!opts.app) await app.close();
  }
  return {
    app,
    h,
    call,
    get: (p: string, headers?: Record<string, string>) => call("GET", p, undefined, headers),
    post: (p: string, b?: unknown, headers?: Record<string, string>) => call("POST", p, b, headers),
    patch: (p: string, b?: unknown, headers?: Record<string, string>) => call("PATCH", p, b, headers),
    del: (p: string, headers?: Record<string, string>) => call("DELETE", p, undefined, headers),
    close,
    [Symbol.dispose]: close,
  };
}

/** A test app with project `api` (and `web`) and a few tasks. */
export async function seeded(opts: Partial<HttpOptions> = {}) {
  const t = await httpTest(opts);
  await t.post("/api/projects", { alias: "api", name: "API" });
  await t.post("/api/projects", { alias: "web", name: "Web" });
  return t;
}
