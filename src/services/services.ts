import type { Store } from "../db/store.ts";
import type { ServiceContext } from "./context.ts";
import type { ProjectService } from "./projects.ts";
import type { TaskService } from "./tasks.ts";
import type { LabelService } from "./labels.ts";
import type { PlanService } from "./plans.ts";
import type { CommentService } from "./comments.ts";
import type { DepService } from "./deps.ts";
import type { DocService } from "./docs.ts";

/**
 * The core services (App extends this). Interchange modules take a `Pick` of the ones they use, so
 * they depend on those (and tests can pass just them), not on the whole composition root.
 */
export interface Services {
  ctx: ServiceContext;
  db: Store;
  projects: ProjectService;
  tasks: TaskService;
  labels: LabelService;
  plans: PlanService;
  comments: CommentService;
  /** Task dependencies (blocked by / blocks). */
  deps: DepService;
  docs: DocService;
}
