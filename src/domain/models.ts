import type { Actor } from "./actor.ts";
import type { TaskStatus, TaskType } from "./enums.ts";

/** Wire and DB shapes: snake_case, identical on every surface. Optional = omitted when empty. */
export interface Project {
  id: string;
  alias: string;
  name: string;
  description: string;
  repo_path: string;
  archived_at?: number;
  created_at: number;
  updated_at: number;
}

export type ProjectRef = Pick<Project, "id" | "alias" | "name">;

export interface Label {
  id: string;
  project_id: string;
  name: string;
  color?: string;
}

export interface Task {
  id: string;
  seq: number;
  ref: string;
  project_id: string;
  project?: Project | ProjectRef;
  title: string;
  description: string;
  type: TaskType;
  status: TaskStatus;
  priority: number;
  assignee?: string;
  due_at?: number;
  actor: Actor;
  source?: string;
  external_ref?: string;
  completed_at?: number;
  archived_at?: number;
  created_at: number;
  updated_at: number;
  project_path?: string;
  version: number;
  lease_expires_at?: number;
  /** The original's label objects (`{id, project_id, name, color?}`), not names. */
  labels?: Label[];
  plans?: Plan[];
  comments?: Comment[];
  /** task show: the newest runs (claims as measured attempts) and how many there are in all. */
  runs?: RunBrief[];
  runs_total?: number;
}

/** One claim as a measured attempt, on every surface (see services/runs.ts for the rules). */
export interface Run {
  id: string;
  /** Null once the task is deleted: ref, title (and the report) then come from the run's copies. */
  task_id: string | null;
  ref: string;
  title: string;
  /** `kind:name` of the claimant. */
  holder: string;
  started_at: number;
  /** An open run past its lease shows `expired`, ended when its lease did. */
  ended_at: number | null;
  lease_expires_at: number | null;
  renewals: number;
  outcome: "open" | "done" | "released" | "expired" | "taken_over";
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  model: string | null;
}

/** A run inside its task (task show and context): without the task's own id, ref and title. */
export type RunBrief = Omit<Run, "task_id" | "ref" | "title">;

export interface PlanVersion {
  id: string;
  plan_id: string;
  version: number;
  title: string;
  body: string;
  actor: Actor;
  change_note?: string;
  created_at: number;
}

export interface Plan {
  id: string;
  task_id: string;
  current_version: number;
  source?: string;
  archived_at?: number;
  created_at: number;
  updated_at: number;
  version?: PlanVersion;
}

export interface Comment {
  id: string;
  task_id: string;
  body: string;
  actor: Actor;
  created_at: number;
}

export interface Activity {
  id: string;
  project_id?: string;
  entity: string;
  entity_id: string;
  action: string;
  summary: string;
  actor: Actor;
  payload: string;
  created_at: number;
}

/** A page marker on every bounded list. */
export interface Page {
  total: number;
  count: number;
  limit?: number;
  offset?: number;
  has_more: boolean;
}

/** The names of a task's labels, in the task's order (the way people read them). */
export function labelNames(t: Pick<Task, "labels">): string[] {
  return (t.labels ?? []).map((l) => l.name);
}
