import { openStore } from "./db/open.ts";
import { type Clock, systemClock } from "./domain/time.ts";
import { type IdGen, ulidGen } from "./domain/ids.ts";
import type { ServiceContext } from "./services/context.ts";
import { ProjectService } from "./services/projects.ts";
import { TaskService } from "./services/tasks.ts";
import { TaskReader } from "./services/task_reader.ts";
import { LabelService } from "./services/labels.ts";
import { PlanService } from "./services/plans.ts";
import { CommentService } from "./services/comments.ts";
import { ActivityService } from "./services/activity.ts";
import { ClaimService } from "./services/claims.ts";
import { DepService } from "./services/deps.ts";
import { MemoryService } from "./services/memory.ts";
import { DocService } from "./services/docs.ts";
import { AttachmentService } from "./services/attachments.ts";
import { ReportService } from "./services/reports.ts";
import { DoctorService } from "./services/doctor.ts";
import { RunService } from "./services/runs.ts";
import { TokenService } from "./services/tokens.ts";
import type { Services } from "./services/services.ts";

export interface AppOptions {
  dbPath: string;
  clock?: Clock;
  ids?: IdGen;
  taskDefaults?: Partial<ServiceContext["taskDefaults"]>;
  /** Skip migrations (read-only inspection of a foreign file). */
  noMigrate?: boolean;
}

/** The composition root: one connection, every service. */
export interface App extends Services {
  activity: ActivityService;
  /** Claims with leases, and the ready queue (`next`). */
  claims: ClaimService;
  /** Runs (every claim as a measured attempt), `backlog report` and the Agents board. */
  runs: RunService;
  /** Project memory, docs, attachments; reports (activity analyze); database and project health. */
  memory: MemoryService;
  attachments: AttachmentService;
  reports: ReportService;
  doctor: DoctorService;
  /** Tokens bound to an actor (created from the CLI, checked by `backlog web` per request). */
  tokens: TokenService;
  close(): Promise<void>;
}

/** Opens (creating and migrating when needed) a workspace database and wires the services. */
export async function openApp(opts: AppOptions): Promise<App> {
  const db = await openStore(opts.dbPath, { noMigrate: opts.noMigrate });
  const clock = opts.clock ?? systemClock;
  const ctx: ServiceContext = {
    db,
    clock,
    ids: opts.ids ?? ulidGen(clock),
    taskDefaults: { type: "task", status: "todo", priority: 3, ...opts.taskDefaults },
  };
  const projects = new ProjectService(ctx);
  // Labels, plans and runs find tasks through a TaskReader; TaskService writes through them.
  const reader = new TaskReader(ctx);
  const labels = new LabelService(ctx, projects, reader);
  const plans = new PlanService(ctx, reader, projects);
  const runs = new RunService(ctx, projects, reader);
  const tasks = new TaskService(ctx, projects, labels, plans, runs);
  const docs = new DocService(ctx, projects);
  return {
    ctx,
    db,
    projects,
    tasks,
    labels,
    plans,
    comments: new CommentService(ctx, tasks),
    activity: new ActivityService(ctx, projects),
    claims: new ClaimService(ctx, projects, tasks, runs),
    runs,
    deps: new DepService(ctx, tasks),
    memory: new MemoryService(ctx, projects),
    docs,
    attachments: new AttachmentService(ctx, projects, tasks, docs),
    reports: new ReportService(ctx, projects),
    doctor: new DoctorService(ctx, projects),
    tokens: new TokenService(ctx),
    close: () => db.close(),
  };
}
