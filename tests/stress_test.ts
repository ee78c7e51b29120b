import assert from "node:assert/strict";
import type { StressReport } from "../scripts/stress_verify.ts";
import { attempts, checkEdits } from "../scripts/stress_edits.ts";
import { freshPgDatabase, pgTest } from "./helpers/pg.ts";

const SCRIPT = new URL("../scripts/stress.ts", import.meta.url).pathname;

/**
 * Runs scripts/stress.ts (killed after 7 minutes at most: it fails, never hangs; killed, it takes its
 * workers and servers along) and asserts that every check of every run passed.
 */
async function stress(args: string[]): Promise<StressReport[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, "--json", "--timeout", "120", ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(420_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(text, `no report (exit ${out.code}); stderr: ${new TextDecoder().decode(out.stderr)}`);
  const { ok, runs } = JSON.parse(text.split("\n").at(-1)!) as { ok: boolean; runs: StressReport[] };
  const failed = runs.flatMap((r) =>
    Object.entries(r.checks).filter(([, c]) => !c.ok).map(([k, c]) => `${r.engine}: ${k}: ${c.detail}`)
  );
  assert.deepEqual(failed, [], "every check passes");
  assert.ok(ok);
  assert.equal(out.code, 0);
  return runs;
}

Deno.test({
  name: "stress: agent processes share one queue, a killed agent's lease expires, no edit is lost",
  sanitizeResources: false,
  async fn() {
    const [r] = await stress([
      "--agents",
      "3",
      "--editors",
      "1",
      "--tasks",
      "40",
      "--kill",
      "1",
      "--lease",
      "2s",
    ]);
    assert.equal(r.engine, "sqlite");
    assert.equal(r.tasks, 40);
    assert.equal(r.killed, 1);
    assert.ok(r.leases_expired >= 1, "the killed agent's claim expired and was taken over");
    assert.ok(r.claims >= 40);
    assert.ok(r.edits > 0, "the editor's writes were checked");
  },
});

Deno.test({
  name: "stress: the same proof through real `backlog` CLI processes",
  sanitizeResources: false,
  async fn() {
    const [r] = await stress([
      "--cli",
      "--agents",
      "2",
      "--editors",
      "1",
      "--tasks",
      "6",
      "--kill",
      "1",
      "--lease",
      "2s",
    ]);
    assert.equal(r.mode, "cli");
    assert.equal(r.killed, 1);
    assert.ok(r.claims >= 6);
  },
});

pgTest("stress: both engines in one run, two web servers with HTTP and CLI agents on each", async () => {
  // A fresh migrated database (the one tests/helpers/app.ts freshDb() gives under the postgres engine).
  const db = await freshPgDatabase();
  try {
    const runs = await stress([
      ...["--engines", "sqlite,postgres", "--pg", db.path, "--require-cli"],
      ...["--agents", "4", "--editors", "2", "--tasks", "30", "--kill", "1"],
      // Long enough that, on a loaded machine, only the killed agent's claim expires.
      ...["--lease", "5s"],
    ]);
    assert.deepEqual(runs.map((r) => r.engine), ["sqlite", "postgres"]);
    for (const r of runs) {
      assert.equal(r.mode, "team");
      assert.equal(r.tasks, 30);
      assert.equal(r.killed, 1);
      assert.ok(r.leases_expired >= 1, `${r.engine}: the killed agent's claim expired and was taken over`);
      assert.deepEqual(r.team?.servers, ["backlog web", "backlog web"]);
      assert.deepEqual(r.team?.http_agents_per_server, [1, 1], "the HTTP agents spread over both servers");
      assert.deepEqual(
        r.team?.agents,
        { http: 2, cli: 2, services: 0 },
        "agents through the servers and the CLI",
      );
      assert.ok(r.creates > 0, "tasks were created from several processes (TASK-N unique is checked)");
      assert.ok(r.edits > 0, "the editors' writes were checked");
    }
  } finally {
    await db.drop();
  }
});

Deno.test("stress: an edit of unknown outcome may explain a field, a refused or older one may not", () => {
  const log = (recs: Record<string, unknown>[]) => ({ name: "editor-1", recs: recs as never });
  const at = (seq: number, field: string, value: unknown, expect?: number) => ({
    op: "try",
    k: `${seq}${field}${value}`,
    seq,
    field,
    value,
    expect,
  });
  const end = (a: { k: string }, op: string, extra: Record<string, unknown> = {}) => ({
    op,
    k: a.k,
    ...extra,
  });
  const a1 = at(1, "title", "a"), a2 = at(1, "title", "b"), a3 = at(1, "title", "c");
  const b1 = at(2, "title", "d"), b2 = at(2, "title", "e", 3), b3 = at(2, "title", "f", 7);
  const c1 = at(3, "source", "g"), c2 = at(3, "source", "h", 1);
  const all = attempts([log([
    a1,
    end(a1, "edit", { version: 2 }),
    a2,
    end(a2, "edit", { version: 5 }),
    a3,
    end(a3, "error", { code: "network", ambiguous: true }),
    b1,
    end(b1, "edit", { version: 6 }),
    b2,
    b3, // b2 and b3: killed mid-write (no outcome)
    c1,
    end(c1, "edit", { version: 4 }),
    c2,
    end(c2, "stale"),
  ])]);
  assert.deepEqual(all.map((a) => a.outcome), [
    "acked",
    "acked",
    "ambiguous",
    "acked",
    "ambiguous",
    "ambiguous",
    "acked",
    "refused",
  ]);
  const tasks = (t1: string, t2: string, t3: string) =>
    new Map([[1, { title: t1 }], [2, { title: t2 }], [3, { source: t3 }]]) as Map<
      number,
      Record<string, unknown>
    >;
  const ok = checkEdits(all, tasks("b", "d", "g"));
  assert.deepEqual([ok.lost, ok.refusedLanded, ok.explained], [[], [], 0]);
  assert.deepEqual([ok.acked, ok.ambiguous, ok.refused], [4, 3, 1]);
  // An ambiguous write may land after the last acknowledged one (unguarded, or guarded on a version
  // at or after it)...
  assert.equal(checkEdits(all, tasks("c", "f", "g")).explained, 2);
  // ...but an older acknowledged value, an ambiguous write guarded on an older version, or a refused
  // write are lost or wrong.
  const bad = checkEdits(all, tasks("a", "e", "h"));
  assert.equal(bad.lost.length, 3);
  assert.match(bad.lost[0], /TASK-1\.title: editor-1 wrote "b" \(v5\), found "a"/);
  assert.match(bad.lost[1], /TASK-2\.title: editor-1 wrote "d" \(v6\), found "e"/);
  assert.deepEqual(bad.refusedLanded, ['TASK-3.source holds "h", refused to editor-1']);
});
