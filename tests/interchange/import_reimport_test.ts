import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";
import { dump } from "./helpers.ts";
import type { PeerImportResult } from "../../src/services/interchange/import_apply.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;
/** A workspace that imported a copy of the GitHub fixture, and an editor of that copy's issue 7 (TASK-1). */
async function imported() {
  const ws = await workspace();
  const src = `${ws.home}/issues.json`;
  Deno.copyFileSync(`${FIX}github/issues.json`, src);
  await ws.json(["import", src]);
  const edit = (fields: Record<string, unknown>) => {
    const issues = JSON.parse(Deno.readTextFileSync(src));
    Object.assign(issues.find((i: { number: number }) => i.number === 7), fields);
    Deno.writeTextFileSync(src, JSON.stringify(issues));
    return issues.length as number;
  };
  return { ws, src, edit };
}

type Task = { id: string; ref: string; status: string; priority: number; assignee?: string; title: string };

Deno.test("re-importing an unchanged source keeps local triage; a changed source field updates only that field", async () => {
  const { ws, src, edit } = await imported();
  try {
    await ws.run(["task", "move", "1", "--status", "doing"]);
    await ws.run(["task", "update", "1", "--priority", "5", "--assignee", "carol"]);
    const before = await dump(ws.db);
    const again = await ws.json<PeerImportResult>(["import", src]);
    assert.equal(again.tasks.updated, 0);
    assert.equal(await dump(ws.db), before);
    const t1 = await ws.json<Task>(["task", "show", "1"]);
    assert.deepEqual([t1.status, t1.priority, t1.assignee], ["doing", 5, "carol"]);

    // The source renames issue 7: the title arrives, the local status/priority/assignee stay.
    edit({ title: "Renamed upstream" });
    const third = await ws.json<PeerImportResult>(["import", src]);
    assert.equal(third.tasks.updated, 1);
    const t1b = await ws.json<Task>(["task", "show", "1"]);
    assert.deepEqual([t1b.title, t1b.status, t1b.priority, t1b.assignee], [
      "Renamed upstream",
      "doing",
      5,
      "carol",
    ]);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("a live claim blocks no re-import: unchanged tasks pass, a changed status waits for the claim", async () => {
  const { ws, src, edit } = await imported();
  try {
    await ws.json(["task", "claim", "TASK-1", "--as", "ai:agent"]);
    const dry = await ws.json<PeerImportResult>(["import", src, "--dry-run"]);
    assert.equal(dry.tasks.updated, 0);
    const same = await ws.json<PeerImportResult>(["import", src]);
    assert.equal(same.tasks.updated, 0);

    // The source closes the claimed issue and retitles it: the title lands, the status waits.
    edit({ title: "Closed upstream", state: "CLOSED", closedAt: "2026-03-01T00:00:00Z" });
    const r = await ws.json<PeerImportResult>(["import", src]);
    assert.equal(r.tasks.updated, 1);
    assert.match(r.notes.join("\n"), /TASK-1 is claimed by ai:agent.*its status stays doing/);
    const t1 = await ws.json<Task>(["task", "show", "1"]);
    assert.deepEqual([t1.title, t1.status], ["Closed upstream", "doing"]);

    // Once the claim ends, the next import brings the status the source changed.
    await ws.run(["task", "release", "TASK-1", "--as", "ai:agent"]);
    await ws.json(["import", src]);
    assert.equal((await ws.json<Task>(["task", "show", "1"])).status, "done");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("under -q an import prints nothing, a dry run prints its report", async () => {
  const ws = await workspace();
  try {
    await ws.run(["init", "--db", ws.db]); // a dry run is a read: it creates no database
    const dry = await ws.run(["import", `${FIX}github/issues.json`, "--dry-run", "-q"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would import/);
    const real = await ws.run(["import", `${FIX}github/issues.json`, "-q"]);
    assert.deepEqual([real.code, real.stdout], [0, ""]);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("a claimed task whose only source change is its status is counted as skipped", async () => {
  const { ws, src, edit } = await imported();
  try {
    await ws.json(["task", "claim", "TASK-1", "--as", "ai:agent"]);
    const n = edit({ state: "CLOSED", closedAt: "2026-03-01T00:00:00Z" });
    const r = await ws.json<PeerImportResult>(["import", src]);
    assert.deepEqual([r.tasks.updated, r.tasks.skipped, r.tasks.unchanged], [0, 1, n - 1]);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("Backlog.md: local triage survives a re-import of the unchanged folder", async () => {
  const ws = await workspace();
  try {
    await ws.json(["import", `${FIX}backlogmd`]);
    await ws.run(["task", "move", "1", "--status", "todo"]);
    await ws.run(["task", "update", "1", "--priority", "5", "--assignee", "carol"]);
    const before = await dump(ws.db);
    const again = await ws.json<PeerImportResult>(["import", `${FIX}backlogmd`]);
    assert.equal(again.tasks.updated, 0);
    assert.equal(await dump(ws.db), before);
    const t1 = await ws.json<Task>(["task", "show", "1"]);
    assert.deepEqual([t1.status, t1.priority, t1.assignee], ["todo", 5, "carol"]);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("repeated comments and plans of one title all arrive once, and a re-import changes nothing", async () => {
  const ws = await workspace();
  try {
    const gh = `${ws.home}/gh.json`;
    const comment = (login: string, body: string) => ({
      author: { login },
      body,
      createdAt: "2026-01-02T00:00:00Z",
    });
    Deno.writeTextFileSync(
      gh,
      JSON.stringify([{
        number: 1,
        title: "Flaky",
        body: "b",
        state: "OPEN",
        labels: [],
        assignees: [],
        createdAt: "2026-01-01T00:00:00Z",
        updatedAt: "2026-01-01T00:00:00Z",
        closedAt: null,
        url: "https://github.com/o/r/issues/1",
        comments: [comment("bob", "/retest"), comment("carol", "still failing"), comment("bob", "/retest")],
      }]),
    );
    const first = await ws.json<PeerImportResult>(["import", gh]);
    assert.deepEqual([first.comments.created, first.comments.unchanged], [3, 0]);
    const again = await ws.json<PeerImportResult>(["import", gh]);
    assert.deepEqual([again.comments.created, again.comments.unchanged], [0, 3]);

    const dir = `${ws.home}/bm/backlog`;
    Deno.mkdirSync(`${dir}/tasks`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/config.yml`, 'project_name: "Two Plans"\nstatuses: ["To Do", "Done"]\n');
    Deno.writeTextFileSync(
      `${dir}/tasks/task-1 - X.md`,
      "---\nid: task-1\ntitle: X\nstatus: To Do\n---\n\n## Description\n\nd\n\n" +
        "## Implementation Plan\n\nfirst plan\n\n## Implementation Plan\n\nsecond plan\n",
    );
    const p1 = await ws.json<PeerImportResult>(["import", `${ws.home}/bm`]);
    assert.equal(p1.plans.created, 2);
    const before = await dump(ws.db);
    for (let i = 0; i < 2; i++) {
      const p = await ws.json<PeerImportResult>(["import", `${ws.home}/bm`]);
      assert.deepEqual([p.plans.created, p.plans.updated, p.plans.unchanged], [0, 0, 2]);
    }
    assert.equal(await dump(ws.db), before);
  } finally {
    await ws.cleanup();
  }
});
