import type { Store } from "../db/store.ts";
import type { Clock } from "../domain/time.ts";
import type { IdGen } from "../domain/ids.ts";
import type { Actor } from "../domain/actor.ts";
import { type ActivityInsert, insertActivities } from "../db/repos/activity.ts";

/** What every service needs: the connection, the clock and the ID generator. */
export interface ServiceContext {
  db: Store;
  clock: Clock;
  ids: IdGen;
  /** Workspace defaults for new tasks (config `defaults.*`). */
  taskDefaults: { type: string; status: string; priority: number };
}

/** One activity row to record: what changed, in which project, described how. */
export interface ActivityInput {
  entity: string;
  entity_id: string;
  action: string;
  summary: string;
  project_id: string;
}

/** Writes one activity row; call it inside the transaction of the change it describes. */
export async function record(ctx: ServiceContext, e: ActivityInput, actor: Actor): Promise<void> {
  await insertActivities(ctx.db, [stamp(ctx, e, actor)]);
}

/**
 * One activity row with its id and time taken now, to be written later with others of the same
 * change (`recordAll`): a write that logs several events pays one statement, and each row still has
 * the id and time it would have had, written one by one.
 */
export function stamp(ctx: ServiceContext, e: ActivityInput, actor: Actor): ActivityInsert {
  return { ...e, id: ctx.ids(), actor, created_at: ctx.clock() };
}

/** Writes stamped activity rows in one statement, in the order given (their log order). */
export async function recordAll(ctx: ServiceContext, rows: ActivityInsert[]): Promise<void> {
  await insertActivities(ctx.db, rows);
}
