import { type Actor, formatActor } from "./actor.ts";
import { goQuote } from "./quote.ts";
import { parseDuration } from "./time.ts";

/**
 * The claim rules, once for every service (tasks, claims, runs): who holds a claim, when its lease
 * has run out, what releasing clears, and how a status change is worded in the activity log.
 */

/** The claim columns of a task row. */
export interface ClaimState {
  status: string;
  assignee: string;
  claim_token: string;
  claimed_by: string;
  lease_expires_at: number | null;
}

/** Whether the row carries a claim (status doing with a token; a lease may have run out). */
export const isClaimed = (r: ClaimState): boolean => r.status === "doing" && r.claim_token !== "";

/** Whether a lease ending at `at` (null: no lease, never ends) has run out by `now`. */
export const lapsed = (at: number | null, now: number): boolean => at !== null && at <= now;

/** Whether the row's claim has a lease that ran out by `now` (an expired lease protects nothing). */
export function leaseExpired(r: ClaimState, now: number): boolean {
  return isClaimed(r) && lapsed(r.lease_expires_at, now);
}

/** Whether a claim protects the row at `now`. */
export const claimLive = (r: ClaimState, now: number): boolean => isClaimed(r) && !leaseExpired(r, now);

/** Who holds the row's claim, as printed: `kind:name` when recorded, else the assignee's name. */
export const holderOf = (r: ClaimState): string => r.claimed_by || r.assignee;

/** Whether the actor holds the row's claim: by kind:name when recorded, else by assignee name. */
export function holds(r: ClaimState, actor: Actor): boolean {
  return r.claimed_by ? r.claimed_by === formatActor(actor) : r.assignee === actor.name;
}

/** The fields releasing a claim clears (a release also gives the task back: status todo, no assignee). */
export const RELEASED = {
  claim_token: "",
  claimed_by: "",
  claimed_at: null,
  lease_expires_at: null,
} as const;

/**
 * The activity summary of a status change. Reports (`transition`) and scripts/stress_verify.ts
 * parse it back, so its wording is fixed here.
 */
export function statusSummary(ref: string, title: string, from: string, to: string): string {
  return `Changed status of ${ref} ${goQuote(title)} from ${from} to ${to}`;
}

// The title before the transition is quoted, so the anchored match at the end always reads the
// real transition, whatever the title says.
const TRANSITION = / from (todo|doing|done) to (todo|doing|done)$/;

/** The (from, to) of a status_changed summary (see statusSummary), or undefined. */
export function transition(summary: string): { from: string; to: string } | undefined {
  const m = TRANSITION.exec(summary);
  return m ? { from: m[1], to: m[2] } : undefined;
}

/**
 * A lease as given on any surface (`--lease`, MCP and HTTP `lease`): absent is the default lease; anything
 * else, a blank value included, must be a duration. Raises invalid naming the field.
 */
export function leaseOf(v: string | undefined, field: string): number | undefined {
  return v === undefined ? undefined : parseDuration(v, field, LEASE_EXAMPLES);
}

/** Leases an invalid one's message suggests: each within the maximum (7d, services/claims.ts MAX_LEASE). */
export const LEASE_EXAMPLES = "30m, 1h30m, 2h, 7d";
