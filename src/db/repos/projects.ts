import { ns, type Param, type Store } from "../store.ts";
import { binary } from "../sql.ts";
import { openAncestors, recount, recountBlockers } from "./rank.ts";
import { describeRuns } from "./runs.ts";
import type { Project } from "../../domain/models.ts";

type ProjectRow = Omit<Project, "archived_at"> & { archived_at: number | null };

export function toProject(r: ProjectRow): Project {
  const p: Project = {
    id: r.id,
    alias: r.alias,
    name: r.name,
    description: r.description,
    repo_path: r.repo_path,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
  if (r.archived_at !== null) p.archived_at = r.archived_at;
  return p;
}

/** Inserts a project. */
export async function insertProject(db: Store, p: Project): Promise<void> {
  await db.run(
    `INSERT INTO projects (id, alias, name, description, repo_path, archived_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    p.id,
    p.alias,
    p.name,
    p.description,
    p.repo_path,
    ns(p.archived_at),
    ns(p.created_at),
    ns(p.updated_at),
  );
}

export async function getProjectByAlias(db: Store, alias: string): Promise<Project | undefined> {
  const r = await db.get<ProjectRow>("SELECT * FROM projects WHERE alias = ?", alias);
  return r && toProject(r);
}

export async function getProjectById(db: Store, id: string): Promise<Project | undefined> {
  const r = await db.get<ProjectRow>("SELECT * FROM projects WHERE id = ?", id);
  return r && toProject(r);
}

/** Projects ordered by name (archived ones only when asked). */
export async function listProjects(db: Store, includeArchived: boolean): Promise<Project[]> {
  return (await db.all<ProjectRow>(
    `SELECT * FROM projects ${includeArchived ? "" : "WHERE archived_at IS NULL"}
     ORDER BY ${binary(db.dialect, "name")}, ${binary(db.dialect, "alias")}`,
  )).map(toProject);
}

export type ProjectPatch = Partial<Pick<Project, "name" | "description" | "repo_path">>;

/** Writes only the given fields (and updated_at). */
export async function updateProject(
  db: Store,
  id: string,
  patch: ProjectPatch,
  now: number,
): Promise<number> {
  const sets: string[] = [];
  const params: Param[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    sets.push(`${k} = ?`);
    params.push(v);
  }
  sets.push("updated_at = ?");
  params.push(ns(now));
  return await db.run(`UPDATE projects SET ${sets.join(", ")} WHERE id = ?`, ...params, id);
}

/** Sets or clears archived_at (and bumps updated_at). */
export async function setProjectArchived(
  db: Store,
  id: string,
  at: number | null,
  now: number,
): Promise<number> {
  return await db.run(
    "UPDATE projects SET archived_at = ?, updated_at = ? WHERE id = ?",
    ns(at),
    ns(now),
    id,
  );
}

/** Deletes the attachments linked to a project's tasks or docs (they have no FK to cascade). */
export async function deleteProjectAttachments(db: Store, projectId: string): Promise<number> {
  return await db.run(
    `DELETE FROM attachments WHERE
       (linked_type = 'task' AND linked_id IN (SELECT id FROM tasks WHERE project_id = ?1)) OR
       (linked_type = 'doc' AND linked_id IN (SELECT id FROM project_docs WHERE project_id = ?1))`,
    projectId,
  );
}

/** Hard-deletes a project; FKs cascade to its tasks, labels, memory and docs. */
export async function deleteProject(db: Store, id: string): Promise<number> {
  // Tasks of other projects may wait on this project's tasks: their rankings shrink.
  const ids = (await db.all<{ id: string }>("SELECT id FROM tasks WHERE project_id = ?", id)).map((r) =>
    r.id
  );
  const upstream = await openAncestors(db, ids);
  const waiting = (await db.all<{ id: string }>(
    `SELECT DISTINCT d.task_id AS id FROM task_deps d JOIN tasks b ON b.id = d.blocked_by
     WHERE b.project_id = ?`,
    id,
  )).map((r) => r.id);
  await describeRuns(db, "SELECT id FROM tasks WHERE project_id = ?", id); // runs outlive their tasks
  const n = await db.run("DELETE FROM projects WHERE id = ?", id);
  await recount(db, upstream);
  await recountBlockers(db, waiting);
  return n;
}
