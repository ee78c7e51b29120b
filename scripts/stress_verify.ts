/** Checks for scripts/stress.ts: reads the database and the workers' logs after a run. */
import { openApp } from "../src/app.ts";
import { allDeps } from "../src/db/repos/deps.ts";
import { DoctorService } from "../src/services/doctor.ts";
import { isPgUrl } from "../src/db/url.ts";
import type { Activity, Task } from "../src/domain/models.ts";
import { attempts, checkEdits } from "./stress_edits.ts";

type Rec = Record<string, unknown> & { op: string };
type Check = { ok: boolean; detail: string };

export interface StressReport {
  ok: boolean;
  engine: "sqlite" | "postgres";
  /** services (in-process agents), cli (agents run `backlog` processes), team (servers + the mix). */
  mode: string;
  agents: number;
  editors: number;
  tasks: number;
  killed: number;
  wall_s: number;
  claims: number;
  claims_per_s: number;
  claim_ms: Percentiles;
  /** next --claim latency by how the agent reached the queue: http, cli, services. */
  claim_ms_by: Record<string, Percentiles>;
  done_ms: Percentiles;
  edit_ms: Percentiles;
  /** Acknowledged edits (each checked against the task's final fields). */
  edits: number;
  stale_edits: number;
  /** Edits that may or may not have committed (no answer, a 5xx, or the editor killed mid-write). */
  ambiguous_edits: number;
  /** (task, field)s holding an ambiguous edit's value rather than the last acknowledged one. */
  ambiguous_landed: number;
  lost_claims: number;
  leases_expired: number;
  /** Tasks editors created during the run (project `extra`). */
  creates: number;
  checks: Record<string, Check>;
  /** How the run deviated from its plan (e.g. a stand-in for `backlog web --db postgres://`). */
  notes: string[];
  /** Team mode: the servers' kinds, HTTP agents per server, agents through HTTP, CLI, services. */
  team?: { servers: string[]; http_agents_per_server: number[]; agents: Record<string, number> };
}

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

/** Nearest-rank percentiles of a sample (ms). */
export function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s.length ? s[Math.max(0, Math.ceil(q * s.length) - 1)] : 0;
  return { p50: at(0.5), p99: at(0.99), max: s.length ? s[s.length - 1] : 0, n: s.length };
}

/** JSON lines of a log; a line cut by SIGKILL is skipped. */
function readLog(path: string): Rec[] {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return [];
  }
  const out: Rec[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch { /* torn last line of a killed worker */ }
  }
  return out;
}

const check = (bad: string[], what: string): Check => ({
  ok: bad.length === 0,
  detail: bad.length ? `${bad.length} ${what}: ${bad.slice(0, 5).join("; ")}` : "",
});

