import type { ServiceContext } from "./context.ts";
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
  constructor(private ctx: ServiceContext, private tasks: TaskService) {}

  /** Adds a comment. Raises not_found (task), invalid (empty body). */
  async add(taskRef: string, body: string, actor: Actor): Promise<Comment> {
    const text = requireText(body, "body", 1 << 20);
    return await this.ctx.db.tx(async () => {
      const t = await this.tasks.getTask(taskRef);
      const c: Comment = {
        id: this.ctx.ids(),
        task_id: t.id,
        body: text,
        actor,
        created_at: this.ctx.clock(),
      };
      await repo.insertComment(this.ctx.db, c);
      await record(this.ctx, {
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
  async list(taskRef: string, limit = 0): Promise<Comment[]> {
    return await repo.listComments(this.ctx.db, await this.tasks.resolve(taskRef), limit);
  }

  /**
   * A bounded page of a task's comments (default 50, oldest first) with a real total.
   * Raises not_found (task).
   */
  async page(
    taskRef: string,
    o: { limit?: number; offset?: number; newestFirst?: boolean } = {},
  ): Promise<{ comments: Comment[]; page: Page }> {
    const taskId = await this.tasks.resolve(taskRef);
    const limit = pageLimit(o.limit, UNBOUNDED);
    const offset = pageOffset(o.offset);
    const comments = await repo.pageComments(this.ctx.db, taskId, {
      limit,
      offset,
      newestFirst: o.newestFirst,
    });
    const total = await repo.countComments(this.ctx.db, taskId);
    const page: Page = { total, count: comments.length, has_more: offset + comments.length < total };
    if (limit > 0) page.limit = limit;
    if (offset) page.offset = offset;
    return { comments, page };
  }

  /** Deletes a comment. Raises not_found. */
  async delete(id: string, actor: Actor): Promise<Comment> {
    return await this.ctx.db.tx(async () => {
      const c = await repo.getComment(this.ctx.db, await resolveId(this.ctx.db, "comments", id, "comment"));
      if (!c) throw notFound(`comment not found: ${id}`);
      const t = await this.tasks.getTask(c.task_id);
      await repo.deleteComment(this.ctx.db, c.id);
      await record(this.ctx, {
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
