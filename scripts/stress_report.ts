/** The table scripts/stress.ts prints: one column per run (engine), one row per figure and check. */
import type { StressReport } from "./stress_verify.ts";

type P = StressReport["claim_ms"];
const ms = (p: P) => (p.n ? `p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms` : "-");

/** Rows of [label, one cell per run]; failed checks' details follow the table. */
export function table(runs: StressReport[]): string {
  const rows: [string, ...string[]][] = [];
  const row = (label: string, cell: (r: StressReport) => string) => rows.push([label, ...runs.map(cell)]);
  row("engine", (r) => r.engine);
  row("mode", (r) => `${r.mode}: ${r.agents} agents, ${r.editors} editors, ${r.tasks} tasks`);
  if (runs.some((r) => r.team)) {
    row(
      "servers",
      (r) =>
        r.team
          ? `${r.team.servers.length} ${[...new Set(r.team.servers)].join(", ")}; HTTP agents ${
            r.team.http_agents_per_server.join(" + ")
          }`
          : "-",
    );
    row(
      "agents via",
      (r) =>
        r.team
          ? Object.entries(r.team.agents).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(", ")
          : r.mode,
    );
  }
  row("wall time", (r) => `${r.wall_s.toFixed(2)} s`);
  row("claims", (r) => `${r.claims} (${r.claims_per_s.toFixed(1)} claims/s)`);
  row("next --claim latency", (r) => ms(r.claim_ms));
  const kinds = [...new Set(runs.flatMap((r) => Object.keys(r.claim_ms_by ?? {})))];
  if (kinds.length > 1) {
    for (const k of kinds) row(`  through ${k}`, (r) => (r.claim_ms_by?.[k] ? ms(r.claim_ms_by[k]) : "-"));
  }
  row("move done latency", (r) => ms(r.done_ms));
  row("edits acknowledged", (r) => `${r.edits} (${r.stale_edits} stale --expect-version refused)`);
  row(
    "edits ambiguous",
    (r) => `${r.ambiguous_edits} (landed over an acknowledged one: ${r.ambiguous_landed})`,
  );
  row("edit latency", (r) => ms(r.edit_ms));
  row("tasks created during the run", (r) => `${r.creates}`);
  row("agents killed", (r) => `${r.killed} (leases expired and reclaimed: ${r.leases_expired})`);
  row("claims lost to expiry", (r) => `${r.lost_claims}`);
  const checks = [...new Set(runs.flatMap((r) => Object.keys(r.checks)))];
  for (const c of checks) row(c, (r) => (!r.checks[c] ? "n/a" : r.checks[c].ok ? "ok" : "FAILED"));
  row("result", (r) => (r.ok ? "ok" : "FAILED"));

  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  for (const r of runs) {
    for (const [c, v] of Object.entries(r.checks)) if (!v.ok) lines.push(`${r.engine}: ${c}: ${v.detail}`);
    for (const n of r.notes) lines.push(`${r.engine}: note: ${n}`);
  }
  return lines.join("\n");
}
