import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { sqliteWorkspace, withDb } from "./helpers.ts";

type Runs = { runs: { outcome: string; holder: string; input_tokens: number }[] };

Deno.test("import of another workspace carries the runs; an open run arrives expired; a second import adds none", async () => {
  const a = await sqliteWorkspace();
  const b = await workspace();
  try {
    const as = ["--as", "ai:claude"];
    await a.run(["project", "add", "API", "--alias", "api"]);
    await a.run(["task", "add", "-p", "api", "-t", "done one"]);
    await a.run(["task", "add", "-p", "api", "-t", "held one"]);
    const c = await a.json<{ token: string }>(["task", "claim", "TASK-1", ...as]);
    const r = await a.run([
      "task",
      "move",
      "TASK-1",
      "--status",
      "done",
      "--token",
      c.token,
      "--input-tokens",
      "7",
      ...as,
    ]);
    assert.equal(r.code, 0, r.stderr);
    await a.json(["task", "claim", "TASK-2", ...as]);
    await b.run(["project", "add", "API", "--alias", "api"]);
    await b.json(["import", a.db]);
    await b.json(["import", a.db]);
    const one = await b.json<Runs>(["task", "show", "TASK-1"]);
    assert.deepEqual(one.runs.map((x) => [x.outcome, x.holder, x.input_tokens]), [["done", "ai:claude", 7]]);
    const two = await b.json<Runs & { status: string }>(["task", "show", "TASK-2"]);
    assert.deepEqual(two.runs.map((x) => x.outcome), ["expired"]);
    const rep = await b.json<{ by_agent: { key: string; runs: number }[] }>(["report", "--since", "all"]);
    assert.deepEqual(rep.by_agent.map((x) => [x.key, x.runs]), [["ai:claude", 2]]);
    // The runs describe their task in this workspace (its project), so they outlive its deletion,
    // even by a tool that knows nothing of runs (the original one).
    await withDb(b.db, (db) => db.exec("DELETE FROM tasks WHERE task_seq = 1"));
    type Rep = { by_project: { key: string; runs: number; done: number }[] };
    const kept = await b.json<Rep>(["report", "--since", "all", "--project", "api"]);
    assert.deepEqual(kept.by_project.map((x) => [x.key, x.runs, x.done]), [["api", 2, 1]]);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});
