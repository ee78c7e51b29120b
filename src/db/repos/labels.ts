import type { Store } from "../store.ts";
import type { Label } from "../../domain/models.ts";
import { binary } from "../sql.ts";

export type LabelRow = { id: string; project_id: string; name: string; color: string };

/** A label row in the original's shape: `color` omitted when empty. */
export const toLabel = (r: LabelRow): Label => {
  const l: Label = { id: r.id, project_id: r.project_id, name: r.name };
  if (r.color) l.color = r.color;
  return l;
};

export async function getLabel(db: Store, projectId: string, name: string): Promise<Label | undefined> {
  const r = await db.get<LabelRow>("SELECT * FROM labels WHERE project_id = ? AND name = ?", projectId, name);
  return r && toLabel(r);
}

/** Whether a label ID is in use (in any project). */
export async function labelIdExists(db: Store, id: string): Promise<boolean> {
  return await db.get("SELECT 1 AS x FROM labels WHERE id = ?", id) !== undefined;
}

export async function insertLabel(db: Store, l: Label): Promise<void> {
  await db.run(
    "INSERT INTO labels (id, project_id, name, color) VALUES (?, ?, ?, ?)",
    l.id,
    l.project_id,
    l.name,
    l.color ?? "",
  );
}

export async function setLabelColor(db: Store, id: string, color: string): Promise<number> {
  return await db.run("UPDATE labels SET color = ? WHERE id = ?", color, id);
}

/** Labels of a project ordered by name. */
export async function listLabels(db: Store, projectId: string): Promise<Label[]> {
  return (await db.all<LabelRow>(
    `SELECT * FROM labels WHERE project_id = ? ORDER BY ${binary(db.dialect, "name")}`,
    projectId,
  )).map(toLabel);
}

/** Attaches a label to a task; returns 0 when it was already attached. */
export async function attachLabel(db: Store, taskId: string, labelId: string): Promise<number> {
  return await db.run(
    "INSERT INTO task_labels (task_id, label_id) VALUES (?, ?) ON CONFLICT (task_id, label_id) DO NOTHING",
    taskId,
    labelId,
  );
}

export async function detachLabel(db: Store, taskId: string, labelId: string): Promise<number> {
  return await db.run("DELETE FROM task_labels WHERE task_id = ? AND label_id = ?", taskId, labelId);
}

/** IDs of the tasks a label is attached to. */
export async function tasksWithLabel(db: Store, labelId: string): Promise<string[]> {
  return (await db.all<{ task_id: string }>("SELECT task_id FROM task_labels WHERE label_id = ?", labelId))
    .map((r) => r.task_id);
}

/** Deletes a label; FKs remove it from every task. */
export async function deleteLabel(db: Store, id: string): Promise<number> {
  return await db.run("DELETE FROM labels WHERE id = ?", id);
}
