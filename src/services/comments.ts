import type { Ctx } from "./context.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Comment, Page } from "../domain/models.ts";
import { notFound } from "../domain/errors.ts";
import { requireText } from "../domain/fields.ts";
import { shortId } from "../domain/refs.ts";
import * as repo from "../db/repos/comments.ts";
import { resolveId } from "../db/repos/ids.ts";
import type { TaskService } from "./tasks.ts";

/** Comments on tasks: add, list, delete (no edit). */
export class CommentService {
  constructor(private ctx: Ctx, private tasks: TaskService) {}

  /** Adds a comment. Raises not_found (task), invalid (empty body). */
  add(taskRef: string, body: string, actor: Actor): Comment {
    const text = requireText(body, "body", 1 << 20);
    return this.ctx.db.tx(() => {
      const t = this.tasks.getTask(taskRef);
      const c: Comment = {
        id: this.ctx.ids(),
        task_id: t.id,
        body: text,
        actor,
        created_at: this.ctx.clock(),
      };
      repo.insertComment(this.ctx.db, c);
      record(this.ctx, {
        entity: "comment",
        entity_id: c.id,
        action: "created",
        summary: `Added comment on ${t.ref}`,
        project_id: t.project_id,
      }, actor);
      return c;
    });
  }

  /** Comments of a task, oldest first (the newest `limit` when given). Raises not_found. */
  list(taskRef: string, limit = 0): Comment[] {
    return repo.listComments(this.ctx.db, this.tasks.resolve(taskRef), limit);
  }

  /**
   * A bounded page of a task's comments (default 50, oldest first) with a real total.
   * Raises not_found (task).
   */
  page(
    taskRef: string,
    o: { limit?: number; offset?: number; newestFirst?: boolean } = {},
  ): { comments: Comment[]; page: Page } {
    const taskId = this.tasks.resolve(taskRef);
    const limit = pageLimit(o.limit, UNBOUNDED);
    const offset = pageOffset(o.offset);
    const comments = repo.pageComments(this.ctx.db, taskId, { limit, offset, newestFirst: o.newestFirst });
    const total = repo.countComments(this.ctx.db, taskId);
    const page: Page = { total, count: comments.length, has_more: offset + comments.length < total };
    if (limit > 0) page.limit = limit;
    if (offset) page.offset = offset;
    return { comments, page };
  }

  /** Deletes a comment. Raises not_found. */
  delete(id: string, actor: Actor): Comment {
    return this.ctx.db.tx(() => {
      const c = repo.getComment(this.ctx.db, resolveId(this.ctx.db, "comments", id, "comment"));
      if (!c) throw notFound(`comment not found: ${id}`);
      const t = this.tasks.getTask(c.task_id);
      repo.deleteComment(this.ctx.db, c.id);
      record(this.ctx, {
        entity: "comment",
        entity_id: c.id,
        action: "deleted",
        summary: `Deleted comment ${shortId(c.id)} on ${t.ref}`,
        project_id: t.project_id,
      }, actor);
      return c;
    });
  }
}
