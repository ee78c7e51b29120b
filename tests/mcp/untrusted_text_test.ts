import assert from "node:assert/strict";
import { session, text, withProject } from "./mcp_client.ts";
import { BAD_NAMES, GOOD_NAMES, NASTY_QUERIES } from "../helpers/untrusted.ts";

Deno.test("MCP: titles, names, labels and tags with control, bidi or zero-width characters are isError invalid and write nothing", async () => {
  const s = await session();
  try {
    await withProject(s);
    const task = await s.ok<{ ref: string }>("task_create", { project: "api", title: "ok" });
    const plan = await s.ok<{ id: string }>("plan_add", { task_id: task.ref, title: "p", body: "b" });
    const doc = await s.ok<{ id: string }>("doc_add", { project: "api", title: "d", body: "b" });
    const writes = async () => (await s.app.activity.list({})).page.total;
    const before = await writes();
    const calls: [string, (bad: string) => Record<string, unknown>][] = [
      ["task_create", (b) => ({ project: "api", title: b })],
      ["task_create", (b) => ({ project: "api", title: "ok", labels: [b] })],
      ["task_create", (b) => ({ project: "api", title: "ok", assignee: b })],
      ["task_update", (b) => ({ id: task.ref, title: b })],
      ["task_update", (b) => ({ id: task.ref, labels: ["fine", b] })],
      ["project_create", (b) => ({ alias: "p2", name: b })],
      ["plan_add", (b) => ({ task_id: task.ref, title: b, body: "x" })],
      ["plan_update", (b) => ({ plan_id: plan.id, title: b })],
      ["doc_add", (b) => ({ project: "api", title: b, body: "x" })],
      ["doc_update", (b) => ({ id: doc.id, title: b })],
      ["memory_add", (b) => ({ project: "api", body: "x", tags: b })],
    ];
    for (const [i, [tool, args]] of calls.entries()) {
      for (const [what, bad] of i === 0 ? BAD_NAMES : [BAD_NAMES[(i * 3) % BAD_NAMES.length]]) {
        const msg = await s.err(tool, args(bad));
        assert.match(
          msg,
          /^error \(invalid\): \S+( name)? contains .* cannot hold control/,
          `${tool} ${what}`,
        );
      }
    }
    assert.equal(await writes(), before);
    for (const name of GOOD_NAMES) await s.ok("task_create", { project: "api", title: name, labels: [name] });
  } finally {
    await s.close();
  }
});

Deno.test("MCP: task_list search answers every query with a result or isError invalid, never internal", async () => {
  const s = await session();
  try {
    await withProject(s);
    await s.ok("task_create", { project: "api", title: "login timeout" });
    for (const q of NASTY_QUERIES) {
      const r = await s.call("task_list", { search: q });
      if (r.isError) assert.match(text(r), /^error \(invalid\): invalid search syntax/, q);
    }
    assert.match(await s.err("task_list", { search: "*" }), /^error \(invalid\)/);
    const found = await s.call("task_list", { search: "TODO: fix" });
    assert.ok(!found.isError, text(found));
  } finally {
    await s.close();
  }
});

Deno.test("MCP: an activity_list actor with whitespace is an isError usage error", async () => {
  const s = await session();
  try {
    assert.match(
      await s.err("activity_list", { actor: "human:alice bob" }),
      /^error \(usage\): actor: .* a space/,
    );
  } finally {
    await s.close();
  }
});
