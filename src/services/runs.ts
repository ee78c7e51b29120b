import type { ServiceContext } from "./context.ts";
export type { ClaimsBoard, Run };
import type { ClaimsBoard } from "../domain/views.ts";
import { lapsed } from "../domain/claims.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { type Actor, formatActor } from "../domain/actor.ts";
import type { Page, Run, RunBrief } from "../domain/models.ts";
import { conflict, invalid } from "../domain/errors.ts";
import { quoteInput } from "../domain/quote.ts";
import { checkUsage, type Usage } from "../domain/usage.ts";
import { parseSince } from "../domain/time.ts";
import * as repo from "../db/repos/runs.ts";
import type { TaskRow } from "../db/repos/tasks.ts";
import type { AlsoWrite } from "../db/repos/task_write.ts";
import type { ProjectService } from "./projects.ts";
import type { TaskReader } from "./task_reader.ts";
import { DAY, percentile, type RunReport, runReport } from "./run_report.ts";

/** A run a claim starts (runStart): the row to insert, and the statement that inserts it. */
export interface RunStart {
  run: repo.RunInsert;
  write: AlsoWrite;
}

/** How a write under a claim ended it or reported on it. */
export interface RunWrite {
  usage?: Usage;
  /** The caller presented the current claim token (it acts for the holder). */
  viaToken?: boolean;
  /** A human releasing someone else's claim. */
  force?: boolean;
}

const LIVE_MAX = 100;
const RECENT_MAX = 50;
const AGENTS_MAX = 100;
/** Most runs one report reads; beyond it the report says `truncated`. */
export const REPORT_SCAN = 50_000;

/**
 * The run as shown at `now`: an open run whose lease ran out is shown `expired`, ended when its
 * lease did. The holder may still renew or finish it while nobody else has taken the task (its token
 * is still current); the first write by anyone else makes the expiry final.
 */
export function toRun(r: repo.RunRow, now: number): Run {
  return {
    id: r.id,
    task_id: r.task_id,
    ref: r.task_seq === null ? r.task_ref : `TASK-${r.task_seq}`,
    title: r.title,
    holder: r.holder,
    started_at: r.started_at,
    lease_expires_at: r.lease_expires_at,
    renewals: r.renewals,
    ...shown(r, now),
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cost_usd: r.cost_usd,
    model: r.model,
  };
}

/** The outcome and end as shown at `now` (an open run past its lease is expired at the lease's end). */
function shown(
  r: Pick<repo.RunRow, "outcome" | "ended_at" | "lease_expires_at">,
  now: number,
): Pick<Run, "outcome" | "ended_at"> {
  return lapsed(r.lease_expires_at, now) && r.outcome === "open"
    ? { outcome: "expired", ended_at: r.lease_expires_at }
    : { outcome: r.outcome, ended_at: r.ended_at };
}

/**
 * The run a claim on `row` starts, as a statement for the claim's write to carry (guarded: it writes
 * nothing when the task already has an open run); undefined for a task in doing, whose open run
 * RunService.claimed reads first. Tell `claimed` whether the write started it.
 */
export function runStart(
  ctx: ServiceContext,
  row: TaskRow,
  actor: Actor,
  now: number,
  expires: number,
): RunStart | undefined {
  // A task outside doing has no open run (every way out of doing ends it).
  if (row.status === "doing") return undefined;
  const run = { id: ctx.ids(), ...runOf(row, actor, now, expires) };
  return { run, write: repo.runInsert(ctx.db, run, { unlessOpen: true }) };
}

const runOf = (row: TaskRow, actor: Actor, now: number, expires: number): Omit<repo.RunInsert, "id"> => ({
  task_id: row.id,
  holder: formatActor(actor),
  started_at: now,
  lease_expires_at: expires,
});

/** A claim without a run: taken before runs were recorded (#current gives it one). */
const legacyClaim = (row: TaskRow) => row.status === "doing" && !!row.claim_token && !!row.claimed_by;

/** Runs: started by claims, ended by done, release, expiry or a takeover; usage accumulates on them. */
export class RunService {
  constructor(private ctx: ServiceContext, private projects: ProjectService, private tasks: TaskReader) {}