export async function verify(o: {
  dbPath: string;
  P: { agents: number; editors: number; tasks: number; mode: string };
  wallS: number;
  timedOut: boolean;
  agentLogs: { name: string; path: string; killed: boolean; kind: string }[];
  editorLogs: { name: string; path: string }[];
  stderr: string[];
  notes?: string[];
  team?: StressReport["team"];
}): Promise<StressReport> {
  const pg = isPgUrl(o.dbPath);
  const app = await openApp({ dbPath: o.dbPath });
  const everyTask = (await app.tasks.list({ limit: 0, include_archived: true, sort: "seq" })).tasks;
  // The queue the agents worked: the seeded project (editors' new tasks live in `extra`).
  const stress = new Set(
    (await app.tasks.list({ project: "stress", limit: 0, include_archived: true })).tasks.map((t) => t.id),
  );
  const tasks = everyTask.filter((t) => stress.has(t.id));
  const listed = (await app.activity.list({ entity: "task", limit: 0, oldest_first: true }))
    .events as (Activity & { seq?: number })[];
  // The log's order (SQLite's rowid); where the engine has no such number, the listing's order.
  const numbered = listed.every((e) => typeof e.seq === "number") &&
    new Set(listed.map((e) => e.seq)).size === listed.length;
  const events = listed.map((e, i) => ({ ...e, seq: numbered ? e.seq! : i }));
  const edges = await allDeps(app.db);
  // integrity_check / foreign_key_check are SQLite's; PostgreSQL enforces its constraints itself.
  const health = pg ? undefined : await new DoctorService(app.ctx, app.projects).check();
  await app.close();

  const byTask = new Map<string, (Activity & { seq: number })[]>();
  for (const e of events) byTask.set(e.entity_id, [...(byTask.get(e.entity_id) ?? []), e]);
  const evs = (id: string, action: string) => (byTask.get(id) ?? []).filter((e) => e.action === action);
  const doneEvents = (id: string) => evs(id, "status_changed").filter((e) => e.summary.endsWith(" to done"));
  const ref = (t: Task) => t.ref;

  const agentRecs = o.agentLogs.map((a) => ({ ...a, recs: readLog(a.path) }));
  const editorLogs = o.editorLogs.map((e) => ({ name: e.name, recs: readLog(e.path) }));
  const editorRecs = editorLogs.flatMap((e) => e.recs);
  const all = [...agentRecs.flatMap((a) => a.recs), ...editorRecs];
  const claims = agentRecs.flatMap((a) => a.recs.filter((r) => r.op === "claim"));
  const dones = agentRecs.flatMap((a) => a.recs.filter((r) => r.op === "done"));
  const edits = editorRecs.filter((r) => r.op === "edit");
  const creates = editorRecs.filter((r) => r.op === "create");

  const checks: Record<string, Check> = {};
  checks["finished in time"] = { ok: !o.timedOut, detail: o.timedOut ? "the run hit --timeout" : "" };
  checks["every task done"] = check(
    tasks.filter((t) => t.status !== "done").map((t) => `${ref(t)} is ${t.status}`).concat(
      tasks.length === o.P.tasks ? [] : [`${tasks.length} tasks, expected ${o.P.tasks}`],
    ),
    "tasks not done",
  );
  // (A task not done at all is the check above's.)
  checks["done exactly once"] = check(
    tasks.filter((t) => doneEvents(t.id).length > 1 || (t.status === "done" && doneEvents(t.id).length !== 1))
      .map((t) => `${ref(t)} ×${doneEvents(t.id).length}`),
    "tasks",
  );
  const doneLogged = new Map<string, number>();
  for (const d of dones) doneLogged.set(String(d.id), (doneLogged.get(String(d.id)) ?? 0) + 1);
  checks["zero tasks claimed twice"] = check(
    tasks.flatMap((t) => {
      const c = evs(t.id, "claimed").length;
      const expired = evs(t.id, "lease_expired").length;
      const bad = [];
      // Each lease_expired event is logged by the claim that took the task over.
      if (c > 0 && c !== 1 + expired) bad.push(`${ref(t)}: ${c} claims, ${expired} expiries`);
      if ((doneLogged.get(t.id) ?? 0) > 1) {
        bad.push(`${ref(t)}: done acknowledged ${doneLogged.get(t.id)} times`);
      }
      return bad;
    }),
    "double claims",
  );
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  checks["no blocked task handed out"] = check(
    edges.flatMap((e) => {
      const blockerDone = doneEvents(e.blocked_by)[0]?.seq ?? Infinity;
      const early = evs(e.task_id, "claimed").filter((c) => c.seq < blockerDone);
      return early.length
        ? [`${taskById.get(e.task_id)?.ref} claimed before ${taskById.get(e.blocked_by)?.ref} was done`]
        : [];
    }),
    "violations",
  );
  const bySeq = new Map(tasks.map((t) => [t.seq, t as unknown as Record<string, unknown>]));
  const edited = checkEdits(attempts(editorLogs), bySeq);
  checks["zero lost field updates"] = check(edited.lost, "lost updates");
  checks["no refused edit applied"] = check(edited.refusedLanded, "refused edits found in tasks");
  // Every task, seeded or created by several processes at once, has its own TASK-N, and every
  // acknowledged create is there under the ref it was given.
  const seqs = new Map<number, number>();
  for (const t of everyTask) seqs.set(t.seq, (seqs.get(t.seq) ?? 0) + 1);
  const byId = new Map(everyTask.map((t) => [t.id, t]));
  checks["TASK-N unique"] = check(
    [...seqs].filter(([, n]) => n > 1).map(([seq, n]) => `TASK-${seq} ×${n}`)
      .concat(new Set(everyTask.map((t) => t.ref)).size === everyTask.length ? [] : ["a ref repeats"])
      .concat(
        creates.filter((c) => byId.get(String(c.id))?.ref !== c.ref)
          .map((c) => `created ${c.ref} is ${byId.get(String(c.id))?.ref ?? "missing"}`),
      )
      .concat(
        everyTask.length === o.P.tasks + creates.length
          ? []
          : [`${everyTask.length} tasks, expected ${o.P.tasks} seeded + ${creates.length} created`],
      ),
    "problems",
  );
  // SQLITE_BUSY, or on PostgreSQL a serialization failure or deadlock the store's retries did not absorb.
  checks["zero SQLITE_BUSY / serialization failures reaching a worker"] = check(
    all.filter((r) => r.busy).map((r) => String(r.message)),
    "busy errors",
  );
  checks["no other worker errors"] = check(
    all.filter((r) => r.op === "error" && !r.busy).map((r) => `${r.step ?? ""} ${r.code}: ${r.message}`)
      .concat(o.stderr),
    "errors",
  );
  // A task a killed agent claimed but did not close must have expired and been closed by another,
  // and an agent killed mid-work always leaves one such task.
  checks["killed agents' tasks finished by others"] = check(
    agentRecs.filter((a) => a.killed).flatMap((a) => {
      const bad: string[] = [];
      const held = new Set(
        events.filter((e) => e.action === "claimed" && e.actor.name === a.name).map((e) => e.entity_id),
      );
      for (const id of held) {
        const done = doneEvents(id)[0];
        if (done?.actor.name === a.name) continue;
        const expiry = evs(id, "lease_expired")[0];
        if (!expiry) bad.push(`${taskById.get(id)?.ref}: no lease_expired event`);
        if (!done) bad.push(`${taskById.get(id)?.ref}: never closed`);
        else if (expiry && expiry.seq > done.seq) {
          bad.push(`${taskById.get(id)?.ref}: closed before its lease expired`);
        }
      }
      // Post mortem: a last record of "working" (or "claim") means the move never started.
      const last = a.recs.filter((r) => r.op !== "spawn").at(-1);
      if (["working", "claim"].includes(last?.op ?? "")) {
        const id = String(last!.id);
        if (doneEvents(id)[0]?.actor.name === a.name) {
          bad.push(`${last!.ref}: closed by the killed ${a.name}`);
        }
        if (!evs(id, "lease_expired").length) bad.push(`${last!.ref}: its lease never expired`);
      }
      return bad;
    }),
    "abandoned tasks",
  );
  if (health) {
    checks["integrity_check ok"] = {
      ok: health.ok,
      detail: health.ok
        ? ""
        : [...health.integrity, ...health.foreign_key_violations.map((f) => f.table)].join("; "),
    };
  }

  return {
    ok: Object.values(checks).every((c) => c.ok),
    engine: pg ? "postgres" : "sqlite",
    mode: o.P.mode,
    agents: o.P.agents,
    editors: o.P.editors,
    tasks: o.P.tasks,
    killed: o.agentLogs.filter((a) => a.killed).length,
    wall_s: o.wallS,
    claims: claims.length,
    claims_per_s: claims.length / o.wallS,
    claim_ms: percentiles(claims.map((r) => r.ms as number)),
    claim_ms_by: Object.fromEntries(
      [...new Set(agentRecs.map((a) => a.kind))].map((k) => [
        k,
        percentiles(
          agentRecs.filter((a) => a.kind === k).flatMap((a) => a.recs.filter((r) => r.op === "claim"))
            .map((r) => r.ms as number),
        ),
      ]),
    ),
    done_ms: percentiles(dones.map((r) => r.ms as number)),
    edit_ms: percentiles(edits.map((r) => r.ms as number)),
    edits: edits.length,
    stale_edits: editorRecs.filter((r) => r.op === "stale").length,
    ambiguous_edits: edited.ambiguous,
    ambiguous_landed: edited.explained,
    lost_claims: agentRecs.flatMap((a) => a.recs.filter((r) => r.op === "lost")).length,
    leases_expired: events.filter((e) => e.action === "lease_expired").length,
    creates: creates.length,
    checks,
    notes: o.notes ?? [],
    team: o.team,
  };
}
