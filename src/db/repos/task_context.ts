import type { Db } from "../connection.ts";
import type { Actor } from "../../domain/actor.ts";

/** A project memory entry as `task context` shows it. */
export interface MemoryNote {
  id: string;
  body: string;
  tags?: string;
  actor: Actor;
  created_at: number;
}

type MemoryRow = {
  id: string;
  body: string;
  tags: string;
  actor_kind: string;
  actor_name: string;
  created_at: number;
};

/** The newest `limit` memory entries of a project, newest first. */
export function latestMemory(db: Db, projectId: string, limit: number): MemoryNote[] {
  return db.all<MemoryRow>(
    `SELECT id, body, tags, actor_kind, actor_name, created_at FROM project_memory
     WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
    projectId,
    limit,
  ).map((r) => {
    const m: MemoryNote = {
      id: r.id,
      body: r.body,
      actor: { kind: r.actor_kind as Actor["kind"], name: r.actor_name },
      created_at: r.created_at,
    };
    if (r.tags) m.tags = r.tags;
    return m;
  });
}

/** Number of memory entries of a project. */
export function countMemory(db: Db, projectId: string): number {
  return db.get<{ n: number }>("SELECT COUNT(*) AS n FROM project_memory WHERE project_id = ?", projectId)!.n;
}

/** Number of non-archived plans of a task. */
export function countPlans(db: Db, taskId: string): number {
  return db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM plans WHERE task_id = ? AND archived_at IS NULL",
    taskId,
  )!.n;
}
