import { ns, type Store } from "../store.ts";
import { limitOrAll } from "../sql.ts";
import type { Plan, PlanVersion } from "../../domain/models.ts";
import type { Actor } from "../../domain/actor.ts";
import type { PlanWithTask } from "../../domain/views.ts";
export type { PlanWithTask };

type PlanRow = {
  id: string;
  task_id: string;
  current_version: number;
  source: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
};
type VersionRow = Omit<PlanVersion, "actor" | "change_note"> & {
  actor_kind: string;
  actor_name: string;
  change_note: string;
};

export const toPlan = (r: PlanRow): Plan => {
  const p: Plan = {
    id: r.id,
    task_id: r.task_id,
    current_version: r.current_version,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
  if (r.source) p.source = r.source;
  if (r.archived_at !== null) p.archived_at = r.archived_at;
  return p;
};

export const toPlanVersion = (r: VersionRow): PlanVersion => {
  const v: PlanVersion = {
    id: r.id,
    plan_id: r.plan_id,
    version: r.version,
    title: r.title,
    body: r.body,
    actor: { kind: r.actor_kind as Actor["kind"], name: r.actor_name },
    created_at: r.created_at,
  };
  if (r.change_note) v.change_note = r.change_note;
  return v;
};

/** The current version from a plan row joined with `v_`-prefixed plan_versions columns. */
function versionFromJoin(r: Record<string, unknown>): PlanVersion {
  return toPlanVersion({
    id: r.v_id as string,
    plan_id: r.id as string,
    version: r.v_version as number,
    title: r.v_title as string,
    body: r.v_body as string,
    actor_kind: r.v_actor_kind as string,
    actor_name: r.v_actor_name as string,
    change_note: r.v_change_note as string,
    created_at: r.v_created_at as number,
  });
}

export async function insertPlan(db: Store, p: Plan): Promise<void> {
  await db.run(
    `INSERT INTO plans (id, task_id, current_version, source, archived_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    p.id,
    p.task_id,
    p.current_version,
    p.source ?? "",
    ns(p.archived_at),
    ns(p.created_at),
    ns(p.updated_at),
  );
}

export async function insertPlanVersion(db: Store, v: PlanVersion): Promise<void> {
  await db.run(
    `INSERT INTO plan_versions (id, plan_id, version, title, body, actor_kind, actor_name, change_note, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    v.id,
    v.plan_id,
    v.version,
    v.title,
    v.body,
    v.actor.kind,
    v.actor.name,
    v.change_note ?? "",
    ns(v.created_at),
  );
}

export async function getPlan(db: Store, id: string): Promise<Plan | undefined> {
  const r = await db.get<PlanRow>("SELECT * FROM plans WHERE id = ?", id);
  return r && toPlan(r);
}

/** One version of a plan (0 = current). */
export async function getPlanVersion(
  db: Store,
  planId: string,
  version: number,
): Promise<PlanVersion | undefined> {
  const r = await db.get<VersionRow>(
    `SELECT * FROM plan_versions WHERE plan_id = ?1 AND version =
       CASE WHEN CAST(?2 AS BIGINT) > 0 THEN CAST(?2 AS BIGINT)
         ELSE (SELECT current_version FROM plans WHERE id = ?1) END`,
    planId,
    version,
  );
  return r && toPlanVersion(r);
}

/** Non-archived plans of a task with their current versions, oldest first. */
export async function listPlans(db: Store, taskId: string): Promise<Plan[]> {
  const rows = await db.all<PlanRow & { v_id: string } & Record<string, unknown>>(
    `SELECT p.*, v.id AS v_id, v.version AS v_version, v.title AS v_title, v.body AS v_body,
       v.actor_kind AS v_actor_kind, v.actor_name AS v_actor_name, v.change_note AS v_change_note,
       v.created_at AS v_created_at
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version
     WHERE p.task_id = ? AND p.archived_at IS NULL ORDER BY p.created_at, p.id`,
    taskId,
  );
  return rows.map((r) => ({
    ...toPlan(r),
    version: versionFromJoin(r),
  }));
}

/** Every version of a plan, oldest first. */
export async function planHistory(db: Store, planId: string): Promise<PlanVersion[]> {
  return (await db.all<VersionRow>("SELECT * FROM plan_versions WHERE plan_id = ? ORDER BY version", planId))
    .map(toPlanVersion);
}

/** Moves current_version forward by one; 0 rows when another writer got there first. */
export async function bumpPlanVersion(db: Store, id: string, from: number, now: number): Promise<number> {
  return await db.run(
    "UPDATE plans SET current_version = ?, updated_at = ? WHERE id = ? AND current_version = ?",
    from + 1,
    ns(now),
    id,
    from,
  );
}

export async function deletePlan(db: Store, id: string): Promise<number> {
  return await db.run("DELETE FROM plans WHERE id = ?", id);
}

const INDEX_FROM = `FROM plans p JOIN tasks t ON t.id = p.task_id JOIN projects pr ON pr.id = t.project_id
  JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version
  WHERE p.archived_at IS NULL AND t.archived_at IS NULL
    AND (?1 = '' AND pr.archived_at IS NULL OR t.project_id = ?1)`;

/** Current plans of non-archived tasks (of one project, or of every non-archived project), newest first. */
export async function listPlanIndex(
  db: Store,
  f: { project_id?: string; limit: number; offset: number },
): Promise<PlanWithTask[]> {
  const rows = await db.all<PlanRow & Record<string, unknown>>(
    `SELECT p.*, t.task_seq, t.title AS task_title, pr.alias AS project_alias, pr.name AS project_name,
       v.id AS v_id, v.version AS v_version, v.title AS v_title, v.body AS v_body,
       v.actor_kind AS v_actor_kind, v.actor_name AS v_actor_name, v.change_note AS v_change_note,
       v.created_at AS v_created_at
     ${INDEX_FROM} ORDER BY p.updated_at DESC, p.id DESC LIMIT ?2 OFFSET ?3`,
    f.project_id ?? "",
    limitOrAll(f.limit),
    f.offset,
  );
  return rows.map((r) => {
    const out: PlanWithTask = {
      ...toPlan(r),
      version: versionFromJoin(r),
      task_seq: r.task_seq as number,
      task_title: r.task_title as string,
    };
    if (!f.project_id) {
      out.project_alias = r.project_alias as string;
      out.project_name = r.project_name as string;
    }
    return out;
  });
}

/** How many plans listPlanIndex would return without a limit. */
export async function countPlanIndex(db: Store, f: { project_id?: string }): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${INDEX_FROM}`, f.project_id ?? ""))!.n;
}
