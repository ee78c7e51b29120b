import type { ServiceContext } from "./context.ts";
import { recordAll, stamp } from "./context.ts";
import { type Actor, formatActor } from "../domain/actor.ts";
import type { Task } from "../domain/models.ts";
import { AppError, type Hint, type HintWords, invalid } from "../domain/errors.ts";
import { parseTaskType } from "../domain/enums.ts";
import { pageLimit, pageOffset } from "../domain/paging.ts";
import { holderOf, holds, isClaimed, leaseExpired, RELEASED, statusSummary } from "../domain/claims.ts";
import { goQuote } from "../domain/quote.ts";
import { randomToken } from "../domain/ids.ts";
import { formatDuration, formatUntil } from "../domain/time.ts";
import { rowAfter, type TaskPatch, type TaskRow, toTask, updateTaskWithLabels } from "../db/repos/tasks.ts";
import * as repo from "../db/repos/claims.ts";
import { type ActivityInsert, activityInsert } from "../db/repos/activity.ts";
import type { AlsoWrite } from "../db/repos/task_write.ts";
import { openBlockerSeqs } from "../db/repos/deps.ts";
import type { ProjectService } from "./projects.ts";
import { type RunService, runStart } from "./runs.ts";
import type { TaskService } from "./tasks.ts";
import { explainNext, type NextCandidate, type QueuePage, readyQueue } from "./claims_explain.ts";
import type { Usage } from "../domain/usage.ts";

/** 30 minutes, in nanoseconds. */
export const DEFAULT_LEASE = 30 * 60e9;
/** The longest lease one claim or renewal may ask for: 7 days. */
export const MAX_LEASE = 7 * 86400e9;

/** A held claim: the task (status doing), the token that proves it and when the lease runs out. */
export interface Claim {
  task: Task;
  token: string;
  lease_expires_at: number;
}

export interface NextQuery {
  project?: string;
  type?: string | string[];
  label?: string | string[];
  /** Lease in nanoseconds (with claim). */
  lease?: number;
  /** Claim the picked task in the same transaction. */
  claim?: boolean;
  /** Say why this task (and not the others). */
  explain?: boolean;
}

/** A page of the ready queue (`GET /api/queue`). */
export interface QueueQuery {
  project?: string;
  type?: string | string[];
  label?: string | string[];
  limit?: number;
  offset?: number;
}
/** The largest ready-queue page. */
export const MAX_QUEUE_PAGE = 500;

export interface NextResult {
  task: Task | null;
  token?: string;
  lease_expires_at?: number;
  explain?: string[];
  candidates?: NextCandidate[];
}

const until = formatUntil;
const lost = (msg: string, t: Task, hint?: Hint) =>
  new AppError("conflict", msg, { hint, details: { current: t } });

/** Claims with leases: at most one holder per task, abandoned claims expire and are reclaimable. */
export class ClaimService {
  constructor(
    private ctx: ServiceContext,
    private projects: ProjectService,
    private tasks: TaskService,
    private runs: RunService,
  ) {}

  /**
   * Takes a task in one compare-and-set: a todo task, one whose lease ran out, or one the same actor
   * already holds becomes `doing`, assigned to the actor, with a fresh token and lease (default 30m).
   * Raises not_found, invalid (lease), conflict (held by someone else, blocked, done or archived).
   */
  async claim(ref: string, opts: { lease?: number }, actor: Actor): Promise<Claim> {
    const lease = checkLease(opts.lease);
    return await this.ctx.db.tx(
      async () => await this.#take(await this.#row(ref), lease, actor),
      repo.CLAIM_TX,
    );
  }

