import { ns, type Param, type Store } from "../store.ts";
import { limitOrAll } from "../sql.ts";
import type { Doc, DocVersion } from "../../domain/knowledge.ts";
import type { Actor } from "../../domain/actor.ts";

type DocRow = {
  id: string;
  project_id: string;
  title: string;
  current_version: number;
  actor_kind: string;
  actor_name: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  p_alias?: string;
  p_name?: string;
};

type VersionRow = Omit<DocVersion, "actor" | "change_note"> & {
  actor_kind: string;
  actor_name: string;
  change_note: string;
};

/** Maps a row in the original's field order (project only in cross-project lists). */
function toDoc(r: DocRow): Doc {
  const d = { id: r.id, project_id: r.project_id } as Doc;
  if (r.p_alias !== undefined) d.project = { id: r.project_id, alias: r.p_alias, name: r.p_name ?? "" };
  d.title = r.title;
  d.current_version = r.current_version;
  d.actor = { kind: r.actor_kind as Actor["kind"], name: r.actor_name };
  if (r.archived_at !== null) d.archived_at = r.archived_at;
  d.created_at = r.created_at;
  d.updated_at = r.updated_at;
  return d;
}

function toVersion(r: VersionRow): DocVersion {
  const v = { id: r.id, doc_id: r.doc_id, version: r.version, title: r.title, body: r.body } as DocVersion;
  v.actor = { kind: r.actor_kind as Actor["kind"], name: r.actor_name };
  if (r.change_note) v.change_note = r.change_note;
  v.created_at = r.created_at;
  return v;
}

export async function insertDoc(db: Store, d: Doc): Promise<void> {
  await db.run(
    `INSERT INTO project_docs (id, project_id, title, current_version, actor_kind, actor_name, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    d.id,
    d.project_id,
    d.title,
    d.current_version,
    d.actor.kind,
    d.actor.name,
    ns(d.created_at),
    ns(d.updated_at),
  );
}

export async function insertDocVersion(db: Store, v: DocVersion): Promise<void> {
  await db.run(
    `INSERT INTO project_doc_versions (id, doc_id, version, title, body, actor_kind, actor_name, change_note, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    v.id,
    v.doc_id,
    v.version,
    v.title,
    v.body,
    v.actor.kind,
    v.actor.name,
    v.change_note ?? "",
    ns(v.created_at),
  );
}

export async function getDoc(db: Store, id: string): Promise<Doc | undefined> {
  const r = await db.get<DocRow>("SELECT * FROM project_docs WHERE id = ?", id);
  return r && toDoc(r);
}

/** One version of a doc (0 = current). */
export async function getDocVersion(
  db: Store,
  docId: string,
  version: number,
): Promise<DocVersion | undefined> {
  const r = await db.get<VersionRow>(
    `SELECT * FROM project_doc_versions WHERE doc_id = ?1 AND version =
       CASE WHEN CAST(?2 AS BIGINT) > 0 THEN CAST(?2 AS BIGINT)
         ELSE (SELECT current_version FROM project_docs WHERE id = ?1) END`,
    docId,
    version,
  );
  return r && toVersion(r);
}

/** Every version, oldest first. */
export async function docHistory(db: Store, docId: string): Promise<DocVersion[]> {
  return (await db.all<VersionRow>(
    "SELECT * FROM project_doc_versions WHERE doc_id = ? ORDER BY version",
    docId,
  ))
    .map(toVersion);
}

/** Moves current_version forward by one (and sets the title); 0 rows when another writer got there first. */
export async function bumpDocVersion(
  db: Store,
  id: string,
  from: number,
  title: string,
  now: number,
): Promise<number> {
  return await db.run(
    "UPDATE project_docs SET current_version = ?, title = ?, updated_at = ? WHERE id = ? AND current_version = ?",
    from + 1,
    title,
    ns(now),
    id,
    from,
  );
}

export async function deleteDoc(db: Store, id: string): Promise<number> {
  return await db.run("DELETE FROM project_docs WHERE id = ?", id);
}

function where(projectId: string | undefined): { sql: string; params: Param[] } {
  return projectId
    ? { sql: "WHERE d.project_id = ? AND d.archived_at IS NULL", params: [projectId] }
    : { sql: "WHERE p.archived_at IS NULL AND d.archived_at IS NULL", params: [] };
}

/** Non-archived docs, most recently updated first; without a project, across non-archived projects. */
export async function listDocs(
  db: Store,
  projectId: string | undefined,
  limit: number,
  offset: number,
): Promise<Doc[]> {
  const w = where(projectId);
  const cols = projectId ? "d.*" : "d.*, p.alias AS p_alias, p.name AS p_name";
  return (await db.all<DocRow>(
    `SELECT ${cols} FROM project_docs d JOIN projects p ON p.id = d.project_id ${w.sql}
     ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?`,
    ...w.params,
    limitOrAll(limit),
    offset,
  )).map(toDoc);
}

export async function countDocs(db: Store, projectId: string | undefined): Promise<number> {
  const w = where(projectId);
  return (await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM project_docs d JOIN projects p ON p.id = d.project_id ${w.sql}`,
    ...w.params,
  ))!.n;
}
