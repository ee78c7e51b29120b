// @ts-types="npm:@types/pg@^8"
import type { PoolClient } from "pg";

/**
 * Takes the next TASK-N inside the caller's transaction. The counter is the `task_seq_high` row of
 * schema_meta (the same high-water mark the SQLite store keeps): the upsert locks that row until the
 * transaction ends, so concurrent creates on any number of servers queue on it and each gets its own
 * number; a rolled-back create gives its number back, a deleted task's number is never handed out again.
 */
export async function nextTaskSeq(c: PoolClient): Promise<number> {
  const r = await c.query<{ seq: string }>(
    `INSERT INTO schema_meta (key, value)
       SELECT 'task_seq_high', (COALESCE(MAX(task_seq), 0) + 1)::text FROM tasks
     ON CONFLICT (key) DO UPDATE
       SET value = (GREATEST(schema_meta.value::bigint, (SELECT COALESCE(MAX(task_seq), 0) FROM tasks)) + 1)::text
     RETURNING value AS seq`,
  );
  return Number(r.rows[0].seq);
}
