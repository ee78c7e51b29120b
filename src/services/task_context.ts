import type { ServiceContext } from "./context.ts";
import type { Comment, Plan, RunBrief, Task } from "../domain/models.ts";
import type { Memory } from "../domain/knowledge.ts";
import { listPlans } from "../db/repos/plans.ts";
import { countComments, listComments } from "../db/repos/comments.ts";
import { listBlockers, listDependents } from "../db/repos/deps.ts";
import { type TaskRow, toTask } from "../db/repos/tasks.ts";
import { countMemory, listMemory } from "../db/repos/memory.ts";
import type { TaskReader } from "./task_reader.ts";
import type { RunService } from "./runs.ts";

/** Bounds of one `task context` reply (characters of text, numbers of items). */
export const CONTEXT_LIMITS = {
  description: 4000,
  plan: 8000,
  comment: 800,
  memory: 800,
  comments: 10,
  memories: 10,
  runs: 3,
  deps: 20,
} as const;

/** A dependency as `task context` shows it: enough to decide, not the whole task. */
export interface DepSummary {
  id: string;
  ref: string;
  title: string;
  status: string;
  priority: number;
  assignee?: string;
}

/** What a fresh agent needs for one task, in one bounded reply. */
export interface TaskContext {
  task: Task;
  blocked_by: DepSummary[];
  blocks: DepSummary[];
  /** The most recently changed plan with its current version, or null. */
  plan: Plan | null;
  comments: Comment[];
  memory: Memory[];
  /** The newest runs (claims as measured attempts), newest first. */
  runs: RunBrief[];
  /** Real totals, so a reader knows what was left out. */
  totals: {
    blocked_by: number;
    blocks: number;
    plans: number;
    comments: number;
    memory: number;
    runs: number;
  };
  /** True when any text was cut or any list was capped. */
  truncated: boolean;
}

/**
 * Collects a task with its blockers and dependents, current plan, the last comments and the
 * project's latest memory, cutting long texts so the reply stays bounded. Raises not_found.
 */
export async function taskContext(
  ctx: ServiceContext,
  tasks: TaskReader,
  runLog: Pick<RunService, "latest">,
  ref: string,
): Promise<TaskContext> {
  const L = CONTEXT_LIMITS;
  let truncated = false;
  const cut = (s: string, max: number) => {
    if (s.length <= max) return s;
    truncated = true;
    return `${s.slice(0, max)}\n… [${s.length - max} more characters cut]`;
  };
  const task = await tasks.getTask(ref);
  task.description = cut(task.description, L.description);
  const blockers = await listBlockers(ctx.db, task.id);
  const dependents = await listDependents(ctx.db, task.id);
  const plans = await listPlans(ctx.db, task.id);
  const latest = plans.reduce<Plan | null>((a, p) => !a || p.updated_at >= a.updated_at ? p : a, null);
  if (latest?.version) latest.version = { ...latest.version, body: cut(latest.version.body, L.plan) };
  const commentTotal = await countComments(ctx.db, task.id);
  const comments = (await listComments(ctx.db, task.id, L.comments)).map((c) => ({
    ...c,
    body: cut(c.body, L.comment),
  }));
  const mf = { project_id: task.project_id };
  const memoryTotal = await countMemory(ctx.db, mf);
  const memory = (await listMemory(ctx.db, mf, L.memories, 0)).map((m) => ({
    ...m,
    body: cut(m.body, L.memory),
  }));
  const runs = await runLog.latest(task.id, L.runs);
  const capped = runs.total > L.runs || blockers.length > L.deps || dependents.length > L.deps ||
    commentTotal > L.comments ||
    memoryTotal > L.memories || plans.length > 1;
  return {
    task,
    blocked_by: blockers.slice(0, L.deps).map(summary),
    blocks: dependents.slice(0, L.deps).map(summary),
    plan: latest,
    comments,
    memory,
    runs: runs.runs,
    totals: {
      blocked_by: blockers.length,
      blocks: dependents.length,
      plans: plans.length,
      comments: commentTotal,
      memory: memoryTotal,
      runs: runs.total,
    },
    truncated: truncated || capped,
  };
}

function summary(r: TaskRow): DepSummary {
  const t = toTask(r);
  const d: DepSummary = { id: t.id, ref: t.ref, title: t.title, status: t.status, priority: t.priority };
  if (t.assignee) d.assignee = t.assignee;
  return d;
}
