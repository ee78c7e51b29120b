import assert from "node:assert/strict";
import { FindingsFileSchema, jsonSchema, ManifestSchema, SCHEMAS } from "../../src/domain/schema_catalog.ts";
import { TaskInputSchema, TaskUpdateSchema } from "../../src/domain/schemas.ts";
import { fetchToolList } from "../../src/mcp/inspect.ts";
import { bot, testApp } from "../helpers/app.ts";
import { workspace } from "../helpers/cli.ts";

Deno.test("every named schema converts to a JSON Schema object", () => {
  for (const name of Object.keys(SCHEMAS)) {
    const s = jsonSchema(name);
    assert.equal(s.$id, `backlog:${name}`);
    assert.equal(s.type, "object", name);
    assert.ok(s.properties, name);
  }
  for (const name of ["task", "task_input", "findings_file", "manifest", "actor"]) assert.ok(SCHEMAS[name]);
});

Deno.test("the findings schema documents the original's fields plus due_date and project_path", () => {
  const s = jsonSchema("findings_file") as {
    properties: { items: { items: { properties: Record<string, unknown> } } };
  };
  const item = Object.keys(s.properties.items.items.properties);
  for (
    const k of [
      "title",
      "description",
      "type",
      "priority",
      "status",
      "assignee",
      "source",
      "external_ref",
      "labels",
      "plans",
      "due_date",
      "project_path",
    ]
  ) {
    assert.ok(item.includes(k), k);
  }
  assert.ok(FindingsFileSchema.safeParse({ version: 1, items: [{ title: "x", priority: "P2" }] }).success);
  assert.ok(!ManifestSchema.safeParse({ projects: [{ alias: "Not OK" }] }).success);
  assert.ok(!TaskInputSchema.safeParse({ title: "   " }).success);
});

Deno.test("backlog schema lists names, prints one schema, and rejects unknown names with exit 2", async () => {
  const ws = await workspace();
  try {
    const list = await ws.run(["schema"]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^actor {2,}who made a write/m);
    assert.match(list.stdout, /^findings_file /m);
    const one = await ws.run(["schema", "task-input"]);
    assert.equal(one.code, 0);
    const parsed = JSON.parse(one.stdout);
    assert.equal(parsed.$id, "backlog:task_input");
    assert.deepEqual(parsed.required, ["title"]);
    const alias = JSON.parse((await ws.run(["schema", "findings"])).stdout);
    assert.equal(alias.$id, "backlog:findings_file");
    const bad = await ws.run(["schema", "nope"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: unknown schema "nope"\nhint: known: actor, /);
    const noDb = await ws.run(["schema", "manifest"], { env: { BACKLOG_DB: "" } });
    assert.equal(noDb.code, 0, "schema needs no workspace");
  } finally {
    await ws.cleanup();
  }
});

const USAGE = ["input_tokens", "output_tokens", "cost_usd", "model"];

Deno.test("payload schemas use the argument names MCP accepts (HTTP-only fields aside)", async () => {
  const app = await testApp();
  try {
    const { tools } = await fetchToolList(app, bot);
    const args = (tool: string) =>
      Object.keys(tools.find((t) => t.name === tool)!.inputSchema.properties ?? {});
    const cases: [string, string, string[]][] = [
      ["task_input", "task_create", ["plans"]],
      ["task_update", "task_update", []],
      ["claim_input", "task_claim", []],
      // MCP reports usage with task_move (a move to todo releases the claim): tools/list has no room.
      ["renew_input", "task_claim", USAGE],
      ["release_input", "task_claim", USAGE],
      ["dep_input", "task_dep", []],
      ["comment_input", "comment_add", []],
      ["plan_input", "plan_add", []],
      ["memory_input", "memory_add", []],
      ["doc_input", "doc_add", []],
    ];
    for (const [schema, tool, httpOnly] of cases) {
      const props = Object.keys((jsonSchema(schema) as { properties: object }).properties);
      for (const p of props) {
        if (!httpOnly.includes(p)) {
          assert.ok(args(tool).includes(p), `${schema}.${p} is not a ${tool} argument`);
        }
      }
    }
  } finally {
    await app.close();
  }
});

Deno.test("payload schemas refuse unknown keys; the findings format still ignores them", () => {
  const update = jsonSchema("task_update") as { properties: object; additionalProperties?: boolean };
  assert.ok("claim_token" in update.properties && !("token" in update.properties));
  assert.equal(update.additionalProperties, false);
  const attach = jsonSchema("attachment_input") as { properties: object };
  assert.deepEqual(Object.keys(attach.properties).filter((k) => k.includes("base64")), []);
  assert.ok(!TaskUpdateSchema.safeParse({ id: "TASK-1", token: "t" }).success);
  assert.ok(TaskUpdateSchema.safeParse({ id: "TASK-1", claim_token: "t", due_date: "" }).success);
  assert.ok(
    FindingsFileSchema.safeParse({
      items: [{ title: "x", extra: 1, plans: [{ title: "p", body: "b", x: 1 }] }],
    }).success,
  );
});
