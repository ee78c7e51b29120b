import type { Dialect, Store } from "../store.ts";
import { binary, inJson } from "../sql.ts";
import type { Label, Task } from "../../domain/models.ts";
import { type LabelRow, toLabel } from "./labels.ts";

/** Label objects per task id for a batch of tasks, sorted by name (one query, no N+1). */
export async function labelsForTasks(db: Store, ids: string[]): Promise<Map<string, Label[]>> {
  const out = new Map<string, Label[]>();
  if (!ids.length) return out;
  const rows = await db.all<LabelRow & { task_id: string }>(
    `SELECT tl.task_id, l.id, l.project_id, l.name, l.color FROM task_labels tl JOIN labels l ON l.id = tl.label_id
     WHERE ${inJson(db.dialect, "tl.task_id")} ORDER BY ${binary(db.dialect, "l.name")}`,
    JSON.stringify(ids),
  );
  for (const r of rows) {
    const list = out.get(r.task_id) ?? [];
    list.push(toLabel(r));
    out.set(r.task_id, list);
  }
  return out;
}

/** Sets each task's labels (the original's label objects, sorted by name) with one query. Returns tasks. */
export async function withLabels(db: Store, tasks: Task[]): Promise<Task[]> {
  const labels = await labelsForTasks(db, tasks.map((t) => t.id));
  for (const t of tasks) {
    const l = labels.get(t.id);
    if (l) t.labels = l;
  }
  return tasks;
}

/**
 * The labels of the task whose id is `task` (an SQL expression) as JSON text, in the order withLabels
 * gives them: a statement that reads or writes a task returns its labels too (parseLabels reads them).
 */
export function labelsJson(d: Dialect, task: string): string {
  const from = `FROM task_labels tl JOIN labels l ON l.id = tl.label_id WHERE tl.task_id = ${task}`;
  const label = "'id', l.id, 'project_id', l.project_id, 'name', l.name, 'color', l.color";
  return d === "postgres"
    ? `(SELECT CAST(json_agg(json_build_object(${label}) ORDER BY ${binary(d, "l.name")}) AS TEXT) ${from})`
    : `(SELECT json_group_array(json_object(${label}) ORDER BY l.name) ${from})`;
}

/** The labels labelsJson read (undefined when the task has none, as withLabels leaves them). */
export function parseLabels(json: string | null | undefined): Label[] | undefined {
  if (!json) return undefined;
  const rows = JSON.parse(json) as LabelRow[];
  return rows.length ? rows.map(toLabel) : undefined;
}
