import { ns } from "../connection.ts";
import type { Store } from "../store.ts";
import type { Activity } from "../../domain/models.ts";
import { toActivity } from "./activity.ts";

/**
 * SQLite's change counter for this connection: it moves whenever another connection (any
 * process) commits, and stays put for this connection's own commits. A cheap poll.
 */
export async function dataVersion(db: Store): Promise<number> {
  return (await db.get<{ data_version: number }>("PRAGMA data_version"))!.data_version;
}

/** The newest activity row (rowid, id, created_at), or undefined when the log is empty. */
export async function activityTail(
  db: Store,
): Promise<{ rowid: number; id: string; created_at: number } | undefined> {
  return await db.get<{ rowid: number; id: string; created_at: number }>(
    "SELECT rowid, id, created_at FROM activity_log ORDER BY rowid DESC LIMIT 1",
  );
}

/** The id of the activity row with this rowid (undefined when it was deleted). */
export async function activityIdAt(db: Store, rowid: number): Promise<string | undefined> {
  return (await db.get<{ id: string }>("SELECT id FROM activity_log WHERE rowid = ?", rowid))?.id;
}

/** Activity rows past a rowid, in log (rowid) order: the feed's main read. */
export async function activityAfter(
  db: Store,
  rowid: number,
  limit: number,
): Promise<(Activity & { seq: number })[]> {
  return (await db.all<Parameters<typeof toActivity>[0]>(
    "SELECT rowid, * FROM activity_log WHERE rowid > ? ORDER BY rowid LIMIT ?",
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
  return (await db.all<Parameters<typeof toActivity>[0]>(
    "SELECT rowid, * FROM activity_log WHERE created_at >= ? ORDER BY created_at, rowid LIMIT ?",
    ns(createdAt),
    limit,
  )).map(toActivity);
}
