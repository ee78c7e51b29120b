import { fileURLToPath } from "node:url";
import { defineCommand, type Io, type RunCtxWith } from "../spec.ts";
import { checkBindToken, generateToken } from "../../http/token.ts";
import { usage } from "../../domain/errors.ts";
import { quoteInput } from "../../domain/quote.ts";

const DEFAULT_PORT = 8080;

function parsePort(v: string): number {
  if (!/^\d{1,5}$/.test(v.trim()) || Number(v) > 65535) {
    throw usage(`--port: invalid port "${v}" (use 0-65535)`);
  }
  return Number(v);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Newest modification time of the files under a folder (0 when it is missing). */
async function newest(dir: string): Promise<number> {
  let max = 0;
  try {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      max = Math.max(max, e.isDirectory ? await newest(path) : (await Deno.stat(path)).mtime?.getTime() ?? 0);
    }
  } catch {
    // a missing folder has nothing newer
  }
  return max;
}

/** Whether a source checkout's web/dist is missing or older than web/src and web/styles (a `git pull`). */
async function distStale(root: string): Promise<boolean> {
  let built: number;
  try {
    built = (await Deno.stat(`${root}index.html`)).mtime?.getTime() ?? 0;
  } catch {
    return true;
  }
  const sources = [
    new URL("../../../web/src/", import.meta.url),
    new URL("../../../web/styles/", import.meta.url),
  ];
  for (const dir of sources) if (await newest(fileURLToPath(dir).replace(/\/$/, "")) > built) return true;
  return false;
}

/**
 * web/dist; when run from source without a build, or with a build older than the web sources, builds
 * it with scripts/build_web.ts first. A compiled binary serves its embedded build as it is.
 */
async function webRoot(io: Io): Promise<string> {
  const dist = new URL("../../../web/dist/", import.meta.url);
  const root = fileURLToPath(dist);
  if (dist.protocol !== "file:") return root;
  const script = new URL("../../../scripts/build_web.ts", import.meta.url);
  if (!await exists(fileURLToPath(script)) || !await distStale(root)) return root;
  try {
    const mod = await import(script.href);
    if (typeof mod.buildWeb === "function") {
      io.stderr("building the web UI…\n");
      await mod.buildWeb();
    }
  } catch (err) {
    io.stderr(`warning: could not build the web UI: ${(err as Error).message}\n`);
  }
  return root;
}

/** Opens a browser unless in CI or without a display (never in tests: they pass --no-browser). */
function openBrowser(url: string, io: Io): void {
  if (io.env.get("CI")) return;
  const os = Deno.build.os;
  if (os !== "darwin" && os !== "windows" && !io.env.get("DISPLAY") && !io.env.get("WAYLAND_DISPLAY")) return;
  const [cmd, ...args] = os === "darwin"
    ? ["open", url]
    : os === "windows"
    ? ["cmd", "/c", "start", "", url]
    : ["xdg-open", url];
  try {
    const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
    child.status.catch(() => {});
    child.unref();
  } catch { /* no opener installed: the URL is printed anyway */ }
}

/** The bearer token of this run and where it came from: --token, --generate-token or $BACKLOG_TOKEN. */
function webToken(ctx: RunCtxWith<"generate-token" | "token">): { token?: string; source: string } {
  if (ctx.flags["generate-token"]) {
    if (ctx.given("token")) throw usage("--token and --generate-token cannot be used together");
    return { token: generateToken(), source: "--generate-token" };
  }
  if (ctx.given("token")) {
    return { token: String(ctx.flags.token ?? "").trim() || undefined, source: "--token" };
  }
  return { token: ctx.io.env.get("BACKLOG_TOKEN")?.trim() || undefined, source: "$BACKLOG_TOKEN" };
}

/** `--allow-host` names: host names (an optional port is ignored), no schemes or paths. Raises usage. */
function allowHosts(names: string[]): string[] {
  return names.map((n) => {
    const v = n.trim().toLowerCase();
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(v)) {
      throw usage(`--allow-host: invalid host name ${quoteInput(n)} (e.g. backlog.example.com)`);
    }
    return v;
  });
}

export const webCommand = defineCommand({
  name: "web",
  db: "read",
  summary: "Serve the web UI, the HTTP API and MCP over HTTP",
  description: "Serves the web UI at /, the JSON API under /api (live changes at /api/events) and MCP " +
    "(streamable HTTP) at /mcp, on 127.0.0.1 unless --host says otherwise. Any other address needs " +
    "a strong token (at least 128 bits: --token, $BACKLOG_TOKEN, or --generate-token for a random one) " +
    "or --actor-tokens; with either, every /api and /mcp request must send `Authorization: Bearer <token>`. " +
    "A token made by `backlog token create` is honoured on every server and signs the request as its " +
    "actor (a different X-Backlog-Actor is 403). Stops cleanly on Ctrl+C / SIGTERM.",
  flags: {
    port: {
      type: "string",
      short: "p",
      desc: `port to listen on (default ${DEFAULT_PORT}; 0 = any free port)`,
      value: "<n>",
    },
    host: {
      type: "string",
      desc: "address to bind (default 127.0.0.1; others need a token or --actor-tokens)",
      value: "<addr>",
    },
    token: { type: "string", desc: "require this bearer token (default $BACKLOG_TOKEN)", value: "<token>" },
    "generate-token": { type: "boolean", desc: "require a fresh random token (printed) for this run" },
    "actor-tokens": {
      type: "boolean",
      desc: "require a token even without --token: then only actor tokens (backlog token create) get in",
    },
    "allow-host": {
      type: "string",
      multiple: true,
      desc: "also answer this Host name (the public name a TLS proxy in front forwards)",
      value: "<name>",
    },
    "no-browser": { type: "boolean", desc: "do not open a browser" },
  },
  examples: [
    "backlog web",
    "backlog web --port 9000 --no-browser",
    "backlog web --host 0.0.0.0 --generate-token",
    "BACKLOG_TOKEN=$(openssl rand -hex 32) backlog web --host 0.0.0.0",
    "backlog web --host 0.0.0.0 --actor-tokens --db postgres://backlog@db.example.com/backlog",
  ],
  async run(ctx) {
    const port = parsePort(String(ctx.flags.port ?? DEFAULT_PORT));
    const host = String(ctx.flags.host ?? "").trim() || "127.0.0.1";
    const { token, source } = webToken(ctx);
    const actorTokens = !!ctx.flags["actor-tokens"];
    checkBindToken(host, token, source, actorTokens); // fail before building the UI; startServer enforces it too
    const allowed = allowHosts(ctx.flags["allow-host"] ?? []);
    const app = ctx.app();
    const actor = ctx.actor();
    const root = await webRoot(ctx.io);
    const { startServer } = await import("../../http/server.ts");
    const srv = startServer(app, {
      actor,
      token,
      tokenSource: source,
      actorTokens,
      allowHosts: allowed,
      host,
      port,
      webRoot: root,
      signal: ctx.io.signal,
    });
    const url = token ? `${srv.url}/#token=${encodeURIComponent(token)}` : srv.url;
    ctx.io.stderr(`backlog web UI → ${url}\n`);
    if (actorTokens && !token) {
      ctx.io.stderr(`actor tokens only: open ${srv.url}/#token=<your token> (backlog token create)\n`);
    }
    if (source === "--generate-token") ctx.io.stderr(`token (Authorization: Bearer …): ${token}\n`);
    if (!ctx.flags["no-browser"]) openBrowser(url, ctx.io);
    await srv.finished;
    return {};
  },
});
