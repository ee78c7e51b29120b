import { ns, type Store } from "../store.ts";
import type { Activity } from "../../domain/models.ts";
import { toActivity } from "./activity.ts";

/**
 * The live feed's position in the activity log: SQLite's rowid (one writer at a time, so rowid
 * order is commit order), PostgreSQL's `seq` (assigned at commit, in commit order, never reused:
 * migrations/pg/0015_activity_seq.sql). Selected `AS rowid` so toActivity reads both the same way.
 */
export function activityPosition(db: Store): "rowid" | "seq" {
  return db.dialect === "postgres" ? "seq" : "rowid";
}

/** The NOTIFY channel PostgreSQL's activity trigger signals on every commit that logged activity. */
export const ACTIVITY_CHANNEL = "backlog_activity";

/** What a store that can LISTEN offers (PgStore; not imported: it must stay out of SQLite's path). */
interface Listening {
  listen(
    channel: string,
    fn: (payload: string) => void,
    opts?: { onReconnect?: () => void },
  ): Promise<() => Promise<void>>;
}

/**
 * Whether positions can be reused: SQLite hands the rowids of deleted rows at the end of the log
 * out again; PostgreSQL's seq only grows.
 */
export function positionsReused(db: Store): boolean {
  return db.dialect === "sqlite";
}

/**
 * SQLite's change counter for this connection: it moves whenever another connection (any
 * process) commits, and stays put for this connection's own commits. A cheap poll. PostgreSQL has
 * no such counter: always 0 there (the feed listens for notifications instead, listenActivity).
 */
export async function dataVersion(db: Store): Promise<number> {
  if (db.dialect !== "sqlite") return 0;
  return (await db.get<{ data_version: number }>("PRAGMA data_version"))!.data_version;
}

/**
 * Calls onChange whenever any connection (any server, any process) commits activity, and onGap
 * after the listening connection dropped and came back (notifications may have been missed).
 * Resolves to a function that stops listening, or undefined when the store cannot listen (SQLite:
 * poll dataVersion). Raises when the server refuses the listening connection.
 */
export async function listenActivity(
  db: Store,
  onChange: () => void,
  onGap: () => void,
): Promise<(() => Promise<void>) | undefined> {
  if (db.dialect !== "postgres") return undefined;
  const l = db as Store & Partial<Listening>;
  if (typeof l.listen !== "function") return undefined;
  return await l.listen(ACTIVITY_CHANNEL, () => onChange(), { onReconnect: onGap });
}

/** The newest activity row (its position as rowid, id, created_at), or undefined when the log is empty. */
export async function activityTail(
  db: Store,
): Promise<{ rowid: number; id: string; created_at: number } | undefined> {
  if (db.dialect === "postgres") {
    return await db.get<{ rowid: number; id: string; created_at: number }>(
      "SELECT seq AS rowid, id, created_at FROM activity_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
    );
  }
  return await db.get<{ rowid: number; id: string; created_at: number }>(
    "SELECT rowid, id, created_at FROM activity_log ORDER BY rowid DESC LIMIT 1",
  );
}

/** The id of the activity row at this position (undefined when it was deleted). */
export async function activityIdAt(db: Store, rowid: number): Promise<string | undefined> {
  const pos = activityPosition(db);
  return (await db.get<{ id: string }>(`SELECT id FROM activity_log WHERE ${pos} = CAST(? AS BIGINT)`, rowid))
    ?.id;
}

/** Activity rows past a position, in log (commit) order: the feed's main read. */
export async function activityAfter(
  db: Store,
  rowid: number,
  limit: number,
): Promise<(Activity & { seq: number })[]> {
  const pos = activityPosition(db);
  return (await db.all<Parameters<typeof toActivity>[0]>(
    `SELECT ${pos === "seq" ? "seq AS rowid" : "rowid"}, * FROM activity_log
     WHERE ${pos} > CAST(? AS BIGINT) ORDER BY ${pos} LIMIT CAST(? AS BIGINT)`,
    rowid,
    limit,
  )).map(toActivity);
}

/** Activity rows written at or after a time (ns), oldest first: recovery after rowids were reused. */
export async function activityFrom(
  db: Store,
  createdAt: number,
  limit: number,
): Promise<(Activity & { seq: number })[]> {
  const pos = activityPosition(db);
  return (await db.all<Parameters<typeof toActivity>[0]>(
    `SELECT ${pos === "seq" ? "seq AS rowid" : "rowid"}, * FROM activity_log
     WHERE created_at >= ? AND ${pos} IS NOT NULL ORDER BY created_at, ${pos} LIMIT CAST(? AS BIGINT)`,
    ns(createdAt),
    limit,
  )).map(toActivity);
}
