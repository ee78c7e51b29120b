import { ns, type Store } from "../store.ts";
import { limitOrAll } from "../sql.ts";
import type { Comment } from "../../domain/models.ts";
import type { Actor } from "../../domain/actor.ts";

type CommentRow = Omit<Comment, "actor"> & { actor_kind: string; actor_name: string };

const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  task_id: r.task_id,
  body: r.body,
  actor: { kind: r.actor_kind as Actor["kind"], name: r.actor_name },
  created_at: r.created_at,
});

export async function insertComment(db: Store, c: Comment): Promise<void> {
  await db.run(
    "INSERT INTO comments (id, task_id, body, actor_kind, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    c.id,
    c.task_id,
    c.body,
    c.actor.kind,
    c.actor.name,
    ns(c.created_at),
  );
}

export async function getComment(db: Store, id: string): Promise<Comment | undefined> {
  const r = await db.get<CommentRow>("SELECT * FROM comments WHERE id = ?", id);
  return r && toComment(r);
}

/** Comments of a task, oldest first; with `limit`, the newest `limit` of them (still oldest first). */
export async function listComments(db: Store, taskId: string, limit = 0): Promise<Comment[]> {
  return (await db.all<CommentRow>(
    `SELECT * FROM (SELECT * FROM comments WHERE task_id = ? ORDER BY created_at DESC, id DESC
       LIMIT CAST(? AS BIGINT)) AS c
     ORDER BY created_at, id`,
    taskId,
    limitOrAll(limit),
  )).map(toComment);
}

export async function countComments(db: Store, taskId: string): Promise<number> {
  return (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE task_id = ?", taskId))!.n;
}

export async function deleteComment(db: Store, id: string): Promise<number> {
  return await db.run("DELETE FROM comments WHERE id = ?", id);
}

/** A page of a task's comments, oldest first or newest first. */
export async function pageComments(
  db: Store,
  taskId: string,
  o: { limit: number; offset: number; newestFirst?: boolean },
): Promise<Comment[]> {
  const dir = o.newestFirst ? "DESC" : "ASC";
  return (await db.all<CommentRow>(
    `SELECT * FROM comments WHERE task_id = ? ORDER BY created_at ${dir}, id ${dir} LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)`,
    taskId,
    limitOrAll(o.limit),
    o.offset,
  )).map(toComment);
}