  /**
   * Picks the best ready task (never a blocked one): priority, then open tasks it unblocks
   * (transitively), then age. With `claim`, claims it in the same transaction. Raises invalid, not_found.
   */
  async next(q: NextQuery, actor: Actor): Promise<NextResult> {
    const lease = checkLease(q.lease);
    const filter = await this.#filter(q);
    const pick = async (): Promise<NextResult> => {
      const now = this.ctx.clock();
      const n = q.explain ? 5 : 1;
      // PostgreSQL: the claim takes the best task no concurrent claim holds (row-locked).
      const locked = q.claim ? await repo.lockReadyHead(this.ctx.db, filter, now) : undefined;
      const ranked = locked === undefined
        ? await repo.rankReady(this.ctx.db, filter, now, n)
        : locked === null
        ? []
        : q.explain
        ? [locked, ...(await repo.rankReady(this.ctx.db, filter, now, n)).filter((r) => r.id !== locked.id)]
          .slice(0, n)
        : [locked];
      // Explained before claiming, so the counts describe the queue the pick was made from.
      const why = q.explain ? await explainNext(this.ctx.db, { filter, q, now, ranked }) : undefined;
      const out: NextResult = { task: null };
      if (ranked.length) {
        if (q.claim) Object.assign(out, await this.#take(ranked[0], lease, actor, now));
        else out.task = await this.tasks.getTask(ranked[0].id);
      }
      return why ? { ...out, ...why } : out;
    };
    return q.claim ? await this.ctx.db.tx(pick, repo.CLAIM_TX) : await pick();
  }

  /**
   * A page of the ready queue in `next` order, each task with why it ranks where it does (the
   * reasons `next --explain` gives). Raises invalid (limit), not_found (project).
   */
  async queue(q: QueueQuery = {}): Promise<QueuePage> {
    const limit = pageLimit(q.limit, MAX_QUEUE_PAGE);
    return await readyQueue(
      this.ctx.db,
      await this.#filter(q),
      this.ctx.clock(),
      limit,
      pageOffset(q.offset),
      async (ids) => await this.tasks.getTasks(ids),
    );
  }

  async #filter(
    q: { project?: string; type?: string | string[]; label?: string | string[] },
  ): Promise<repo.QueueFilter> {
    const filter: repo.QueueFilter = {};
    if (q.project) filter.project_id = (await this.projects.get(q.project)).id;
    const types = list(q.type).map(parseTaskType);
    if (types.length) filter.type = types;
    const labels = list(q.label);
    if (labels.length) filter.labels = labels;
    return filter;
  }

