import type { Db } from "../../db/connection.ts";
import type { ServiceContext } from "../context.ts";
import type { ProjectService } from "../projects.ts";
import type { TaskService } from "../tasks.ts";
import type { LabelService } from "../labels.ts";
import type { PlanService } from "../plans.ts";
import type { CommentService } from "../comments.ts";
import type { DepService } from "../deps.ts";
import type { DocService } from "../docs.ts";

/**
 * The services interchange code writes through. Each module takes a `Pick` of the ones it uses, so
 * it depends on those (and tests can pass just them), not on the whole composition root.
 */
export interface Services {
  ctx: ServiceContext;
  db: Db;
  projects: ProjectService;
  tasks: TaskService;
  labels: LabelService;
  plans: PlanService;
  comments: CommentService;
  deps: DepService;
  docs: DocService;
}
