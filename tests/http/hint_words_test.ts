import assert from "node:assert/strict";
import { seeded } from "./client.ts";
import { session } from "../mcp/mcp_client.ts";
import { workspace } from "../helpers/cli.ts";
import type { Actor } from "../../src/domain/actor.ts";
import type { HintField, HintOp, HintWords } from "../../src/domain/errors.ts";
import { CLI_HINTS } from "../../src/cli/hints.ts";
import { HTTP_HINTS } from "../../src/http/hints.ts";
import { MCP_HINTS } from "../../src/mcp/hints.ts";
import { loadRoot } from "../../src/cli/registry.ts";
import { allFlags, parseArgv } from "../../src/cli/parse.ts";

// A service's hint names request fields and operations; each surface words them (src/domain/errors.ts
// `Hint`): an HTTP client or an agent is never told to pass `--token` or run `backlog …`.

const holder: Actor = { kind: "ai", name: "holder" };

/** Neither a CLI flag nor a `backlog` command. */
function notCli(hint: string | undefined): string {
  assert.ok(hint, "a hint");
  assert.doesNotMatch(hint, /(^|[\s`(])--[a-z]/, `a flag in: ${hint}`);
  assert.doesNotMatch(hint, /\bbacklog /, `a command in: ${hint}`);
  return hint;
}

/** Projects api and web; TASK-1 claimed by ai:holder; TASK-2 blocked by TASK-3. */
async function setup() {
  const t = await seeded();
  for (const title of ["held", "two", "three"]) await t.post("/api/tasks", { project: "api", title });
  await t.app.claims.claim("TASK-1", {}, holder);
  await t.app.deps.add("TASK-2", "TASK-3", holder);
  return t;
}

Deno.test("HTTP hints name request fields, headers and routes, never CLI flags or commands", async () => {
  const t = await setup();
  try {
    const move = await t.patch("/api/tasks/TASK-1/status", { status: "done" });
    assert.equal(move.status, 409);
    assert.match(notCli(move.json.hint), /X-Claim-Token header \(or `claim_token` in the body\)/);
    const stale = await t.patch("/api/tasks/TASK-1", { title: "x", claim_token: "nope" });
    assert.equal(stale.status, 409);
    assert.match(notCli(stale.json.hint), /claim it again with `POST \/api\/tasks\/TASK-1\/claim`/);
    const release = await t.post("/api/tasks/TASK-1/release", {});
    assert.equal(release.status, 409);
    assert.match(notCli(release.json.hint), /X-Claim-Token header \(or `token` in the body\)/);
    const cycle = await t.post("/api/tasks/TASK-3/deps", { blocked_by: "TASK-2" });
    assert.equal(cycle.status, 400);
    assert.match(notCli(cycle.json.hint), /`DELETE \/api\/tasks\/\{id\}\/deps\/\{blocked_by\}`/);
    const taken = await t.post("/api/projects", { alias: "api", name: "Again" });
    assert.equal(taken.status, 409);
    assert.equal(notCli(taken.json.hint), "pick another `alias`");
    const live = await t.del("/api/projects/web");
    assert.equal(notCli(live.json.hint), "run `PATCH /api/projects/web/archive` first");
    const missing = await t.get("/api/projects/nope");
    assert.equal(notCli(missing.json.hint), "run `GET /api/projects` to see aliases");
  } finally {
    await t.close();
  }
});

Deno.test("MCP hints name tools and their arguments, never CLI flags or commands", async () => {
  const t = await setup();
  const s = await session({ app: t.app });
  try {
    const hintOf = (text: string) => text.split("\n").find((l) => l.startsWith("hint: "))?.slice(6);
    const move = await s.err("task_move", { id: "TASK-1", status: "done" });
    assert.match(move, /^error \(conflict\): TASK-1 is claimed by ai:holder/);
    assert.match(notCli(hintOf(move)), /pass the holder's claim token with `claim_token`/);
    const stale = await s.err("task_update", { id: "TASK-1", title: "x", claim_token: "nope" });
    assert.match(notCli(hintOf(stale)), /claim it again with `task_claim \{"id":"TASK-1"\}`/);
    const release = await s.err("task_claim", { id: "TASK-1", release: true });
    assert.match(notCli(hintOf(release)), /pass the claim token with `token`/);
    const taken = await s.err("task_claim", { id: "TASK-1" });
    assert.match(notCli(hintOf(taken)), /^pick another with `task_claim` without an id/);
    const cycle = await s.err("task_dep", { id: "TASK-3", blocked_by: ["TASK-2"] });
    assert.match(cycle, /^error \(invalid\): TASK-3 cannot be blocked by TASK-2: that would close a cycle/);
    assert.match(notCli(hintOf(cycle)), /remove one edge of the cycle first with `task_dep` with `remove`/);
    const dup = await s.call("project_create", { alias: "api", name: "Again" });
    assert.ok(dup.isError);
    assert.equal(
      notCli((dup.structuredContent as { error: { hint: string } }).error.hint),
      "pick another `alias`",
    );
  } finally {
    await s.close();
    await t.close();
  }
});

Deno.test("the CLI's hints still name its flags and commands", async () => {
  const w = await workspace();
  try {
    const run = async (argv: string[]) => (await w.run(argv)).stderr;
    await w.run(["project", "add", "API", "--alias", "api"]);
    for (const title of ["held", "two", "three"]) await w.run(["task", "add", "-t", title, "-p", "api"]);
    await w.run(["task", "claim", "TASK-1", "--as", "ai:holder"]);
    await w.run(["task", "dep", "add", "TASK-2", "--blocked-by", "TASK-3"]);
    assert.match(
      await run(["task", "move", "TASK-1", "--status", "done"]),
      /\nhint: pass the holder's claim token with --token, or wait for the lease to expire\n$/,
    );
    assert.match(
      await run(["task", "update", "TASK-1", "--title", "x", "--token", "nope"]),
      /\nhint: claim it again with `backlog task claim TASK-1`\n$/,
    );
    assert.match(
      await run(["task", "dep", "add", "TASK-3", "--blocked-by", "TASK-2"]),
      /\nhint: remove one edge of the cycle first with `backlog task dep rm`\n$/,
    );
    assert.match(await run(["project", "add", "Again", "--alias", "api"]), /\nhint: pick another --alias\n$/);
  } finally {
    await w.cleanup();
  }
});

const FIELDS: HintField[] = ["claim_token", "token", "alias"];
const OPS: HintOp[] = [
  "task_claim",
  "task_next",
  "task_requeue",
  "dep_list",
  "dep_remove",
  "project_list",
  "project_archive",
];
const target = (op: HintOp) => op === "project_archive" ? "api" : "TASK-1";
const rendered = (w: HintWords) => OPS.map((op) => w.ops[op](target(op)));

Deno.test("every surface's hint words name commands, routes and tools that exist", async () => {
  // CLI: each command resolves in the command table with the flags it names.
  const root = await loadRoot();
  const flagsOf = (words: string[]) => allFlags(parseArgv(root, [...words, "--help"]).cmd);
  for (const text of rendered(CLI_HINTS)) {
    const words = text.match(/^`backlog ([^`]+)`$/)![1].split(" ");
    const path = parseArgv(root, [...words, "--help"]).path;
    assert.deepEqual(path, words.slice(0, path.length), text);
    assert.ok(path.length >= 2, text);
    for (const flag of words.filter((w) => w.startsWith("--"))) {
      assert.ok(flag.slice(2) in flagsOf(path), text);
    }
  }
  const cliFieldAt: Record<HintField, string[][]> = {
    claim_token: [["task", "update"], ["task", "move"]],
    token: [["task", "renew"], ["task", "release"]],
    alias: [["project", "add"]],
  };
  for (const field of FIELDS) {
    for (const at of cliFieldAt[field]) assert.ok(CLI_HINTS.fields[field].slice(2) in flagsOf(at), field);
  }
  // HTTP: each route is registered for its method.
  const t = await seeded();
  const s = await session({ app: t.app });
  try {
    const routes = t.h.routes.map((r) => ({
      method: r.method,
      re: new RegExp(`^${r.path.replace(/:\w+/g, "[^/]+")}$`),
    }));
    for (const text of rendered(HTTP_HINTS)) {
      const [, method, path] = text.match(/^`(GET|POST|PATCH|DELETE) (\/api\/\S+?)`/)!;
      assert.ok(routes.some((r) => r.method === method && r.re.test(path)), text);
    }
    // MCP: each tool exists and takes the arguments named.
    const { tools } = await s.client.listTools();
    type Tool = { name: string; inputSchema: { properties?: Record<string, unknown> } };
    const args = new Map<string, string[]>(
      (tools as Tool[]).map((tool) => [tool.name, Object.keys(tool.inputSchema.properties ?? {})]),
    );
    for (const text of rendered(MCP_HINTS).filter((x) => !x.includes("(the CLI)"))) {
      const [, tool, rest] = text.match(/^`(\w+)(.*)$/)!;
      assert.ok(args.has(tool), text);
      const named = rest.startsWith(" {") ? Object.keys(JSON.parse(rest.slice(1, rest.indexOf("`")))) : [];
      for (const m of rest.matchAll(/with `(\w+)`/g)) named.push(m[1]);
      for (const a of named) assert.ok(args.get(tool)!.includes(a), `${text}: ${a}`);
    }
    for (
      const [field, tool] of [["claim_token", "task_move"], ["token", "task_claim"], [
        "alias",
        "project_create",
      ]]
    ) {
      assert.equal(MCP_HINTS.fields[field as HintField], `\`${field}\``);
      assert.ok(args.get(tool)!.includes(field), `${tool} takes ${field}`);
    }
  } finally {
    await s.close();
    await t.close();
  }
});
