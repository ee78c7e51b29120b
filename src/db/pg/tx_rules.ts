import type { DriverError } from "./sql.ts";

/** PgStore's transaction rules: how often it reruns, the locks it takes, what it may rerun. */

/** How many times the outermost tx runs fn when transactions keep conflicting (40001, 40P01). */
export const MAX_TX_ATTEMPTS = 12;
/** Backoff before attempt n+1: ~1 ms doubling up to 64 ms, jittered ×0.5–1.5. */
export const backoffMs = (attempt: number) => Math.min(2 ** (attempt - 1), 64) * (0.5 + Math.random());

/**
 * The write lock ("backlogw" in ASCII): a session advisory lock every SERIALIZABLE write takes before
 * BEGIN (so its snapshot is taken once it holds the lock) and drops after COMMIT. Writes other than
 * claims therefore run one at a time across every server on the database, as on SQLite. Left to run
 * together they failed each other constantly: PostgreSQL's serializable checks lock index pages, not
 * rows, and every status change writes new entries into every index of `tasks`, so 16 agents
 * finishing tasks saw most first attempts fail. Claims (READ COMMITTED, row-locked) do not take it
 * and run concurrently with everything.
 */
export const WRITE_LOCK = 0x6261636b6c6f6777n;

/**
 * The lock that guarantees a write its last attempt: every write (serializable or read committed)
 * holds it shared for its transaction; the last attempt takes it exclusively before BEGIN, so it runs alone and cannot
 * lose another conflict ("backlogx").
 */
export const LAST_LOCK = 0x6261636b6c6f6778n;

export const LOCK = "SELECT pg_advisory_lock($1)";
export const UNLOCK = "SELECT pg_advisory_unlock($1)";

const RETRYABLE = new Set(["40001", "40P01"]);
/**
 * A prepared statement whose result columns changed under it (a migration run by another process
 * altered a table it reads): the connection's prepared statements are dropped with it, and the
 * transaction or statement runs again on another connection.
 */
export const stalePlan = (err: unknown) =>
  (err as DriverError)?.code === "0A000" &&
  /cached plan must not change result type/.test((err as Error).message);
export const retryable = (err: unknown) => RETRYABLE.has((err as DriverError)?.code ?? "") || stalePlan(err);
