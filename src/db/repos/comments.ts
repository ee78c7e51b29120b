import { type Db, ns } from "../connection.ts";
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

export function insertComment(db: Db, c: Comment): void {
  db.run(
    "INSERT INTO comments (id, task_id, body, actor_kind, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    c.id,
    c.task_id,
    c.body,
    c.actor.kind,
    c.actor.name,
    ns(c.created_at),
  );
}

export function getComment(db: Db, id: string): Comment | undefined {
  const r = db.get<CommentRow>("SELECT * FROM comments WHERE id = ?", id);
  return r && toComment(r);
}

/** Comments of a task, oldest first; with `limit`, the newest `limit` of them (still oldest first). */
export function listComments(db: Db, taskId: string, limit = 0): Comment[] {
  return db.all<CommentRow>(
    `SELECT * FROM (SELECT * FROM comments WHERE task_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)
     ORDER BY created_at, id`,
    taskId,
    limit > 0 ? limit : -1,
  ).map(toComment);
}

export function countComments(db: Db, taskId: string): number {
  return db.get<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE task_id = ?", taskId)!.n;
}

export function deleteComment(db: Db, id: string): number {
  return db.run("DELETE FROM comments WHERE id = ?", id);
}

/** A page of a task's comments, oldest first or newest first. */
export function pageComments(
  db: Db,
  taskId: string,
  o: { limit: number; offset: number; newestFirst?: boolean },
): Comment[] {
  const dir = o.newestFirst ? "DESC" : "ASC";
  return db.all<CommentRow>(
    `SELECT * FROM comments WHERE task_id = ? ORDER BY created_at ${dir}, id ${dir} LIMIT ? OFFSET ?`,
    taskId,
    o.limit > 0 ? o.limit : -1,
    o.offset,
  ).map(toComment);
}
