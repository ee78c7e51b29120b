import assert from "node:assert/strict";
import type { StressReport } from "../scripts/stress_verify.ts";

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
