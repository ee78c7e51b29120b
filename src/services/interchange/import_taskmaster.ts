import type { TaskStatus } from "../../domain/enums.ts";
import {
  badInput,
  Body,
  dateAt,
  extraKeys,
  isObj,
  type Obj,
  type PeerBundle,
  type PeerTask,
  settleDangling,
} from "./import_shape.ts";

/**
 * Task Master (eyaltoledano/claude-task-master) `tasks.json` → PeerBundle: the legacy form
 * `{"tasks":[…]}` and the tagged form `{"<tag>":{"tasks":[…],"metadata":…}}`. Subtask
 * dependencies given as numbers name siblings (relative to the parent); `"5.2"` names another
 * task's subtask. A parent waits for its subtasks.
 */

/** Whether parsed JSON is a Task Master file (legacy or tagged). */
export function isTaskMaster(v: unknown): boolean {
  if (!isObj(v)) return false;
  // By shape, not by the validity of every id: a bad id is then reported where it is.
  if (Array.isArray(v.tasks)) return v.tasks.every((t) => isObj(t) && !("project" in t) && !("ref" in t));
  const tags = Object.values(v);
  return tags.length > 0 && tags.every((t) => isObj(t) && Array.isArray(t.tasks));
}

function isNumericId(id: unknown): boolean {
  return (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) ||
    (typeof id === "string" && /^\d{1,15}$/.test(id));
}

const STATUS: Record<string, { status: TaskStatus; label?: string }> = {
  pending: { status: "todo" },
  "in-progress": { status: "doing" },
  review: { status: "doing", label: "status:review" },
  done: { status: "done" },
  deferred: { status: "todo", label: "status:deferred" },
  cancelled: { status: "done", label: "status:cancelled" },
  blocked: { status: "todo", label: "status:blocked" },
};
const PRIORITY: Record<string, number> = { critical: 1, high: 2, medium: 3, low: 4 };
const KNOWN = [
  "id",
  "title",
  "description",
  "details",
  "testStrategy",
  "status",
  "priority",
  "dependencies",
  "subtasks",
  "createdAt",
  "updatedAt",
  // Structure the nesting already says (the CLI also writes a literal "undefined" parentId).
  "parentTaskId",
  "parentId",
];

/** Reads a parsed tasks.json. Raises invalid naming the file and the JSON path. */
export function readTaskMaster(v: unknown, file: string): PeerBundle {
  if (!isObj(v)) {
    throw badInput(file, 'expected a Task Master object ({"tasks":[…]} or {"<tag>":{"tasks":[…]}})');
  }
  const tags: [string, Obj][] = Array.isArray(v.tasks)
    ? [["master", v]]
    : Object.entries(v) as [string, Obj][];
  const b: PeerBundle = {
    format: "taskmaster",
    file,
    project: { alias: "taskmaster", name: "Task Master import" },
    tasks: [],
    docs: [],
    unplaced: 0,
  };
  const seen = new Set<string>();
  for (const [tag, block] of tags) {
    const at = Array.isArray(v.tasks) ? "tasks" : `${tag}.tasks`;
    if (!isObj(block) || !Array.isArray(block.tasks)) {
      throw badInput(file, "expected an array of tasks", { path: at });
    }
    const prefix = tag === "master" ? "" : `${tag}:`;
    block.tasks.forEach((t, i) => readTask(b, t, `${at}[${i}]`, prefix, tag, seen));
  }
  settleDangling(b);
  return b;
}

function str(o: Obj, k: string, file: string, at: string, required = false): string {
  const v = o[k];
  if (v === undefined || v === null) {
    if (required) throw badInput(file, "expected a string", { path: `${at}.${k}` });
    return "";
  }
  // A title is text; other fields may be written as numbers by hand-edited files.
  if (typeof v !== "string" && (typeof v !== "number" || k === "title")) {
    throw badInput(file, "expected a string", { path: `${at}.${k}` });
  }
  return String(v);
}

