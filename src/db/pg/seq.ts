import type { Store } from "../store.ts";
import { NEXT_TASK_SEQ } from "../repos/tasks.ts";

/**
 * Takes the next TASK-N inside the caller's transaction (PostgreSQL) on its own: NEXT_TASK_SEQ, which
 * insertTask runs inside its INSERT.
 */
export async function nextTaskSeq(store: Store): Promise<number> {
  const r = await store.get<{ value: string }>(NEXT_TASK_SEQ);
  return Number(r!.value);
}
