import { createHash } from "node:crypto";
import type { Store } from "../../db/store.ts";
import * as repo from "../../db/repos/import_peer.ts";
import type { PeerTask } from "./import_shape.ts";

/**
 * What a peer import last wrote into a task: a fingerprint per mapped field, label and plan. A
 * re-import compares the source now with the source then (not with the row, which local triage
 * may have changed), so an unchanged source field never overwrites a local edit and a changed one
 * updates exactly that field.
 */

export const MARKED_FIELDS = [
  "title",
  "description",
  "type",
  "status",
  "priority",
  "assignee",
  "archived",
] as const;
export type MarkedField = typeof MARKED_FIELDS[number];

export interface Mark {
  fields: Partial<Record<MarkedField, string>>;
  labels: string[];
  plans: Record<string, string>;
}

const fp = (v: unknown) =>
  createHash("sha256").update(JSON.stringify(v ?? null)).digest("base64").slice(0, 16);

/** The fingerprints of a mapped source task. */
export function markOf(t: PeerTask): Mark {
  const fields: Mark["fields"] = {};
  for (const f of MARKED_FIELDS) fields[f] = fp(f === "archived" ? !!t.archived : t[f]);
  return {
    fields,
    labels: [...t.labels].sort(),
    plans: Object.fromEntries(t.plans.map((p) => [p.title, fp(p.body)])),
  };
}

/** Whether the source's field differs from what the last import took (true when nothing was recorded). */
export function fieldMoved(last: Mark | undefined, now: Mark, f: MarkedField): boolean {
  return !last || last.fields[f] !== now.fields[f];
}

/** Whether the source's plan body differs from what the last import took. */
export function planMoved(last: Mark | undefined, title: string, body: string): boolean {
  return !last || last.plans[title] !== fp(body);
}

/** The mark recorded for a task (undefined for tasks imported before marks existed). */
export async function readMark(db: Store, taskId: string): Promise<Mark | undefined> {
  const raw = await repo.importMark(db, taskId);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Mark;
  } catch {
    return undefined;
  }
}

/** Records a mark, writing nothing when it is the one already recorded. */
export async function writeMark(db: Store, taskId: string, m: Mark, before?: Mark): Promise<void> {
  const text = JSON.stringify(m);
  if (before && JSON.stringify(before) === text) return;
  await repo.setImportMark(db, taskId, text);
}
