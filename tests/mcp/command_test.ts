import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { cli } from "../helpers/cli.ts";
import { TOOLS_BUDGET } from "../../src/cli/commands/mcp.ts";

Deno.test("`mcp tools --size` prints the tools/list size against the budget, without a workspace", async () => {
  const home = await Deno.makeTempDir();
  try {
    const r = await cli(["mcp", "tools", "--size"], { env: { HOME: home } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^tools\/list: \d+ tools, \d+ bytes \(≈\d+ tokens\), budget 8000 bytes\n$/);
    const j = JSON.parse((await cli(["mcp", "tools", "--size", "--json"], { env: { HOME: home } })).stdout);
    assert.ok(j.bytes > 1000 && j.bytes <= TOOLS_BUDGET);
    assert.equal(j.budget, TOOLS_BUDGET);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("`mcp tools` lists every tool with its title, kind and size", async () => {
  const r = await cli(["mcp", "tools"], { env: { HOME: "/nonexistent" } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /task_create\s+│ Create task\s+│ write\s+│ \d+/);
  assert.match(r.stdout, /task_list\s+│ List tasks\s+│ read\s+│/);
});

Deno.test("`mcp config` prints paste-ready config for claude, cursor, codex and opencode", async () => {
  const env = { HOME: "/nonexistent" };
  // Run from source, the config starts this checkout with Deno (a release binary prints `backlog`).
  const exe = Deno.execPath();
  const pre = ["run", "-A", new URL("../../main.ts", import.meta.url).pathname];
  const claude = await cli(["mcp", "config", "claude"], { env });
  assert.equal(claude.code, 0, claude.stderr);
  assert.deepEqual(JSON.parse(claude.stdout).mcpServers.backlog, {
    type: "stdio",
    command: exe,
    args: [...pre, "mcp", "serve", "--as", "ai:claude"],
  });
  assert.match(claude.stderr, /claude mcp add backlog -- \S+ run -A \S+main\.ts mcp serve --as ai:claude/);
  const cursor = JSON.parse((await cli(["mcp", "config", "cursor"], { env })).stdout);
  assert.equal(cursor.mcpServers.backlog.command, exe);
  const codex = await cli(["mcp", "config", "codex", "--db", "/tmp/w/backlog.db", "--as", "ai:gpt"], { env });
  assert.deepEqual(JSON.parse(JSON.stringify(parse(codex.stdout))), {
    mcp_servers: {
      backlog: {
        command: exe,
        args: [...pre, "mcp", "serve", "--db", "/tmp/w/backlog.db", "--as", "ai:gpt"],
      },
    },
  });
  const opencode = JSON.parse((await cli(["mcp", "config", "opencode"], { env })).stdout);
  assert.deepEqual(opencode.mcp.backlog.command, [exe, ...pre, "mcp", "serve", "--as", "ai:opencode"]);
  assert.equal(opencode.mcp.backlog.type, "local");
  const bad = await cli(["mcp", "config", "emacs"], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown MCP client "emacs"/);
});

Deno.test("`mcp config --db relative` writes an absolute path", async () => {
  const r = await cli(["mcp", "config", "cursor", "--db", "ws/backlog.db", "--json"], {
    env: { HOME: "/nonexistent" },
    cwd: "/srv/project",
  });
  const args = JSON.parse(JSON.parse(r.stdout).text).mcpServers.backlog.args;
  assert.deepEqual(args.slice(-2), ["--db", "/srv/project/ws/backlog.db"]);
});