  /**
   * A claim was taken on `row` (as it was before the claim): the actor's own open run continues
   * (a re-claim counts as a renewal); anyone else's open run ends (expired, or taken over). `start`:
   * what runStart gave, and whether the claim's write started that run (then nothing is left to do).
   */
  async claimed(
    row: TaskRow,
    actor: Actor,
    now: number,
    expires: number,
    start?: { run: repo.RunInsert; started: boolean },
  ): Promise<void> {
    if (start?.started) return;
    const me = formatActor(actor);
    const open = await repo.openRunOf(this.ctx.db, row.id);
    if (open?.holder === me) {
      await repo.updateRun(this.ctx.db, open.id, { lease_expires_at: expires, renewals: open.renewals + 1 });
      return;
    }
    if (open) await this.#end(open, lapsed(open.lease_expires_at, now) ? "expired" : "taken_over", me, now);
    await repo.insertRun(this.ctx.db, {
      id: start?.run.id ?? this.ctx.ids(),
      ...runOf(row, actor, now, expires),
    });
  }

  /** The holder renewed its lease (with optional usage). Raises conflict (usage without a claim). */
  async renewed(row: TaskRow, actor: Actor, expires: number, w: RunWrite = {}): Promise<void> {
    const run = await this.#current(row);
    if (!run) return this.#usageOnly(row, actor, w);
    const patch = this.#usage(run, row, actor, w);
    await repo.updateRun(this.ctx.db, run.id, {
      ...patch,
      lease_expires_at: expires,
      renewals: run.renewals + 1,
    });
  }

  /**
   * The claim on `row` ends (the task leaves `doing`): `to` when the holder ends it, else `expired`
   * when the lease had run out, `released` when a human forced it, `taken_over` otherwise (someone
   * else ended a live claim, e.g. with the holder's token).
   * Raises conflict when usage is reported by someone who does not hold the claim.
   */
  async ended(
    row: TaskRow,
    to: "done" | "released",
    actor: Actor,
    w: RunWrite & { now: number },
  ): Promise<void> {
    const now = w.now;
    // Without usage to add, the run ends in one UPDATE that judges the outcome itself (as below).
    if (w.usage === undefined) {
      const by = formatActor(actor);
      const other = w.force ? "released" : "taken_over";
      if (await repo.endOpenRun(this.ctx.db, row.id, { by, outcome: to, other, now })) return;
      if (!legacyClaim(row)) return;
    }
    const run = await this.#current(row, now);
    if (!run) return this.#usageOnly(row, actor, w);
    const me = run.holder === formatActor(actor);
    const outcome = me
      ? to
      : lapsed(run.lease_expires_at, now)
      ? "expired"
      : w.force
      ? "released"
      : "taken_over";
    const patch = this.#usage(run, row, actor, w);
    await this.#end({ ...run, ...patch }, outcome, formatActor(actor), now);
  }

