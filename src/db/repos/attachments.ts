import { ns, type Param, type Store } from "../store.ts";
import { limitOrAll } from "../sql.ts";
import type { Attachment, AttachmentMeta, LinkedType } from "../../domain/knowledge.ts";
import type { Actor } from "../../domain/actor.ts";

type AttachmentRow = {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  linked_type: string;
  linked_id: string;
  actor_kind: string;
  actor_name: string;
  created_at: number;
};

type MetaRow = AttachmentRow & {
  task_seq: number | null;
  task_title: string | null;
  doc_title: string | null;
  project_alias: string | null;
  project_name: string | null;
};

// Never `SELECT *`: the blob stays on disk unless the bytes are asked for.
const COLS =
  "a.id, a.name, a.mime_type, a.size, a.linked_type, a.linked_id, a.actor_kind, a.actor_name, a.created_at";

function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    name: r.name,
    mime_type: r.mime_type,
    size: r.size,
    linked_type: r.linked_type as LinkedType,
    linked_id: r.linked_id,
    actor: { kind: r.actor_kind as Actor["kind"], name: r.actor_name },
    created_at: r.created_at,
  };
}

function toMeta(r: MetaRow, withProject: boolean): AttachmentMeta {
  const m: AttachmentMeta = {
    ...toAttachment(r),
    task_seq: r.task_seq ?? 0,
    task_title: r.task_title ?? "",
    doc_title: r.doc_title ?? "",
  };
  if (withProject && r.project_alias) {
    m.project_alias = r.project_alias;
    m.project_name = r.project_name ?? "";
  }
  return m;
}

/** Inserts an attachment with its bytes. */
export async function insertAttachment(db: Store, a: Attachment, data: Uint8Array): Promise<void> {
  await db.run(
    `INSERT INTO attachments (id, name, mime_type, size, data, linked_type, linked_id, actor_kind, actor_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    a.id,
    a.name,
    a.mime_type,
    a.size,
    data,
    a.linked_type,
    a.linked_id,
    a.actor.kind,
    a.actor.name,
    ns(a.created_at),
  );
}

/** Metadata only. */
export async function getAttachment(db: Store, id: string): Promise<Attachment | undefined> {
  const r = await db.get<AttachmentRow>(`SELECT ${COLS} FROM attachments a WHERE a.id = ?`, id);
  return r && toAttachment(r);
}

/** The stored bytes. */
export async function getAttachmentData(db: Store, id: string): Promise<Uint8Array | undefined> {
  const r = await db.get<{ data: Uint8Array }>("SELECT data FROM attachments WHERE id = ?", id);
  return r?.data;
}

/** Attachments of one task or doc, newest first. */
export async function listLinked(
  db: Store,
  type: LinkedType,
  id: string,
  limit: number,
  offset: number,
): Promise<Attachment[]> {
  return (await db.all<AttachmentRow>(
    `SELECT ${COLS} FROM attachments a WHERE a.linked_type = ? AND a.linked_id = ?
     ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`,
    type,
    id,
    limitOrAll(limit),
    offset,
  )).map(toAttachment);
}

export async function countLinked(db: Store, type: LinkedType, id: string): Promise<number> {
  return (await db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM attachments WHERE linked_type = ? AND linked_id = ?",
    type,
    id,
  ))!.n;
}

// Task- and doc-linked attachments with what they hang off; dangling links are not listed.
const PROJECT_FROM = `FROM attachments a
  LEFT JOIN tasks t ON a.linked_type = 'task' AND t.id = a.linked_id
  LEFT JOIN project_docs d ON a.linked_type = 'doc' AND d.id = a.linked_id
  JOIN projects p ON p.id = COALESCE(t.project_id, d.project_id)`;

function projectWhere(projectId: string | undefined): { sql: string; params: Param[] } {
  return projectId ? { sql: "WHERE p.id = ?", params: [projectId] } : { sql: "", params: [] };
}

/** Attachments of a project's tasks and docs (or of every project), newest first. */
export async function listProjectAttachments(
  db: Store,
  projectId: string | undefined,
  limit: number,
  offset: number,
): Promise<AttachmentMeta[]> {
  const w = projectWhere(projectId);
  return (await db.all<MetaRow>(
    `SELECT ${COLS}, t.task_seq, t.title AS task_title, d.title AS doc_title,
       p.alias AS project_alias, p.name AS project_name
     ${PROJECT_FROM} ${w.sql} ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`,
    ...w.params,
    limitOrAll(limit),
    offset,
  )).map((r) => toMeta(r, !projectId));
}

export async function countProjectAttachments(db: Store, projectId: string | undefined): Promise<number> {
  const w = projectWhere(projectId);
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${PROJECT_FROM} ${w.sql}`, ...w.params))!.n;
}

export async function deleteAttachment(db: Store, id: string): Promise<number> {
  return await db.run("DELETE FROM attachments WHERE id = ?", id);
}

/** Deletes every attachment linked to one task or doc. */
export async function deleteLinked(db: Store, type: LinkedType, id: string): Promise<number> {
  return await db.run("DELETE FROM attachments WHERE linked_type = ? AND linked_id = ?", type, id);
}
