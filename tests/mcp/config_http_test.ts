import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { cli } from "../helpers/cli.ts";

const env = { HOME: "/nonexistent" };

Deno.test("`mcp config --url` points each client at backlog web's /mcp with a bearer token from the environment", async () => {
  const claude = await cli(["mcp", "config", "claude", "--url", "https://backlog.example.com"], { env });
  assert.equal(claude.code, 0, claude.stderr);
  assert.deepEqual(JSON.parse(claude.stdout).mcpServers.backlog, {
    type: "http",
    url: "https://backlog.example.com/mcp",
    headers: { Authorization: "Bearer ${BACKLOG_TOKEN}" },
  });
  assert.match(claude.stderr, /\$BACKLOG_TOKEN \(make one: backlog token create --actor ai:claude -q\)/);
  assert.doesNotMatch(claude.stderr, /plain http/);
  const cursor = JSON.parse(
    (await cli(["mcp", "config", "cursor", "--url", "https://h/mcp"], { env })).stdout,
  );
  assert.deepEqual(cursor.mcpServers.backlog, {
    url: "https://h/mcp",
    headers: { Authorization: "Bearer ${env:BACKLOG_TOKEN}" },
  });
  const codex = await cli(
    ["mcp", "config", "codex", "--url", "https://h/mcp", "--token-env", "CODEX_TOKEN"],
    { env },
  );
  assert.deepEqual(JSON.parse(JSON.stringify(parse(codex.stdout))), {
    mcp_servers: { backlog: { url: "https://h/mcp", bearer_token_env_var: "CODEX_TOKEN" } },
  });
  const opencode = JSON.parse(
    (await cli(["mcp", "config", "opencode", "--url", "http://10.0.0.5:8080/mcp"], { env })).stdout,
  );
  assert.deepEqual(opencode.mcp.backlog, {
    type: "remote",
    url: "http://10.0.0.5:8080/mcp",
    headers: { Authorization: "Bearer {env:BACKLOG_TOKEN}" },
    enabled: true,
  });
  const plain = await cli(["mcp", "config", "opencode", "--url", "http://10.0.0.5:8080/mcp"], { env });
  assert.match(plain.stderr, /plain http: the token would cross the network in clear/);
  const local = await cli(["mcp", "config", "claude", "--url", "http://127.0.0.1:8080"], { env });
  assert.doesNotMatch(local.stderr, /plain http/);
});

Deno.test("`mcp config --url` refuses what does not fit: a bad URL or variable, --db/--as, --token-env alone", async () => {
  const cases: [string[], RegExp][] = [
    [["--url", "ftp://h"], /use an http:\/\/ or https:\/\/ URL/],
    [["--url", "not a url"], /--url: invalid URL "not a url"/],
    [["--url", "https://u:p@h/mcp"], /not in the URL/],
    [["--url", "https://h", "--token-env", "1BAD"], /--token-env: invalid variable name/],
    [["--url", "https://h", "--db", "/tmp/x.db"], /--url and --db cannot be used together/],
    [["--url", "https://h", "--as", "ai:x"], /--url and --as cannot be used together/],
    [["--token-env", "X"], /--token-env needs --url/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(["mcp", "config", "claude", ...args], { env });
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, re);
    assert.equal(r.stdout, "");
  }
});