function depList(o: Obj, file: string, at: string): (string | number)[] {
  const d = o.dependencies ?? [];
  if (!Array.isArray(d) || !d.every((x) => typeof x === "string" || typeof x === "number")) {
    throw badInput(file, "expected an array of task ids", { path: `${at}.dependencies` });
  }
  return d as (string | number)[];
}

function base(b: PeerBundle, o: Obj, at: string, key: string, tag: string): PeerTask {
  const file = b.file;
  const title = str(o, "title", file, at, true).trim();
  if (!title) throw badInput(file, "expected a non-empty title", { path: `${at}.title` });
  const rawStatus = str(o, "status", file, at).trim().toLowerCase() || "pending";
  const st = STATUS[rawStatus] ?? { status: "todo" as TaskStatus, label: `status:${rawStatus}` };
  const rawPrio = str(o, "priority", file, at).trim().toLowerCase();
  const body = new Body(str(o, "description", file, at)).section(
    "Test Strategy",
    str(o, "testStrategy", file, at),
  );
  if (rawPrio && !PRIORITY[rawPrio]) body.other("priority", rawPrio);
  for (const [k, val] of extraKeys(o, KNOWN)) body.other(k, val);
  b.unplaced += body.unplaced;
  const details = str(o, "details", file, at).trim();
  const updated_at = dateAt(o.updatedAt, file, { path: `${at}.updatedAt` });
  const labels = st.label ? [st.label] : [];
  if (tag !== "master") labels.push(`tag:${tag}`);
  return {
    key,
    title,
    description: body.toString(),
    type: "task",
    status: st.status,
    priority: PRIORITY[rawPrio] ?? 3,
    assignee: "",
    labels,
    created_at: dateAt(o.createdAt, file, { path: `${at}.createdAt` }) ?? updated_at,
    updated_at,
    plans: details ? [{ title: "Details", body: details }] : [],
    comments: [],
    blocked_by: [],
  };
}

function readTask(
  b: PeerBundle,
  t: unknown,
  at: string,
  prefix: string,
  tag: string,
  seen: Set<string>,
): void {
  if (!isObj(t)) throw badInput(b.file, "expected a task object", { path: at });
  if (!isNumericId(t.id)) throw badInput(b.file, "expected an integer id", { path: `${at}.id` });
  const id = String(t.id);
  // Two tasks with one id would merge into one (the second overwriting the first): refuse.
  if (seen.has(`${prefix}${id}`)) throw badInput(b.file, `duplicate id ${id}`, { path: `${at}.id` });
  seen.add(`${prefix}${id}`);
  const task = base(b, t, at, `${prefix}${id}`, tag);
  task.blocked_by = depList(t, b.file, at).map((d) => `${prefix}${d}`);
  b.tasks.push(task);
  const subs = t.subtasks ?? [];
  if (!Array.isArray(subs)) throw badInput(b.file, "expected an array", { path: `${at}.subtasks` });
  const siblings = new Set(subs.map((s) => isObj(s) ? String(s.id) : ""));
  subs.forEach((s, j) => {
    const sat = `${at}.subtasks[${j}]`;
    if (!isObj(s)) throw badInput(b.file, "expected a subtask object", { path: sat });
    if (!isNumericId(s.id)) throw badInput(b.file, "expected an integer id", { path: `${sat}.id` });
    if (seen.has(`${prefix}${id}.${s.id}`)) {
      throw badInput(b.file, `duplicate id ${id}.${s.id}`, { path: `${sat}.id` });
    }
    seen.add(`${prefix}${id}.${s.id}`);
    const sub = base(b, s, sat, `${prefix}${id}.${s.id}`, tag);
    // A number names a sibling when one has that id, else a top-level task; "X.Y" is absolute.
    sub.blocked_by = depList(s, b.file, sat).map((d) => {
      const k = String(d);
      if (k.includes(".")) return `${prefix}${k}`;
      return siblings.has(k) ? `${prefix}${id}.${k}` : `${prefix}${k}`;
    });
    b.tasks.push(sub);
    task.blocked_by.push(sub.key);
  });
}
