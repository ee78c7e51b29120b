import type { Store } from "../store.ts";

/**
 * Takes the next TASK-N inside the caller's transaction (PostgreSQL). The counter is the
 * `task_seq_high` row of schema_meta (the same high-water mark the SQLite store keeps): the upsert
 * writes that row, so concurrent creates on any number of servers conflict on it and the store reruns
 * all but one; each gets its own number, a rolled-back create gives its number back, and a deleted
 * task's number is never handed out again.
 */
export async function nextTaskSeq(store: Store): Promise<number> {
  const r = await store.get<{ seq: string }>(
    `INSERT INTO schema_meta (key, value)
       SELECT 'task_seq_high', (COALESCE(MAX(task_seq), 0) + 1)::text FROM tasks
     ON CONFLICT (key) DO UPDATE
       SET value = (GREATEST(schema_meta.value::bigint, (SELECT COALESCE(MAX(task_seq), 0) FROM tasks)) + 1)::text
     RETURNING value AS seq`,
  );
  return Number(r!.seq);
}
