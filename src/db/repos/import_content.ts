import type { Store } from "../store.ts";
import { describeRuns } from "./runs.ts";
import { copyInto, q, shared } from "./import_source.ts";

/** SQL for `backlog import`: the content that hangs off mapped tasks and projects. */

/**
 * Plans (by ID; for a task matched by reference, also by its current title) with every version;
 * versions missing from a plan that already exists are added and its current version moved on.
 */
export async function copyPlans(db: Store): Promise<{ plans: number; versions: number }> {
  await db.run(
    q(
      db,
      `INSERT INTO temp.imp_plan (id)
     SELECT s.id FROM src.plans s JOIN temp.imp_task it ON it.src_id = s.task_id
     WHERE NOT EXISTS (SELECT 1 FROM main.plans d WHERE d.id = s.id)
       AND (it.created = 1 OR NOT EXISTS (
         SELECT 1 FROM main.plans d JOIN main.plan_versions dv ON dv.plan_id = d.id AND dv.version = d.current_version
         WHERE d.task_id = it.dst_id AND dv.title =
           (SELECT sv.title FROM src.plan_versions sv WHERE sv.plan_id = s.id AND sv.version = s.current_version)))`,
    ),
  );
  const plans = await copyInto(
    db,
    "plans",
    { task_id: "it.dst_id" },
    `FROM src.plans s
    JOIN temp.imp_plan ip ON ip.id = s.id JOIN temp.imp_task it ON it.src_id = s.task_id`,
  );
  const versions = await copyVersions(db, {
    parent: "plans",
    versions: "plan_versions",
    fk: "plan_id",
    scope: "JOIN temp.imp_task it ON it.src_id = sp.task_id",
  });
  return { plans, versions };
}

/** Comments by ID (and, on a task matched by reference, by body). */
export async function copyComments(db: Store): Promise<number> {
  return await copyInto(
    db,
    "comments",
    { task_id: "it.dst_id" },
    `FROM src.comments s
    JOIN temp.imp_task it ON it.src_id = s.task_id
    WHERE NOT EXISTS (SELECT 1 FROM main.comments d WHERE d.id = s.id)
      AND (it.created = 1 OR NOT EXISTS (SELECT 1 FROM main.comments d WHERE d.task_id = it.dst_id AND d.body = s.body))`,
  );
}

/**
 * Runs of the imported tasks, by ID. Claims are not carried over, so a run still open in the source
 * arrives expired (ended when its lease did).
 */
export async function copyRuns(db: Store): Promise<number> {
  if (!(await shared(db, "task_runs")).length) return 0;
  const open = "s.outcome = 'open'";
  const n = await copyInto(
    db,
    "task_runs",
    {
      task_id: "it.dst_id",
      outcome: `CASE WHEN ${open} THEN 'expired' ELSE s.outcome END`,
      ended_at: `CASE WHEN ${open} THEN COALESCE(s.lease_expires_at, s.started_at) ELSE s.ended_at END`,
    },
    `FROM src.task_runs s JOIN temp.imp_task it ON it.src_id = s.task_id
    WHERE NOT EXISTS (SELECT 1 FROM main.task_runs d WHERE d.id = s.id)`,
  );
  if (n) await describeRuns(db, q(db, "SELECT dst_id FROM temp.imp_task"));
  return n;
}

/**
 * Dependencies between imported tasks; of source edges that land on one pair, the earliest.
 * Returns the inserted (task_id, blocked_by) pairs.
 */
export async function copyDeps(db: Store): Promise<{ task_id: string; blocked_by: string }[]> {
  if (!(await shared(db, "task_deps")).length) return [];
  const before = new Set(
    (await db.all<{ k: string }>(q(db, "SELECT task_id || ' ' || blocked_by AS k FROM main.task_deps"))).map((
      r,
    ) => r.k),
  );
  await copyInto(
    db,
    "task_deps",
    { task_id: "a.dst_id", blocked_by: "b.dst_id" },
    `FROM src.task_deps s
    JOIN temp.imp_task a ON a.src_id = s.task_id JOIN temp.imp_task b ON b.src_id = s.blocked_by
    WHERE a.dst_id <> b.dst_id
      AND NOT EXISTS (SELECT 1 FROM main.task_deps d WHERE d.task_id = a.dst_id AND d.blocked_by = b.dst_id)
      AND NOT EXISTS (
        SELECT 1 FROM src.task_deps s2
        JOIN temp.imp_task a2 ON a2.src_id = s2.task_id JOIN temp.imp_task b2 ON b2.src_id = s2.blocked_by
        WHERE a2.dst_id = a.dst_id AND b2.dst_id = b.dst_id AND (s2.created_at < s.created_at
          OR (s2.created_at = s.created_at AND (s2.task_id < s.task_id
            OR (s2.task_id = s.task_id AND s2.blocked_by < s.blocked_by)))))`,
  );
  return (await db.all<{ task_id: string; blocked_by: string }>(
    q(db, "SELECT task_id, blocked_by FROM main.task_deps"),
  ))
    .filter((r) => !before.has(`${r.task_id} ${r.blocked_by}`));
}

