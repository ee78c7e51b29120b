import { ADD, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { commentLine, listText } from "../render.ts";
import * as s from "../schema.ts";
import { CommentInputSchema, CommentQuerySchema } from "../../domain/schemas.ts";

/** comment_add, comment_list. */
export function registerCommentTools(k: Kit): void {
  const { app } = k;

  k.tool("comment_add", {
    title: "Add comment",
    description: "Comment on a task.",
    input: CommentInputSchema.shape,
    hints: ADD,
    async run(a, actor) {
      const c = await app.comments.add(a.task_id, a.body, actor);
      return ok({ ...c }, `added comment ${c.id}`);
    },
  });

  k.tool("comment_list", {
    title: "List comments",
    description: "Comments, oldest first.",
    input: CommentQuerySchema.shape,
    hints: READ,
    async run(a) {
      const { limit, offset } = s.bounds(a);
      const r = await app.comments.page(a.task_id, { limit, offset });
      const page = s.pageMark(r.page.total, r.comments.length, limit, offset);
      return ok({ comments: r.comments, page }, listText(r.comments.map(commentLine), page, "no comments"));
    },
  });
}
