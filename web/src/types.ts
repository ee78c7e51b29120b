// Wire shapes the UI reads. Tasks, plans and friends come from the domain; the rest mirror the API.
import type {
  Activity,
  Comment,
  Label,
  Page,
  Plan,
  PlanVersion,
  Project,
  Task,
} from "../../src/domain/models.ts";
import type { Actor } from "../../src/domain/actor.ts";

export type { Activity, Actor, Comment, Label, Page, Plan, PlanVersion, Project, Task };

export interface TaskList {
  tasks: Task[];
  page: Page;
}

export interface PlanWithTask extends Plan {
  task_seq: number;
  task_title?: string;
  project_alias?: string;
  project_name?: string;
}

export interface DocVersion {
  id: string;
  doc_id: string;
  version: number;
  title: string;
  body: string;
  actor: Actor;
  change_note?: string;
  created_at: number;
}

export interface Doc {
  id: string;
  project_id: string;
  project?: { id: string; alias: string; name: string };
  title: string;
  current_version: number;
  actor: Actor;
  created_at: number;
  updated_at: number;
  version?: DocVersion;
}

export interface Memory {
  id: string;
  project_id: string;
  project?: { id: string; alias: string; name: string };
  body: string;
  tags?: string;
  actor: Actor;
  created_at: number;
}

export interface Attachment {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  linked_type: "" | "task" | "doc";
  linked_id: string;
  actor: Actor;
  created_at: number;
  task_seq?: number;
  task_title?: string;
  doc_title?: string;
  project_alias?: string;
  project_name?: string;
}

/** One row of `/api/events`: an activity row as it was written. */
export interface LiveEvent {
  id: string;
  entity: string;
  entity_id: string;
  action: string;
  summary: string;
  actor: Actor;
  project_id?: string;
  created_at: number;
}
