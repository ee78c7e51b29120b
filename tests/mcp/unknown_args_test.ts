import assert from "node:assert/strict";
import { session, withProject } from "./mcp_client.ts";
import type { Task } from "../../src/domain/models.ts";
import { handleMcpRequest } from "../../src/mcp/http.ts";
import { bot, testApp } from "../helpers/app.ts";

Deno.test("task_update with a misspelt claim token is an isError naming it; the claimed task is untouched", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    const claim = await s.ok<{ task: Task; token: string }>("task_claim", { id: "TASK-1" });
    const r = await s.call("task_update", { id: "TASK-1", status: "done", token: "bogus" });
    assert.equal(r.isError, true);
    const error = (r.structuredContent as { error: { code: string; message: string; hint: string } }).error;
    assert.equal(error.code, "invalid");
    assert.equal(error.message, 'unknown argument "token" (did you mean claim_token?)');
    assert.match(error.hint, /^known: id, .*claim_token/);
    const t = await s.app.tasks.getTask("TASK-1");
    assert.equal(t.status, "doing");
    assert.equal(t.version, claim.task.version);
    // The right name with the right token still works.
    await s.ok("task_update", { id: "TASK-1", status: "done", claim_token: claim.token });
  } finally {
    await s.close();
  }
});

Deno.test("every tool refuses unknown arguments by name, several at once, with a suggestion when one is near", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    assert.match(
      await s.err("task_claim", { id: "TASK-1", claim_token: "t" }),
      /unknown argument "claim_token" \(did you mean token\?\)/,
    );
    assert.match(
      await s.err("task_list", { lables: "a", colour: "red" }),
      /unknown arguments "lables" \(did you mean label\?\), "colour"/,
    );
    // A missing required argument is reported first (by the SDK); the stray one once it is given.
    assert.match(await s.err("comment_add", { task: "TASK-1", body: "hi" }), /task_id/);
    assert.match(
      await s.err("comment_add", { task_id: "TASK-1", task: "TASK-1", body: "hi" }),
      /unknown argument "task" \(did you mean task_id\?\)/,
    );
    assert.match(await s.err("project_list", { all: true }), /unknown argument "all"/);
    assert.equal((await s.app.comments.list("TASK-1")).length, 0);
  } finally {
    await s.close();
  }
});

Deno.test("MCP over HTTP refuses unknown arguments too, with the prepared tool list reused per app", async () => {
  const app = await testApp();
  try {
    const call = async (body: unknown) => {
      const req = new Request("http://127.0.0.1/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, ...body as object }),
      });
      return await (await handleMcpRequest(app, bot, req)).json();
    };
    const first = await call({ method: "tools/list" });
    const second = await call({ method: "tools/list" });
    assert.deepEqual(second, first);
    const r = await call({
      method: "tools/call",
      params: { name: "project_create", arguments: { alias: "api", nmae: "API" } },
    });
    assert.equal(r.result.isError, true);
    assert.match(r.result.content[0].text, /unknown argument "nmae" \(did you mean name\?\)/);
    assert.equal((await app.projects.list()).length, 0);
  } finally {
    await app.close();
  }
});

Deno.test("a misspelt required argument is named, not reported as missing; wrong types are isError results", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "x" });
    assert.match(
      await s.err("comment_list", { task: "TASK-1" }),
      /unknown argument "task" \(did you mean task_id\?\)/,
    );
    assert.match(await s.err("comment_add", { task_id: 5, body: "x" }), /task_id/);
    assert.equal((await s.app.comments.list("TASK-1")).length, 0);
  } finally {
    await s.close();
  }
});
