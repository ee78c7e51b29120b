import assert from "node:assert/strict";
import type { StressReport } from "../scripts/stress_verify.ts";
import { freshPgDatabase, pgTest } from "./helpers/pg.ts";

const SCRIPT = new URL("../scripts/stress.ts", import.meta.url).pathname;

async function stress(args: string[]): Promise<StressReport> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, "--json", "--timeout", "50", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(text, `no report; stderr: ${new TextDecoder().decode(out.stderr)}`);
  const report = JSON.parse(text.split("\n").at(-1)!) as StressReport;
  const failed = Object.entries(report.checks).filter(([, c]) => !c.ok).map(([k, c]) => `${k}: ${c.detail}`);
  assert.deepEqual(failed, [], "every check passes");
  assert.equal(out.code, 0);
  return report;
}

Deno.test({
  name: "stress: agent processes share one queue, a killed agent's lease expires, no edit is lost",
  sanitizeResources: false,
  async fn() {
    const r = await stress([
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
    const r = await stress([
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

pgTest("stress: two web servers, HTTP, CLI and in-process agents on one PostgreSQL database", async () => {
  // A fresh migrated database (the one tests/helpers/app.ts freshDb() gives under the postgres engine).
  const db = await freshPgDatabase();
  try {
    const r = await stress([
      "--pg",
      db.path,
      "--servers",
      "2",
      "--agents",
      "4",
      "--editors",
      "2",
      "--tasks",
      "30",
      "--kill",
      "1",
      // Serializable retries make a PostgreSQL write slower than SQLite's: a lease long enough that
      // only the killed agent's claim expires.
      "--lease",
      "5s",
    ]);
    assert.equal(r.mode, "pg");
    assert.equal(r.tasks, 30);
    assert.equal(r.killed, 1);
    assert.ok(r.leases_expired >= 1, "the killed agent's claim expired and was taken over");
    assert.equal(r.team?.servers.length, 2, "two server processes");
    assert.ok((r.team?.agents.http ?? 0) >= 1, "agents claimed through the servers");
    assert.ok((r.team?.agents.services ?? 0) >= 1, "an agent claimed through its own connection");
    assert.ok(r.creates > 0, "tasks were created from several processes (TASK-N unique is checked)");
    assert.ok(r.edits > 0, "the editors' writes were checked");
  } finally {
    await db.drop();
  }
});
