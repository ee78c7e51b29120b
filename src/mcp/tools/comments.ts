import { z } from "zod";
import { ADD, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { commentLine, listText } from "../render.ts";
import * as s from "../schema.ts";

/** comment_add, comment_list. */
export function registerCommentTools(k: Kit): void {
  const { app } = k;

  k.tool("comment_add", {
    title: "Add comment",
    description: "Comment on a task.",
    input: { task_id: s.taskRef, body: z.string() },
    hints: ADD,
    run(a, actor) {
      const c = app.comments.add(a.task_id, a.body, actor);
      return ok({ ...c }, `added comment ${c.id}`);
    },
  });

  k.tool("comment_list", {
    title: "List comments",
    description: "A task's comments, newest first.",
    input: { task_id: s.taskRef, ...s.paging },
    hints: READ,
    run(a) {
      const { rows, page } = s.pageOf(app.comments.list(a.task_id).reverse(), a);
      return ok({ comments: rows, page }, listText(rows.map(commentLine), page, "no comments"));
    },
  });
}
