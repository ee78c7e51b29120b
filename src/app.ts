import { openStore } from "./db/open.ts";
import { type Clock, systemClock } from "./domain/time.ts";
import { type IdGen, ulidGen } from "./domain/ids.ts";
import type { ServiceContext } from "./services/context.ts";
import type { ActivityService } from "./services/activity.ts";
import type { ClaimService } from "./services/claims.ts";
import type { MemoryService } from "./services/memory.ts";
import type { AttachmentService } from "./services/attachments.ts";
import type { ReportService } from "./services/reports.ts";
import type { DoctorService } from "./services/doctor.ts";
import type { RunService } from "./services/runs.ts";
import type { TaskReader } from "./services/task_reader.ts";
import type { TokenService } from "./services/tokens.ts";
import type { Services } from "./services/services.ts";

export interface AppOptions {
  dbPath: string;
  clock?: Clock;
  ids?: IdGen;
  taskDefaults?: Partial<ServiceContext["taskDefaults"]>;
  /** Skip migrations (read-only inspection of a foreign file). */
  noMigrate?: boolean;
  /**
   * Build each service (importing its module) on the first call of one of its methods rather than
   * all at open: a CLI command uses one or two, and loading the rest costs start-up time. Every
   * service method is async, so callers cannot tell (tests/cli/lazy_app_test.ts checks that).
   */
  lazy?: boolean;
  /** One flow at a time uses the app (a one-shot CLI command, not a server): see SqliteStore's `solo`. */
  solo?: boolean;
  /** A read: see OpenStoreOptions.existing. */
  existing?: boolean;
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

/** A service an App carries (everything but the context, the store and close). */
export type ServiceName = Exclude<keyof App, "ctx" | "db" | "close">;

/** What the wiring builds: the App's services and the TaskReader they share. */
type Parts = { [K in ServiceName]: App[K] } & { reader: TaskReader };
type Part = keyof Parts;
type Get = <K extends Part>(name: K) => Promise<Parts[K]>;

/**
 * The wiring, in one place: each part's module (imported when the part is built) and the parts it is
 * built from (`get`: the parts themselves, or in a lazy app stand-ins that build them on first call).
 */
const WIRING: { [K in Part]: (ctx: ServiceContext, get: Get) => Promise<Parts[K]> } = {
  projects: async (ctx) => new (await import("./services/projects.ts")).ProjectService(ctx),
  // Labels, plans and runs find tasks through a TaskReader; TaskService writes through them.
  reader: async (ctx) => new (await import("./services/task_reader.ts")).TaskReader(ctx),
  labels: async (ctx, get) => {
    const [m, projects, reader] = await Promise.all([
      import("./services/labels.ts"),
      get("projects"),
      get("reader"),
    ]);
    return new m.LabelService(ctx, projects, reader);
  },
  plans: async (ctx, get) => {
    const [m, reader, projects] = await Promise.all([
      import("./services/plans.ts"),
      get("reader"),
      get("projects"),
    ]);
    return new m.PlanService(ctx, reader, projects);
  },
  runs: async (ctx, get) => {
    const [m, projects, reader] = await Promise.all([
      import("./services/runs.ts"),
      get("projects"),
      get("reader"),
    ]);
    return new m.RunService(ctx, projects, reader);
  },
  tasks: async (ctx, get) => {
    const [m, projects, labels, plans, runs] = await Promise.all([
      import("./services/tasks.ts"),
      get("projects"),
      get("labels"),
      get("plans"),
      get("runs"),
    ]);
    return new m.TaskService(ctx, projects, labels, plans, runs);
  },
  docs: async (ctx, get) => {
    const [m, projects] = await Promise.all([import("./services/docs.ts"), get("projects")]);
    return new m.DocService(ctx, projects);
  },
  comments: async (ctx, get) => {
    const [m, tasks] = await Promise.all([import("./services/comments.ts"), get("tasks")]);
    return new m.CommentService(ctx, tasks);
  },
  activity: async (ctx, get) => {
    const [m, projects] = await Promise.all([import("./services/activity.ts"), get("projects")]);
    return new m.ActivityService(ctx, projects);
  },
  claims: async (ctx, get) => {
    const [m, projects, tasks, runs] = await Promise.all([
      import("./services/claims.ts"),
      get("projects"),
      get("tasks"),
      get("runs"),
    ]);
    return new m.ClaimService(ctx, projects, tasks, runs);
  },
  deps: async (ctx, get) => {
    const [m, tasks] = await Promise.all([import("./services/deps.ts"), get("tasks")]);
    return new m.DepService(ctx, tasks);
  },
  memory: async (ctx, get) => {
    const [m, projects] = await Promise.all([import("./services/memory.ts"), get("projects")]);
    return new m.MemoryService(ctx, projects);
  },
  attachments: async (ctx, get) => {
    const [m, projects, tasks, docs] = await Promise.all([
      import("./services/attachments.ts"),
      get("projects"),
      get("tasks"),
      get("docs"),
    ]);
    return new m.AttachmentService(ctx, projects, tasks, docs);
  },
  reports: async (ctx, get) => {
    const [m, projects] = await Promise.all([import("./services/reports.ts"), get("projects")]);
    return new m.ReportService(ctx, projects);
  },
  doctor: async (ctx, get) => {
    const [m, projects] = await Promise.all([import("./services/doctor.ts"), get("projects")]);
    return new m.DoctorService(ctx, projects);
  },
  tokens: async (ctx) => new (await import("./services/tokens.ts")).TokenService(ctx),
};

/** Every service, in the order an App lists them. */
export const SERVICE_NAMES = Object.keys(WIRING).filter((k) => k !== "reader") as ServiceName[];

/** Opens (creating and migrating when needed) a workspace database and wires the services. */
export async function openApp(opts: AppOptions): Promise<App> {
  const db = await openStore(opts.dbPath, {
    noMigrate: opts.noMigrate,
    solo: opts.solo,
    existing: opts.existing,
  });
  const clock = opts.clock ?? systemClock;
  const ctx: ServiceContext = {
    db,
    clock,
    ids: opts.ids ?? ulidGen(clock),
    taskDefaults: { type: "task", status: "todo", priority: 3, ...opts.taskDefaults },
  };
  const built = new Map<Part, Promise<unknown>>();
  const build: Get = (name) => {
    if (!built.has(name)) built.set(name, WIRING[name](ctx, get));
    return built.get(name) as Promise<Parts[typeof name]>;
  };
  const get: Get = opts.lazy ? (name) => Promise.resolve(onFirstCall(name, build)) : build;
  try {
    const services = await Promise.all(SERVICE_NAMES.map(async (name) => [name, await get(name)]));
    return { ctx, db, close: () => db.close(), ...Object.fromEntries(services) };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * A stand-in for a part that builds it when one of its methods is first called, then forwards every
 * call to it. Only method calls are forwarded: every public member of a service is an async method.
 */
function onFirstCall<K extends Part>(name: K, build: Get): Parts[K] {
  const method = (key: string) => async (...args: unknown[]) => {
    const part = await build(name) as unknown as Record<string, (...a: unknown[]) => unknown>;
    return await part[key](...args);
  };
  // Not a thenable (`then` undefined), so it can be awaited and passed through Promise.all.
  return new Proxy({}, {
    get: (_, key) => typeof key === "string" && key !== "then" ? method(key) : undefined,
  }) as Parts[K];
}
