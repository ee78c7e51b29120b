import type { Actor } from "./actor.ts";
import type { ProjectRef } from "./models.ts";

/** Wire shapes of project knowledge (memory, docs, attachments): snake_case, optional = omitted when empty. */

/** A mutable, unversioned, tagged note on a project. */
export interface Memory {
  id: string;
  project_id: string;
  /** Set in cross-project listings. */
  project?: ProjectRef;
  body: string;
  /** Comma-separated, trimmed. */
  tags?: string;
  actor: Actor;
  created_at: number;
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

/** A versioned markdown document on a project. */
export interface Doc {
  id: string;
  project_id: string;
  project?: ProjectRef;
  title: string;
  current_version: number;
  actor: Actor;
  archived_at?: number;
  created_at: number;
  updated_at: number;
  version?: DocVersion;
}

export type LinkedType = "" | "task" | "doc";

/** Attachment metadata (the bytes travel separately). */
export interface Attachment {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  linked_type: LinkedType;
  linked_id: string;
  actor: Actor;
  created_at: number;
}

/** Project-level attachment listing: the metadata plus what it is linked to. */
export interface AttachmentMeta extends Attachment {
  task_seq: number;
  task_title: string;
  doc_title: string;
  project_alias?: string;
  project_name?: string;
}
