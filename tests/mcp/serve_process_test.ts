import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { cacheDir, mainPath, sharedDb, spawnCli } from "../helpers/cli.ts";
import { redactUrl } from "../../src/db/url.ts";

Deno.test("`backlog mcp serve` as a real process runs a whole agent loop; the CLI sees the same rows", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-mcp-" });
  const shared = await sharedDb(home); // a file, or a PostgreSQL database under test:pg
  const db = shared.path;
  const env = { HOME: home, BACKLOG_DB: db, USER: "tester", NO_COLOR: "1" };
  try {
    const setup = await spawnCli(["project", "add", "Web", "--alias", "web"], env);
    assert.equal(setup.code, 0, setup.stderr);

    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: ["run", "-A", mainPath, "mcp", "serve"],
      env: { ...env, DENO_DIR: await cacheDir(), PATH: Deno.env.get("PATH") ?? "" },
      cwd: home,
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (c: Uint8Array) => stderr += new TextDecoder().decode(c));
    const errors: Error[] = [];
    const client = new Client({ name: "e2e-agent", version: "1.0.0" });
    client.onerror = (e: Error) => void errors.push(e);
    await client.connect(transport);
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const r = await client.callTool({ name, arguments: args }) as CallToolResult;
      assert.ok(!r.isError, `${name}: ${JSON.stringify(r.content)}`);
      return r.structuredContent as Record<string, unknown>;
    };

    const projects = await call("project_list");
    assert.deepEqual((projects.projects as { alias: string }[]).map((p) => p.alias), ["web"]);
    await call("task_create", {
      project: "web",
      title: "Fix login timeout",
      priority: "P1",
      labels: ["auth"],
    });
    const claim = await call("task_claim", { project: "web", lease: "15m" });
    const task = claim.task as { ref: string; status: string };
    assert.equal(task.ref, "TASK-1");
    assert.equal(task.status, "doing");
    await call("plan_add", { task_id: "TASK-1", title: "Approach", body: "1. raise the timeout\n2. test" });
    await call("comment_add", { task_id: "TASK-1", body: "raised to 30s, tests pass" });
    const done = await call("task_move", { id: "TASK-1", status: "done", claim_token: claim.token });
    assert.equal(done.status, "done");

    await client.close();
    assert.deepEqual(errors, [], "stdout carried only protocol");
    assert.ok(stderr.includes(`backlog mcp: serving ${redactUrl(db)} on stdio`), stderr);
    const password = db.startsWith("postgres") ? new URL(db).password : "";
    if (password) assert.ok(!stderr.includes(password), "the log hides the password");

    const shown = await spawnCli(["task", "show", "1", "--json", "--db", db], env);
    assert.equal(shown.code, 0, shown.stderr);
    const t = JSON.parse(shown.stdout);
    assert.equal(t.status, "done");
    assert.ok(t.completed_at);
    assert.equal(t.priority, 1);
    assert.deepEqual(t.labels.map((l: { name: string }) => l.name), ["auth"]);
    assert.deepEqual(t.actor, { kind: "ai", name: "e2e-agent" });
    assert.equal(t.plans[0].version.title, "Approach");
    assert.equal(t.comments[0].body, "raised to 30s, tests pass");
    assert.deepEqual(t.comments[0].actor, { kind: "ai", name: "e2e-agent" });
  } finally {
    await shared.drop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("`backlog mcp serve` exits 0 on EOF with nothing on stdout", async () => {
  const home = await Deno.makeTempDir({ prefix: "backlog-mcp-" });
  try {
    assert.equal((await spawnCli(["--db", `${home}/b.db`, "init"], { HOME: home })).code, 0);
    const r = await spawnCli(
      ["mcp", "serve", "--as", "ai:probe"],
      { HOME: home, BACKLOG_DB: `${home}/b.db` },
      {
        stdin: "",
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /writes signed by ai:probe/);
    const env = await spawnCli(["mcp", "serve"], {
      HOME: home,
      BACKLOG_DB: `${home}/b.db`,
      BACKLOG_ACTOR: "human:ann",
    }, {
      stdin: "",
    });
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stderr, /writes signed by human:ann/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
