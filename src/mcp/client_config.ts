import { usage } from "../domain/errors.ts";

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