  /** Usage reported with a write that does not end the claim. Raises conflict (no claim of the caller). */
  async reported(row: TaskRow, actor: Actor, w: RunWrite): Promise<void> {
    if (!w.usage) return;
    const run = await this.#current(row);
    if (!run) return this.#usageOnly(row, actor, w);
    await repo.updateRun(this.ctx.db, run.id, this.#usage(run, row, actor, w));
  }

  /** A page of a task's runs, newest first. Raises not_found, invalid (limit). */
  async forTask(
    ref: string,
    p: { limit?: number; offset?: number } = {},
  ): Promise<{ runs: Run[]; page: Page }> {
    const id = await this.tasks.resolve(ref);
    const limit = pageLimit(p.limit, UNBOUNDED);
    const offset = pageOffset(p.offset);
    const now = this.ctx.clock();
    const runs = (await repo.listTaskRuns(this.ctx.db, id, limit, offset)).map((r) => toRun(r, now));
    const total = runs.length < limit && (offset === 0 || runs.length > 0)
      ? offset + runs.length
      : await repo.countTaskRuns(this.ctx.db, id);
    return { runs, page: { total, count: runs.length, limit, has_more: offset + runs.length < total } };
  }

  /** The newest `n` runs of a task, without the task's fields, with the total (task show / context). */
  async latest(taskId: string, n = 5): Promise<{ runs: RunBrief[]; total: number }> {
    const now = this.ctx.clock();
    const runs = (await repo.listTaskRuns(this.ctx.db, taskId, n, 0)).map((r) => {
      const { task_id: _, ref: _r, title: _t, ...brief } = toRun(r, now);
      return brief;
    });
    const total = runs.length < n ? runs.length : await repo.countTaskRuns(this.ctx.db, taskId);
    return { runs, total };
  }

  /** `backlog report`: runs started in the window, per agent, project and type. Raises invalid, not_found. */
  async report(q: { since?: string; project?: string } = {}): Promise<RunReport> {
    const now = this.ctx.clock();
    const since = parseSince(q.since, now, "since").at;
    // A report's window ends now: one that starts later would print a backwards range.
    if (since > now) throw invalid(`since: ${quoteInput(q.since ?? "")} is in the future`);
    const project_id = q.project ? (await this.projects.get(q.project)).id : undefined;
    const rows = await repo.runsStartedIn(this.ctx.db, {
      since,
      until: now,
      project_id,
      cap: REPORT_SCAN + 1,
    });
    const truncated = rows.length > REPORT_SCAN;
    const runs = rows.slice(0, REPORT_SCAN).map((r) => ({ ...r, ...shown(r, now) }));
    return { ...runReport(runs, { since, until: now }), truncated };
  }

  /** Live claims, claims ended in the last 24 hours, and per-agent rows (last 7 days). */
  async board(): Promise<ClaimsBoard> {
    const now = this.ctx.clock();
    const db = this.ctx.db;
    const liveRows = await repo.liveRuns(db, now, LIVE_MAX);
    const last = await repo.lastActivityOf(db, liveRows.map((r) => r.task_id));
    const live: ClaimsBoard["live"] = [];
    for (const r of liveRows) {
      live.push({
        run: toRun(r, now),
        task: await this.tasks.getTask(r.task_id),
        last_activity_at: last.get(r.task_id) ?? r.started_at,
      });
    }
    const recent = (await repo.recentlyEnded(db, now - DAY, now, RECENT_MAX)).map((r) => toRun(r, now));
    const week = await repo.agentActivity(db, now - 7 * DAY);
    const today = now - (now % DAY);
    const done = new Map<string, { ms: number[]; today: number }>();
    for (const r of week.done) {
      const d = done.get(r.holder) ?? { ms: [], today: 0 };
      d.ms.push((r.ended_at - r.started_at) / 1e6);
      if (r.ended_at >= today) d.today++;
      done.set(r.holder, d);
    }
    const holders = new Set([...live.map((l) => l.run.holder), ...week.holders, ...done.keys()]);
    const agents = [...holders].map((holder) => ({
      holder,
      current_task: live.find((l) => l.run.holder === holder)?.run.ref ?? null,
      done_today: done.get(holder)?.today ?? 0,
      median_claim_to_done_ms: percentile(done.get(holder)?.ms ?? [], 0.5),
    })).sort((a, b) =>
      Number(!!b.current_task) - Number(!!a.current_task) || b.done_today - a.done_today ||
      a.holder.localeCompare(b.holder)
    ).slice(0, AGENTS_MAX);
    return { live, recent, agents };
  }

  /** The task's open run; a claim taken before runs were recorded gets one now (from the task row). */
  async #current(row: TaskRow, now?: number): Promise<repo.RunRow | undefined> {
    const open = await repo.openRunOf(this.ctx.db, row.id);
    if (open || !legacyClaim(row)) return open;
    await repo.insertRun(this.ctx.db, {
      id: this.ctx.ids(),
      task_id: row.id,
      holder: row.claimed_by,
      started_at: row.claimed_at ?? now ?? this.ctx.clock(),
      lease_expires_at: row.lease_expires_at,
    });
    return await repo.openRunOf(this.ctx.db, row.id);
  }

  /** The run's usage after adding `w.usage`. Raises conflict when the caller does not hold the claim. */
  #usage(run: repo.RunRow, row: TaskRow, actor: Actor, w: RunWrite): repo.RunPatch {
    const u = checkUsage(w.usage);
    if (!u) return {};
    if (run.holder !== formatActor(actor) && !w.viaToken) {
      throw conflict(
        `usage: TASK-${row.task_seq} is claimed by ${run.holder}, not ${
          formatActor(actor)
        }; only the holder reports usage`,
      );
    }
    return {
      input_tokens: run.input_tokens + (u.input_tokens ?? 0),
      output_tokens: run.output_tokens + (u.output_tokens ?? 0),
      cost_usd: Math.round((run.cost_usd + (u.cost_usd ?? 0)) * 1e9) / 1e9,
      model: u.model ?? run.model,
    };
  }

  #usageOnly(row: TaskRow, actor: Actor, w: RunWrite): void {
    if (!w.usage) return;
    throw conflict(
      `usage: TASK-${row.task_seq} has no open claim to report usage on (${
        formatActor(actor)
      } must claim it first)`,
    );
  }

  async #end(run: repo.RunRow, outcome: repo.RunOutcome, by: string, now: number): Promise<void> {
    const ended_at = outcome === "expired" && run.lease_expires_at !== null ? run.lease_expires_at : now;
    await repo.updateRun(this.ctx.db, run.id, {
      outcome,
      ended_at,
      ended_by: by,
      input_tokens: run.input_tokens,
      output_tokens: run.output_tokens,
      cost_usd: run.cost_usd,
      model: run.model,
    });
  }
}
