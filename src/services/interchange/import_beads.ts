import type { TaskStatus, TaskType } from "../../domain/enums.ts";
import { locateJsonError } from "./json_text.ts";
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
 * beads (steveyegge/beads) `issues.jsonl` → PeerBundle: one issue per line. A `blocks` record
 * (`issue_id` waits on `depends_on_id`) becomes a dependency; a `parent-child` record points from
 * the child (`issue_id`) to its parent (`depends_on_id`), and the parent waits for the child.
 * Other link types have no home and are listed in the description.
 */

/** Whether the first non-empty line of a text is a beads issue (and the text is not one JSON value). */
export function isBeadsLine(line: string): boolean {
  try {
    const v = JSON.parse(line);
    return isObj(v) && typeof v.id === "string" && "title" in v &&
      ("issue_type" in v || "status" in v || "priority" in v);
  } catch {
    return false;
  }
}

const STATUS: Record<string, { status: TaskStatus; label?: string; archived?: boolean }> = {
  open: { status: "todo" },
  in_progress: { status: "doing" },
  closed: { status: "done" },
  blocked: { status: "todo", label: "status:blocked" },
  deferred: { status: "todo", label: "status:deferred" },
  pinned: { status: "todo", label: "status:pinned" },
  hooked: { status: "doing", label: "status:hooked" },
  tombstone: { status: "done", label: "status:tombstone", archived: true },
};
const TYPES: Record<string, TaskType> = {
  bug: "bug",
  feature: "feature",
  task: "task",
  chore: "chore",
  spike: "spike",
};
const BLOCKING = new Set(["blocks", "conditional-blocks", "waits-for"]);
const KNOWN = [
  "id",
  "title",
  "description",
  "design",
  "acceptance_criteria",
  "notes",
  "status",
  "priority",
  "issue_type",
  "assignee",
  "labels",
  "dependencies",
  "comments",
  "created_at",
  "updated_at",
  "closed_at",
];

/** Reads issues.jsonl text. Raises invalid naming the file, line and column. */
export function readBeads(text: string, file: string): PeerBundle {
  const b: PeerBundle = {
    format: "beads",
    file,
    project: { alias: "beads", name: "beads import" },
    tasks: [],
    docs: [],
    unplaced: 0,
  };
  const byKey = new Map<string, PeerTask>();
  const parents: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      const e = locateJsonError(line);
      throw badInput(file, `invalid JSON: ${e.reason}`, {
        line: i + 1,
        column: e.offset + 1 + raw.indexOf(line[0]),
      });
    }
    if (!isObj(v) || typeof v.id !== "string" || !v.id || typeof v.title !== "string") {
      throw badInput(file, 'expected one issue object per line with a string "id" and "title"', {
        line: i + 1,
      });
    }
    const t = toTask(b, v, i + 1, parents);
    if (byKey.has(t.key)) throw badInput(file, `duplicate issue id "${t.key}"`, { line: i + 1 });
    byKey.set(t.key, t);
    b.tasks.push(t);
  });
  for (const [parent, child] of parents) byKey.get(parent)?.blocked_by.push(child);
  settleDangling(b);
  return b;
}

function toTask(b: PeerBundle, v: Obj, line: number, parents: [string, string][]): PeerTask {
  const key = v.id as string;
  const date = (x: unknown, path: string) => dateAt(x, b.file, { line, path });
  const text = (k: string) => (typeof v[k] === "string" ? v[k] as string : "");
  const st = STATUS[text("status")] ??
    { status: "todo" as TaskStatus, label: `status:${text("status") || "open"}` };
  const rawType = text("issue_type");
  if (v.labels != null && (!Array.isArray(v.labels) || !v.labels.every((l) => typeof l === "string"))) {
    throw badInput(b.file, "labels: expected an array of strings", { line });
  }
  const labels = (v.labels ?? []) as string[];
  if (st.label && text("status")) labels.push(st.label);
  if (rawType && !TYPES[rawType]) labels.push(rawType === "epic" ? "epic" : `type:${rawType}`);
  const body = new Body(text("description")).section("Acceptance Criteria", text("acceptance_criteria"));
  const blocked_by: string[] = [];
  const deps = Array.isArray(v.dependencies) ? v.dependencies : [];
  for (const d of deps) {
    if (!isObj(d) || typeof d.depends_on_id !== "string") {
      throw badInput(b.file, "dependencies: expected objects with issue_id, depends_on_id and type", {
        line,
      });
    }
    const from = typeof d.issue_id === "string" && d.issue_id ? d.issue_id : key;
    const type = typeof d.type === "string" ? d.type : "blocks";
    if (BLOCKING.has(type) && from === key) blocked_by.push(d.depends_on_id);
    else if (type === "parent-child") parents.push([d.depends_on_id, from]);
    else body.other(`link ${type}`, `${from} → ${d.depends_on_id}`);
  }
  const prio = typeof v.priority === "number" && Number.isInteger(v.priority) ? v.priority : undefined;
  if (v.priority !== undefined && (prio === undefined || prio < 0 || prio > 4)) {
    body.other("priority", v.priority);
  }
  for (const [k, val] of extraKeys(v, KNOWN)) body.other(k, val);
  b.unplaced += body.unplaced;
  const comments: PeerTask["comments"] = [];
  if (text("notes").trim()) comments.push({ body: `Notes:\n\n${text("notes").trim()}` });
  for (const c of Array.isArray(v.comments) ? v.comments : []) {
    if (!isObj(c)) continue;
    const who = typeof c.author === "string" ? c.author : "";
    const body = String(c.text ?? c.body ?? "").trim();
    if (body) {
      comments.push({
        body: who ? `${who} wrote:\n\n${body}` : body,
        created_at: date(c.created_at, "comments[].created_at"),
      });
    }
  }
  const created_at = date(v.created_at, "created_at");
  const updated_at = date(v.updated_at, "updated_at");
  const closed_at = date(v.closed_at, "closed_at");
  return {
    key,
    title: (v.title as string).trim() || key,
    description: body.toString(),
    type: TYPES[rawType] ?? "task",
    status: st.status,
    priority: prio !== undefined && prio >= 0 && prio <= 4 ? prio + 1 : 3,
    assignee: text("assignee"),
    labels,
    created_at,
    updated_at: updated_at ?? created_at,
    completed_at: st.status === "done" ? closed_at ?? updated_at : undefined,
    archived: st.archived,
    plans: text("design").trim() ? [{ title: "Design", body: text("design").trim() }] : [],
    comments,
    blocked_by,
  };
}
