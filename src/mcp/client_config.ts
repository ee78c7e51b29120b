import { usage } from "../domain/errors.ts";
import { quoteInput } from "../domain/quote.ts";

export const CLIENTS = ["claude", "cursor", "codex", "opencode"] as const;
export type Client = typeof CLIENTS[number];

export interface ClientConfig {
  client: Client;
  /** Where the snippet goes. */
  file: string;
  /** The snippet, ready to paste (JSON or TOML). */
  text: string;
  /** A one-line alternative, when the client has one. */
  command?: string;
  /** The server's MCP endpoint, for a configuration that reaches `backlog web` over HTTP. */
  url?: string;
}

/**
 * The MCP client configuration that starts `backlog mcp serve` for one client. `args` are the
 * extra arguments for serve (e.g. `--db /abs/backlog.db`); the actor defaults to `ai:<client>`.
 * Raises usage for an unknown client.
 */
export function clientConfig(
  client: string,
  opts: { command?: string; prefix?: string[]; args?: string[] } = {},
): ClientConfig {
  const c = client.trim().toLowerCase() as Client;
  if (!(CLIENTS as readonly string[]).includes(c)) {
    throw usage(`unknown MCP client "${client}" (use ${CLIENTS.join(", ")})`);
  }
  const command = opts.command ?? "backlog";
  const extra = opts.args ?? [];
  const args = [
    ...(opts.prefix ?? []),
    "mcp",
    "serve",
    ...(extra.includes("--as") ? [] : ["--as", `ai:${c}`]),
    ...extra,
  ];
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  switch (c) {
    case "claude":
      return {
        client: c,
        file: ".mcp.json (project) or ~/.claude.json",
        text: json({ mcpServers: { backlog: { type: "stdio", command, args } } }),
        command: `claude mcp add backlog -- ${[command, ...args].map(shellQuote).join(" ")}`,
      };
    case "cursor":
      return {
        client: c,
        file: ".cursor/mcp.json (project) or ~/.cursor/mcp.json",
        text: json({ mcpServers: { backlog: { command, args } } }),
      };
    case "codex":
      return {
        client: c,
        file: "~/.codex/config.toml",
        text: `[mcp_servers.backlog]\ncommand = ${JSON.stringify(command)}\nargs = [${
          args.map((a) => JSON.stringify(a)).join(", ")
        }]`,
        command: `codex mcp add backlog -- ${[command, ...args].map(shellQuote).join(" ")}`,
      };
    case "opencode":
      return {
        client: c,
        file: "opencode.json (project) or ~/.config/opencode/opencode.json",
        text: json({
          $schema: "https://opencode.ai/config.json",
          mcp: { backlog: { type: "local", command: [command, ...args], enabled: true } },
        }),
      };
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The environment variable an HTTP config takes the bearer token from, unless told otherwise. */
export const DEFAULT_TOKEN_ENV = "BACKLOG_TOKEN";

/**
 * The configuration that points a client at a running `backlog web` over streamable HTTP (`url`, its
 * `/mcp` endpoint) with `Authorization: Bearer <token>`, the token read from the environment variable
 * `tokenEnv` by the client (each client's own syntax), so no secret is written into a config file.
 * Raises usage for an unknown client, a URL that is not http(s), or a bad variable name.
 */
export function httpClientConfig(client: string, url: string, tokenEnv = DEFAULT_TOKEN_ENV): ClientConfig {
  const c = client.trim().toLowerCase() as Client;
  if (!(CLIENTS as readonly string[]).includes(c)) {
    throw usage(`unknown MCP client "${client}" (use ${CLIENTS.join(", ")})`);
  }
  const endpoint = mcpUrl(url);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
    throw usage(`--token-env: invalid variable name ${quoteInput(tokenEnv)} (letters, digits and _)`);
  }
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  switch (c) {
    case "claude":
      return {
        client: c,
        url: endpoint,
        file: ".mcp.json (project) or ~/.claude.json",
        text: json({
          mcpServers: {
            backlog: { type: "http", url: endpoint, headers: { Authorization: `Bearer \${${tokenEnv}}` } },
          },
        }),
      };
    case "cursor":
      return {
        client: c,
        url: endpoint,
        file: ".cursor/mcp.json (project) or ~/.cursor/mcp.json",
        text: json({
          mcpServers: {
            backlog: { url: endpoint, headers: { Authorization: `Bearer \${env:${tokenEnv}}` } },
          },
        }),
      };
    case "codex":
      return {
        client: c,
        url: endpoint,
        file: "~/.codex/config.toml",
        text: `[mcp_servers.backlog]\nurl = ${JSON.stringify(endpoint)}\nbearer_token_env_var = ${
          JSON.stringify(tokenEnv)
        }`,
      };
    case "opencode":
      return {
        client: c,
        url: endpoint,
        file: "opencode.json (project) or ~/.config/opencode/opencode.json",
        text: json({
          $schema: "https://opencode.ai/config.json",
          mcp: {
            backlog: {
              type: "remote",
              url: endpoint,
              headers: { Authorization: `Bearer {env:${tokenEnv}}` },
              enabled: true,
            },
          },
        }),
      };
  }
}

/** The server's MCP endpoint: `url` as given, or with `/mcp` when it names only the server. Raises usage. */
function mcpUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw usage(`--url: invalid URL ${quoteInput(url)} (e.g. https://backlog.example.com/mcp)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw usage(`--url: use an http:// or https:// URL, not ${u.protocol}`);
  }
  if (u.username || u.password) throw usage("--url: put the token in the environment, not in the URL");
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/mcp";
  return u.href;
}