  /**
   * Extends the lease of a claim the caller holds (by token, or by being the assignee). Raises
   * not_found, invalid (lease), conflict (not claimed, or held by someone else / token superseded).
   */
  async renew(
    ref: string,
    opts: { token?: string; lease?: number; usage?: Usage },
    actor: Actor,
  ): Promise<Claim> {
    const lease = checkLease(opts.lease);
    return await this.ctx.db.tx(async () => {
      const row = await this.#held(await this.#row(ref), opts.token, actor, "renew");
      const now = this.ctx.clock();
      // Without --lease a renewal never shortens a longer lease taken earlier.
      const expires = opts.lease === undefined
        ? Math.max(now + lease, row.lease_expires_at ?? 0)
        : now + lease;
      const [task] = await this.#write(row, { lease_expires_at: expires }, now);
      await this.runs.renewed(row, actor, expires, { usage: opts.usage, viaToken: opts.token !== undefined });
      await recordAll(this.ctx, [
        this.#event(
          row,
          "renewed",
          `Renewed claim on ${ref_(row)} ${goQuote(row.title)} until ${until(expires)}`,
          actor,
        ),
      ]);
      return { task, token: row.claim_token, lease_expires_at: expires };
    }, repo.CLAIM_TX);
  }

  /**
   * Gives a claimed task back to the queue: todo, unassigned, claim cleared. With `force` a human
   * releases someone else's claim (attributed to the human). Raises not_found, invalid (an ai
   * forcing), conflict (not claimed, or held by someone else / token superseded).
   */
  async release(
    ref: string,
    opts: { token?: string; force?: boolean; usage?: Usage },
    actor: Actor,
  ): Promise<{ task: Task }> {
    return await this.ctx.db.tx(async () => {
      const found = await this.#row(ref);
      // The holder's own claim needs no force: `--force` then is a plain release.
      const force = !!opts.force && !holds(found, actor);
      if (force && actor.kind !== "human") {
        throw invalid(
          (w) => `${w.field("force")}: only a human may release another actor's claim`,
          "agents wait for the lease to expire, then claim",
        );
      }
      const row = force
        ? this.#claimed(found, "release")
        : await this.#held(found, opts.token, actor, "release");
      const now = this.ctx.clock();
      const [task] = await this.#write(row, { status: "todo", assignee: "", ...RELEASED }, now);
      const of = force ? ` of ${holderOf(row)}` : "";
      const released = this.#event(
        row,
        "released",
        `Released claim${of} on ${ref_(row)} ${goQuote(row.title)}`,
        actor,
      );
      await this.runs.ended(row, "released", actor, {
        usage: opts.usage,
        viaToken: opts.token !== undefined,
        force,
        now,
      });
      await recordAll(this.ctx, [released, this.#statusChanged(row, "doing", "todo", actor)]);
      return { task };
    }, repo.CLAIM_TX);
  }

  /** The task row, locked for the caller's transaction (CLAIM_TX on PostgreSQL). */
  async #row(ref: string): Promise<TaskRow> {
    return await this.tasks.row(ref, true);
  }

  /** The claim itself, inside the caller's transaction. */
  async #take(row: TaskRow, lease: number, actor: Actor, now = this.ctx.clock()): Promise<Claim> {
    const expired = await this.#takeable(row, actor, now);
    const token = randomToken();
    const expires = now + lease;
    // A task outside doing has its new run started, and its events logged, by the claim's write (one
    // statement on PostgreSQL); one in doing has its open run read first, and is logged after.
    const start = runStart(this.ctx, row, actor, now, expires);
    const events = start ? this.#claimEvents(row, expired, expires, actor) : [];
    const [task, wrote] = await this.#write(
      row,
      {
        status: "doing",
        assignee: actor.name,
        claim_token: token,
        claimed_by: formatActor(actor),
        claimed_at: now,
        lease_expires_at: expires,
        completed_at: null,
      },
      now,
      start ? [start.write, activityInsert(events)] : [],
    );
    await this.runs.claimed(row, actor, now, expires, start && { run: start.run, started: wrote[0] > 0 });
    if (!start) await recordAll(this.ctx, this.#claimEvents(row, expired, expires, actor));
    return { task, token, lease_expires_at: expires };
  }

  /** The activity rows of a claim on `row` (as it was), stamped now. */
  #claimEvents(row: TaskRow, expired: boolean, expires: number, actor: Actor): ActivityInsert[] {
    const events: ActivityInsert[] = [];
    const ref = ref_(row);
    if (expired) {
      const summary = `Lease of ${holderOf(row) || "(unassigned)"} on ${ref} ${
        goQuote(row.title)
      } expired at ${until(row.lease_expires_at!)}`;
      events.push(this.#event(row, "lease_expired", summary, actor));
    }
    if (row.status !== "doing") events.push(this.#statusChanged(row, row.status, "doing", actor));
    events.push(
      this.#event(row, "claimed", `Claimed ${ref} ${goQuote(row.title)} until ${until(expires)}`, actor),
    );
    return events;
  }

  /**
   * Whether the actor may take the row: todo, an expired lease (returns true), or its own claim.
   * Raises conflict naming why not (archived, done, held by someone else, blocked).
   */
  async #takeable(row: TaskRow, actor: Actor, now: number): Promise<boolean> {
    const next = (w: HintWords) => `pick another with ${w.ops.task_next()}`;
    // The task as shown in a refusal (made only then: a claim's hot path spares it).
    const task = () => toTask(row);
    const ref = ref_(row);
    if (row.archived_at !== null) throw lost(`${ref} is archived`, task(), "unarchive it first");
    if (row.status === "done") throw lost(`${ref} is already done`, task(), next);
    const expired = leaseExpired(row, now);
    if (row.status === "doing" && !expired && !holds(row, actor)) {
      const holder = holderOf(row);
      const who = holder ? `claimed by ${holder}` : "in progress";
      if (row.claim_token && row.lease_expires_at !== null) {
        throw lost(
          `${ref} is ${who} until ${until(row.lease_expires_at)}`,
          task(),
          (w) => `${next(w)}, or wait for the lease to expire`,
        );
      }
      // Moved to doing by hand, or imported in doing: no lease will ever expire.
      throw lost(
        `${ref} is ${who} (doing, without a lease)`,
        task(),
        (w) => `${next(w)}, or ${backToQueue(ref)(w)}`,
      );
    }
    // The stored count (kept current by every write) spares the graph lookup for a ready task.
    const blockers = row.blockers_open === 0 ? [] : await openBlockerSeqs(this.ctx.db, row.id);
    if (blockers.length) {
      const refs = blockers.map((n) => `TASK-${n}`).join(", ");
      throw lost(
        `${ref} is blocked by ${refs}`,
        task(),
        (w) => `finish those first, or remove the dependency with ${w.ops.dep_remove()}`,
      );
    }
    return expired;
  }

  /** The row when the caller holds its claim (by token, else by name). Raises conflict. */
  async #held(row: TaskRow, token: string | undefined, actor: Actor, verb: string): Promise<TaskRow> {
    const t = toTask(this.#claimed(row, verb));
    if (token !== undefined) {
      await this.tasks.checkGuard(t, { claimToken: token });
    } else if (!holds(row, actor)) {
      throw lost(
        `${t.ref} is claimed by ${holderOf(row) || "someone else"}, not ${formatActor(actor)}`,
        t,
        (w) => `pass the claim token with ${w.fields.token}, or claim it when the lease expires`,
      );
    }
    return row;
  }

  /** The row when it is claimed by anyone. Raises conflict. */
  #claimed(row: TaskRow, verb: string): TaskRow {
    if (!isClaimed(row)) {
      const ref = `TASK-${row.task_seq}`;
      // In doing without a claim (moved there by hand, or imported so): no claim to end, but a way out.
      throw lost(
        `${ref} is not claimed (status ${row.status}), nothing to ${verb}`,
        toTask(row),
        row.status === "doing" ? backToQueue(ref) : undefined,
      );
    }
    return row;
  }

  /**
   * Compare-and-set on the version read in this transaction. Returns the task as written (the row
   * read plus the patch: the compare-and-set proves nothing else changed; its labels as the write
   * returned them), sparing a re-read, and what each of `also` (made with it) wrote.
   */
  async #write(
    row: TaskRow,
    patch: TaskPatch,
    now: number,
    also: AlsoWrite[] = [],
  ): Promise<[Task, number[]]> {
    const opts = { expectVersion: row.version, before: row, also };
    const written = await updateTaskWithLabels(this.ctx.db, row.id, patch, now, opts);
    if (!written) throw lost(`TASK-${row.task_seq} changed while claiming, try again`, toTask(row));
    const after = rowAfter(row, patch, now); // a new object: one copy of the row, not two
    after.labels_json = written.labels_json;
    return [toTask(after), written.also];
  }

  #statusChanged(row: TaskRow, from: string, to: string, actor: Actor): ActivityInsert {
    return this.#event(row, "status_changed", statusSummary(ref_(row), row.title, from, to), actor);
  }

  /** An activity row about the task, stamped now (written with the others of the same change). */
  #event(row: TaskRow, action: string, summary: string, actor: Actor): ActivityInsert {
    return stamp(
      this.ctx,
      { entity: "task", entity_id: row.id, action, summary, project_id: row.project_id },
      actor,
    );
  }
}

const ref_ = (row: TaskRow) => `TASK-${row.task_seq}`;

function list(v: string | string[] | undefined): string[] {
  const arr = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return arr.flatMap((s) => String(s).split(",")).map((s) => s.trim()).filter(Boolean);
}

/** Validates a lease in nanoseconds (default 30m). Raises invalid naming the lease field. */
export function checkLease(lease: number | undefined): number {
  if (lease === undefined) return DEFAULT_LEASE;
  if (!Number.isFinite(lease) || lease <= 0) {
    throw invalid((w) => `${w.field("lease")}: must be a positive duration`);
  }
  if (lease > MAX_LEASE) {
    throw invalid(
      (w) => `${w.field("lease")}: ${formatDuration(lease)} is longer than the maximum of 7d`,
      "renew the claim instead",
    );
  }
  return Math.round(lease);
}

/** The hint for a task in doing that no claim holds: the way back to the queue. */
const backToQueue = (ref: string) => (w: HintWords) =>
  `put it back in the queue with ${w.ops.task_requeue(ref)}`;
