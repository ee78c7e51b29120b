import { type CommandSpec, defineCommand, type RunCtx } from "../spec.ts";
import { type Actor, formatActor, parseActor } from "../../domain/actor.ts";
import { table } from "../format.ts";
import { isPgUrl, redactUrl } from "../../db/url.ts";
import { usage } from "../../domain/errors.ts";
import { isLoopback } from "../../http/host.ts";

/** A postgres URL without its password (`user:pw@` → `user@`). */
const withoutPassword = (url: string) => redactUrl(url).replace(/:\*\*\*@/, "@");
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

/** The budget for the JSON of tools/list, in bytes (≈ 2,000 tokens). */
export const TOOLS_BUDGET = 8000;

/**
 * The server's actor: `--as` > `$BACKLOG_ACTOR` > config `defaults.actor`, as in the CLI; when
 * none is set, `ai:<client name>` from the client's initialize request (falling back to
 * `ai:$USER`), because whoever talks to an MCP server is an agent.
 */
function serverActor(ctx: RunCtx): { actor: Actor; fromClient: boolean } {
  const env = ctx.io.env.get("BACKLOG_ACTOR");
  let cfg = "";
  try {
    cfg = ctx.config().actor;
  } catch { /* no workspace config: nothing configured */ }
  if (ctx.globals.as !== undefined || env || cfg) return { actor: ctx.actor(), fromClient: false };
  return { actor: parseActor(`ai:${ctx.io.env.get("USER") || "agent"}`), fromClient: true };
}

