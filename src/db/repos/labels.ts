import type { Db } from "../connection.ts";
import type { Label } from "../../domain/models.ts";

export type LabelRow = { id: string; project_id: string; name: string; color: string };

/** A label row in the original's shape: `color` omitted when empty. */
export const toLabel = (r: LabelRow): Label => {
  const l: Label = { id: r.id, project_id: r.project_id, name: r.name };
  if (r.color) l.color = r.color;
  return l;
};

export function getLabel(db: Db, projectId: string, name: string): Label | undefined {
  const r = db.get<LabelRow>("SELECT * FROM labels WHERE project_id = ? AND name = ?", projectId, name);
  return r && toLabel(r);
}

/** Whether a label ID is in use (in any project). */
export function labelIdExists(db: Db, id: string): boolean {
  return db.get("SELECT 1 AS x FROM labels WHERE id = ?", id) !== undefined;
}

export function insertLabel(db: Db, l: Label): void {
  db.run(
    "INSERT INTO labels (id, project_id, name, color) VALUES (?, ?, ?, ?)",
    l.id,
    l.project_id,
    l.name,
    l.color ?? "",
  );
}

export function setLabelColor(db: Db, id: string, color: string): number {
  return db.run("UPDATE labels SET color = ? WHERE id = ?", color, id);
}

/** Labels of a project ordered by name. */
export function listLabels(db: Db, projectId: string): Label[] {
  return db.all<LabelRow>("SELECT * FROM labels WHERE project_id = ? ORDER BY name", projectId).map(
    toLabel,
  );
}

/** Attaches a label to a task; returns 0 when it was already attached. */
export function attachLabel(db: Db, taskId: string, labelId: string): number {
  return db.run("INSERT OR IGNORE INTO task_labels (task_id, label_id) VALUES (?, ?)", taskId, labelId);
}

export function detachLabel(db: Db, taskId: string, labelId: string): number {
  return db.run("DELETE FROM task_labels WHERE task_id = ? AND label_id = ?", taskId, labelId);
}

/** IDs of the tasks a label is attached to. */
export function tasksWithLabel(db: Db, labelId: string): string[] {
  return db.all<{ task_id: string }>("SELECT task_id FROM task_labels WHERE label_id = ?", labelId).map((r) =>
    r.task_id
  );
}

/** Deletes a label; FKs remove it from every task. */
export function deleteLabel(db: Db, id: string): number {
  return db.run("DELETE FROM labels WHERE id = ?", id);
}