/** Whether `from` can reach `to` through blocked_by edges. */
export async function depReaches(db: Store, from: string, to: string): Promise<boolean> {
  return !!await db.get(
    q(
      db,
      `WITH RECURSIVE reach(id) AS (SELECT CAST(?1 AS TEXT) UNION SELECT d.blocked_by FROM main.task_deps d JOIN reach r ON d.task_id = r.id)
     SELECT 1 AS x FROM reach WHERE id = ?2 LIMIT 1`,
    ),
    from,
    to,
  );
}

/** Removes one dependency edge. */
export async function deleteDep(db: Store, taskId: string, blockedBy: string): Promise<number> {
  return await db.run(
    q(db, "DELETE FROM main.task_deps WHERE task_id = ? AND blocked_by = ?"),
    taskId,
    blockedBy,
  );
}

/**
 * The versions of a versioned body (plans, docs) whose parent is in `scope` (a join on `sp`, the
 * source parent): each missing one is copied, then each parent's current version moves on to its
 * newest. Returns the number of versions copied.
 */
async function copyVersions(
  db: Store,
  t: { parent: string; versions: string; fk: string; scope: string },
): Promise<number> {
  const versions = await copyInto(
    db,
    t.versions,
    {},
    `FROM src.${t.versions} s
    JOIN src.${t.parent} sp ON sp.id = s.${t.fk} ${t.scope}
    WHERE EXISTS (SELECT 1 FROM main.${t.parent} d WHERE d.id = s.${t.fk})
      AND NOT EXISTS (SELECT 1 FROM main.${t.versions} d WHERE d.id = s.id)
      AND NOT EXISTS (SELECT 1 FROM main.${t.versions} d WHERE d.${t.fk} = s.${t.fk} AND d.version = s.version)`,
  );
  const newest = `(SELECT MAX(v.version) FROM main.${t.versions} v WHERE v.${t.fk} = ${t.parent}.id)`;
  await db.run(
    q(
      db,
      `UPDATE main.${t.parent} SET current_version = ${newest}
     WHERE id IN (SELECT sp.id FROM src.${t.parent} sp ${t.scope}) AND current_version < ${newest}`,
    ),
  );
  return versions;
}

/** Memory entries of the mapped projects, by ID. */
export async function copyMemory(db: Store): Promise<number> {
  return await copyInto(
    db,
    "project_memory",
    { project_id: "m.dst_id" },
    `FROM src.project_memory s
    JOIN temp.imp_project m ON m.src_id = s.project_id
    WHERE NOT EXISTS (SELECT 1 FROM main.project_memory d WHERE d.id = s.id)`,
  );
}

/** Docs of the mapped projects by ID, with every version (missing versions added to existing docs). */
export async function copyDocs(db: Store): Promise<{ docs: number; versions: number }> {
  const docs = await copyInto(
    db,
    "project_docs",
    { project_id: "m.dst_id" },
    `FROM src.project_docs s
    JOIN temp.imp_project m ON m.src_id = s.project_id
    WHERE NOT EXISTS (SELECT 1 FROM main.project_docs d WHERE d.id = s.id)`,
  );
  const versions = await copyVersions(db, {
    parent: "project_docs",
    versions: "project_doc_versions",
    fk: "doc_id",
    scope: "JOIN temp.imp_project m ON m.src_id = sp.project_id",
  });
  return { docs, versions };
}

/**
 * Attachments by ID: those linked to an imported task or to a doc of an imported project, plus
 * unlinked ones when the whole workspace is imported. Orphans of deleted tasks are left behind.
 */
export async function copyAttachments(db: Store, wholeWorkspace: boolean): Promise<number> {
  return await copyInto(
    db,
    "attachments",
    {
      linked_id:
        "CASE WHEN s.linked_type = 'task' THEN (SELECT it.dst_id FROM temp.imp_task it WHERE it.src_id = s.linked_id) ELSE s.linked_id END",
    },
    `FROM src.attachments s
    WHERE NOT EXISTS (SELECT 1 FROM main.attachments d WHERE d.id = s.id)
      AND ((s.linked_type = 'task' AND s.linked_id IN (SELECT src_id FROM temp.imp_task))
        OR (s.linked_type = 'doc' AND s.linked_id IN
          (SELECT sd.id FROM src.project_docs sd JOIN temp.imp_project m ON m.src_id = sd.project_id))
        OR (s.linked_type = '' AND ?1 = 1))`,
    wholeWorkspace ? 1 : 0,
  );
}

/** Name and MIME type of every source attachment now in the destination (to apply the upload rules). */
export async function importedAttachmentNames(
  db: Store,
): Promise<{ id: string; name: string; mime_type: string }[]> {
  return await db.all(
    q(
      db,
      "SELECT d.id, d.name, d.mime_type FROM main.attachments d WHERE d.id IN (SELECT id FROM src.attachments)",
    ),
  );
}

/** Rewrites an attachment's name and MIME type. */
export async function setAttachmentName(db: Store, id: string, name: string, mime: string): Promise<void> {
  await db.run(q(db, "UPDATE main.attachments SET name = ?, mime_type = ? WHERE id = ?"), name, mime, id);
}