export const mcpCommand: CommandSpec = {
  name: "mcp",
  summary: "MCP server for AI agents (serve, tools, config)",
  subcommands: [
    defineCommand({
      name: "serve",
      db: "read",
      summary: "Serve MCP on stdio (stdout carries only protocol; diagnostics go to stderr)",
      description: "Serve the Backlog tools over MCP on stdin/stdout until stdin closes.\n\n" +
        "Writes are signed by --as, $BACKLOG_ACTOR or config defaults.actor; without any of them by\n" +
        "ai:<client name> as the client announces itself (e.g. ai:claude-code).",
      examples: ["backlog mcp serve --as ai:claude", "backlog mcp config claude"],
      async run(ctx) {
        const { serveStdio } = await import("../../mcp/stdio.ts");
        const { actor, fromClient } = serverActor(ctx);
        const log = (line: string) => ctx.io.stderr(`backlog mcp: ${line}\n`);
        const who = fromClient ? "the client's name (ai:<client>)" : formatActor(actor);
        log(`serving ${ctx.workspace().shown} on stdio; writes signed by ${who}`);
        await serveStdio(ctx.app(), actor, {
          clientActor: fromClient,
          signal: ctx.io.signal,
          log,
          write: (b) => Promise.resolve(ctx.io.writeBytes(b)),
        });
        return {};
      },
    }),
    defineCommand({
      name: "tools",
      summary: "List the MCP tools; --size prints the bytes of tools/list against the budget",
      db: false,
      flags: { size: { type: "boolean", desc: "print only the size of tools/list" } },
      examples: ["backlog mcp tools", "backlog mcp tools --size"],
      async run(ctx) {
        const { openApp } = await import("../../app.ts");
        const { fetchToolList, toolListBytes } = await import("../../mcp/inspect.ts");
        const app = await openApp({ dbPath: ":memory:" });
        try {
          const list = await fetchToolList(app, { kind: "ai", name: "inspect" });
          const bytes = toolListBytes(list);
          const size = {
            tools: list.tools.length,
            bytes,
            tokens_estimate: Math.round(bytes / 4),
            budget: TOOLS_BUDGET,
          };
          const sizeLine =
            `tools/list: ${size.tools} tools, ${bytes} bytes (≈${size.tokens_estimate} tokens), ` +
            `budget ${TOOLS_BUDGET} bytes`;
          if (ctx.flags.size) return { data: size, text: sizeLine };
          const rows = list.tools.map((t: Tool) => {
            const a = t.annotations ?? {};
            const kind = a.readOnlyHint
              ? "read"
              : a.destructiveHint === false
              ? "write"
              : "write, destructive";
            return [t.name, t.title ?? "", kind, String(new TextEncoder().encode(JSON.stringify(t)).length)];
          });
          return {
            data: { ...size, list: list.tools },
            text: `${table(["tool", "title", "kind", "bytes"], rows)}\n${sizeLine}`,
          };
        } finally {
          await app.close();
        }
      },
    }),
    defineCommand({
      name: "config",
      summary: "Print ready-to-paste MCP client configuration (claude, cursor, codex, opencode)",
      description: "Print ready-to-paste MCP client configuration (claude, cursor, codex, opencode).\n\n" +
        "By default the client starts `backlog mcp serve` on this machine (--db, --profile and --as are\n" +
        "passed on). With --url it talks to a running `backlog web` over HTTP instead, sending\n" +
        "`Authorization: Bearer` with the token the client reads from $BACKLOG_TOKEN (or --token-env):\n" +
        "give each agent its own token (`backlog token create --actor ai:<name>`) and its writes are\n" +
        "signed by that actor. No secret is written into the configuration.",
      db: false,
      args: [{ name: "client", required: true }],
      flags: {
        url: {
          type: "string",
          desc: "a backlog web server's MCP endpoint (https://host/mcp) instead of a local mcp serve",
          value: "<url>",
        },
        "token-env": {
          type: "string",
          desc: "with --url: the environment variable holding the token (default BACKLOG_TOKEN)",
          value: "<NAME>",
        },
      },
      examples: [
        "backlog mcp config claude > .mcp.json",
        "backlog mcp config codex --db ~/work/backlog.db",
        "backlog mcp config claude --url https://backlog.example.com/mcp",
      ],
      async run(ctx) {
        const { clientConfig, DEFAULT_TOKEN_ENV, httpClientConfig } = await import(
          "../../mcp/client_config.ts"
        );
        if (ctx.flags.url !== undefined) {
          for (const g of ["db", "profile", "as"] as const) {
            if (ctx.globals[g] !== undefined) {
              throw usage(
                `--url and --${g} cannot be used together: the server has the database, the token the actor`,
              );
            }
          }
          const env = ctx.flags["token-env"] ?? DEFAULT_TOKEN_ENV;
          const c = httpClientConfig(ctx.args[0], ctx.flags.url, env);
          const notes = [
            `# paste into ${c.file}`,
            `# the client sends the token in $${env} (make one: backlog token create --actor ai:${c.client} -q)`,
          ];
          const u = new URL(c.url!);
          if (u.protocol === "http:" && !isLoopback(u.hostname)) {
            notes.push(
              "# plain http: the token would cross the network in clear; put TLS in front (README: Team mode)",
            );
          }
          return { data: c, text: c.text, notes };
        }
        if (ctx.flags["token-env"] !== undefined) throw usage("--token-env needs --url");
        const args: string[] = [];
        const { db, profile, as } = ctx.globals;
        // A server URL goes in without its password: the client's environment gives it (PGPASSWORD).
        const secret = !!db && isPgUrl(db) && redactUrl(db) !== db;
        if (db) {
          args.push(
            "--db",
            isPgUrl(db)
              ? withoutPassword(db)
              : db.startsWith("/") || db.startsWith("~")
              ? db
              : `${ctx.io.cwd}/${db}`,
          );
        }
        if (profile) args.push("--profile", profile);
        if (as) args.push("--as", formatActor(parseActor(as)));
        // Running from source (`deno run main.ts`): the client must start Deno with this checkout.
        const exe = Deno.execPath();
        const fromSource = /(^|\/)deno(\.exe)?$/.test(exe);
        const c = clientConfig(ctx.args[0], {
          args,
          command: fromSource ? exe : undefined,
          prefix: fromSource
            ? ["run", "-A", new URL("../../../main.ts", import.meta.url).pathname]
            : undefined,
        });
        const notes = [`# paste into ${c.file}`];
        if (secret) notes.push("# the password is not written: set PGPASSWORD in the client's environment");
        if (c.command) notes.push(`# or run: ${c.command}`);
        return { data: c, text: c.text, notes };
      },
    }),
  ],
};
