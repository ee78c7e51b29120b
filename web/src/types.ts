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
import type { AttachmentMeta, Doc, DocVersion, Memory } from "../../src/domain/knowledge.ts";
import type { PlanWithTask } from "../../src/domain/views.ts";

export type {
  Activity,
  Actor,
  Comment,
  Doc,
  DocVersion,
  Label,
  Memory,
  Page,
  Plan,
  PlanVersion,
  PlanWithTask,
  Project,
  Task,
};

/** An attachment row: task/doc listings carry the metadata, project listings also what it is linked to. */
export type Attachment =
  & Omit<AttachmentMeta, "task_seq" | "task_title" | "doc_title">
  & Partial<AttachmentMeta>;

export interface TaskList {
  tasks: Task[];
  page: Page;
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
