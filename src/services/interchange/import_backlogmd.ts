import { load } from "js-yaml";
import { quoteInput } from "../../domain/quote.ts";
import { escapeControls } from "../../domain/text.ts";
import type { TaskStatus, TaskType } from "../../domain/enums.ts";
import {
  addOther,
  aliasFrom,
  badInput,
  Body,
  dateAt,
  extraKeys,
  type FileSet,
  type PeerBundle,
  type PeerDoc,
  type PeerTask,
  settleDangling,
  toNs,
} from "./import_shape.ts";

/**
 * Backlog.md (MrLesk/Backlog.md) → PeerBundle. A project is a `backlog/` folder: `config.yml`,
 * `tasks/`, `completed/`, `archive/tasks/`, `drafts/` (markdown with YAML front matter and
 * `## …` body sections) and `docs/`, `decisions/`, `milestones/` (docs). See README
 * "Importing from other tools" for the field mapping.
 */

const FOLDERS = ["tasks", "completed", "archive", "drafts", "docs", "decisions", "milestones"];

/** Whether a file set looks like a Backlog.md project (by content: config.yml or task files). */
export function isBacklogMd(files: FileSet): boolean {
  return rootOf(files) !== undefined;
}

/** The folder prefix holding config.yml / tasks/ (e.g. `backlog/`, `repo/backlog/`, or ``). */
function rootOf(files: FileSet): string | undefined {
  let best: string | undefined;
  for (const p of files.keys()) {
    const segs = p.split("/");
    for (let i = 0; i < segs.length; i++) {
      const isConfig = i === segs.length - 1 && segs[i] === "config.yml";
      const isFolder = i < segs.length - 1 && FOLDERS.includes(segs[i]) && p.endsWith(".md");
      if (!isConfig && !isFolder) continue;
      const root = segs.slice(0, i).join("/");
      const prefix = root ? `${root}/` : "";
      if (best === undefined || prefix.length < best.length) best = prefix;
      break;
    }
  }
  return best;
}

interface Md {
  file: string;
  front: Record<string, unknown>;
  body: string;
}

/** Splits a markdown file into its YAML front matter and body. Raises invalid (file:line:column). */
function splitFront(file: string, text: string): Md {
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  if (!src.startsWith("---\n")) {
    throw badInput(file, "expected YAML front matter starting with a '---' line", { line: 1, column: 1 });
  }
  const end = src.indexOf("\n---", 3);
  if (end < 0) throw badInput(file, "expected a closing '---' line after the front matter", { line: 1 });
  const front =
    yaml(src.slice(4, end + 1), file, "invalid YAML front matter (expected `key: value` lines)", 1) ?? {};
  if (typeof front !== "object" || Array.isArray(front)) {
    throw badInput(file, "expected the front matter to be a mapping of fields", { line: 2 });
  }
  const after = src.indexOf("\n", end + 4);
  return { file, front: front as Record<string, unknown>, body: after < 0 ? "" : src.slice(after + 1) };
}

/** Front matter and config.yml are a few fields; bigger YAML is not a Backlog.md task (and would be slow to read). */
const MAX_FRONT_BYTES = 64 * 1024;

/**
 * Parses YAML (js-yaml: plain data, dates stay strings). Aliases (`*name`) are refused: Backlog.md
 * never writes them and nested ones expand exponentially (an "alias bomb"). Raises invalid at
 * file:line:column.
 */
function yaml(text: string, file: string, what: string, lineOffset: number): unknown {
  if (new TextEncoder().encode(text).length > MAX_FRONT_BYTES) {
    throw badInput(file, `${what}: exceeds ${MAX_FRONT_BYTES} bytes`, { line: 1 + lineOffset });
  }
  try {
    return load(text, { maxAliases: 0 });
  } catch (err) {
    const e = err as { reason?: string; message: string; mark?: { line: number; column: number } };
    const raw = e.reason ?? e.message.split("\n")[0];
    const reason = /maxAliases/.test(raw) ? "YAML aliases (*name) are not supported" : raw;
    throw badInput(file, `${what}: ${reason}`, {
      line: e.mark ? e.mark.line + 1 + lineOffset : undefined,
      column: e.mark ? e.mark.column + 1 : undefined,
    });
  }
}

/** `## Heading` sections of a body, markers (`<!-- …:BEGIN -->`) removed. */
function sections(body: string): { heading: string; text: string }[] {
  const out: { heading: string; text: string }[] = [];
  let cur = { heading: "", lines: [] as string[] };
  const flush = () => {
    const text = cur.lines.filter((l) => !/^<!-- [A-Z_:]+:(BEGIN|END) -->$/.test(l.trim())).join("\n").trim();
    if (cur.heading || text) out.push({ heading: cur.heading, text });
  };
  for (const line of body.split("\n")) {
    const m = /^## (.+?)\s*$/.exec(line);
    if (m) (flush(), cur = { heading: m[1], lines: [] });
    else cur.lines.push(line);
  }
  flush();
  return out;
}

/** Comments block entries: `author: X`, `created: Y`, `---`, text, `---`. */
function parseComments(text: string): { body: string; created_at?: number }[] {
  const out: { body: string; created_at?: number }[] = [];
  const re = /(?:^|\n)author: *(.*)\ncreated: *(.*)\n---\n([\s\S]*?)\n---(?=\n|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const who = m[1].trim();
    out.push({ body: who ? `${who} wrote:\n\n${m[3].trim()}` : m[3].trim(), created_at: toNs(m[2]) });
  }
  if (!out.length && text.trim()) out.push({ body: text.trim() });
  return out;
}

const TYPES: Record<string, TaskType> = {
  bug: "bug",
  feature: "feature",
  enhancement: "improvement",
  improvement: "improvement",
  task: "task",
  chore: "chore",
  spike: "spike",
};
const PRIORITIES: Record<string, number> = { critical: 1, high: 2, medium: 3, low: 4 };
const KNOWN = [
  "id",
  "title",
  "status",
  "assignee",
  "labels",
  "dependencies",
  "priority",
  "type",
  "created_date",
  "updated_date",
  "parent_task_id",
  "parent",
];

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x ?? "").trim()).filter(Boolean);
  return typeof v === "string" && v.trim() ? v.split(",").map((x) => x.trim()).filter(Boolean) : [];
}

function statusOf(raw: string, statuses: string[]): { status: TaskStatus; label?: string } {
  const s = raw.trim().toLowerCase();
  const first = (statuses[0] ?? "To Do").toLowerCase();
  const last = (statuses[statuses.length - 1] ?? "Done").toLowerCase();
  if (!s || s === first || s === "to do" || s === "draft") return { status: "todo" };
  if (s === last || s === "done") return { status: "done" };
  return { status: "doing", label: s === "in progress" ? undefined : `status:${aliasFrom(s, "other")}` };
}

function toTask(
  md: Md,
  where: string,
  statuses: string[],
  archived: boolean,
): PeerTask & { parent?: string } {
  const f = md.front;
  const key = String(f.id ?? "").trim();
  const title = String(f.title ?? "").trim();
  if (!key) throw badInput(md.file, "expected an `id` in the front matter", { line: 2 });
  if (!title) throw badInput(md.file, "expected a `title` in the front matter", { line: 2 });
  const st = statusOf(where === "drafts" ? "" : String(f.status ?? ""), statuses);
  const labels = list(f.labels);
  if (st.label) labels.push(st.label);
  if (where === "drafts") labels.push("draft");
  const assignees = list(f.assignee).map((a) => a.replace(/^@/, ""));
  const rawType = String(f.type ?? "").trim().toLowerCase();
  const body = new Body();
  const plans: PeerTask["plans"] = [];
  const comments: PeerTask["comments"] = [];
  for (const s of sections(md.body)) {
    const h = s.heading.toLowerCase();
    if (h === "description" || h === "") body.section("Description", s.text);
    else if (h === "implementation plan") {
      s.text && plans.push({ title: "Implementation Plan", body: s.text });
    } else if (h === "implementation notes") {
      s.text && comments.push({ body: `Implementation notes:\n\n${s.text}` });
    } else if (h === "comments") comments.push(...parseComments(s.text));
    else if (["acceptance criteria", "definition of done", "final summary"].includes(h)) {
      body.section(s.heading, s.text);
    } else body.other(`section "${s.heading}"`, s.text);
  }
  if (rawType && !TYPES[rawType]) body.other("type", rawType);
  if (assignees.length > 1) body.other("other assignees", assignees.slice(1).join(", "));
  if (f.priority && !PRIORITIES[String(f.priority).toLowerCase()]) body.other("priority", f.priority);
  for (const [k, v] of extraKeys(f, KNOWN)) body.other(k, v);
  const parent = String(f.parent_task_id ?? f.parent ?? "").trim() || undefined;
  const description = body.toString().replace(/^## Description\n\n/, "");
  // Front-matter lines are not tracked one by one: the error names the file and the field.
  const created_at = dateAt(f.created_date, md.file, { line: 2, path: "created_date" });
  const updated_at = dateAt(f.updated_date, md.file, { line: 2, path: "updated_date" });
  return {
    key,
    title,
    description,
    type: TYPES[rawType] ?? "task",
    status: st.status,
    priority: PRIORITIES[String(f.priority ?? "").toLowerCase()] ?? 3,
    assignee: assignees[0] ?? "",
    labels,
    created_at,
    updated_at: updated_at ?? created_at,
    completed_at: st.status === "done" ? updated_at ?? created_at : undefined,
    archived,
    plans,
    comments,
    blocked_by: list(f.dependencies),
    parent,
    unplaced: body.unplaced,
  } as PeerTask & { parent?: string; unplaced: number };
}

function toDoc(md: Md, kind: "docs" | "decisions" | "milestones"): PeerDoc {
  const f = md.front;
  const title = String(f.title ?? f.id ?? md.file.split("/").pop()!.replace(/\.md$/, "")).trim();
  const meta = extraKeys(f, ["id", "title"]).map(([k, v]) =>
    `- ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`
  );
  const prefix = kind === "decisions" ? "Decision: " : kind === "milestones" ? "Milestone: " : "";
  const body = [meta.join("\n"), md.body.trim()].filter(Boolean).join("\n\n");
  return { title: `${prefix}${title}`, body };
}

/** Reads a Backlog.md project from a file set. Raises invalid naming the file, line and column. */
export function readBacklogMd(files: FileSet, name: string): PeerBundle {
  const root = rootOf(files);
  if (root === undefined) throw badInput(name, "expected a Backlog.md folder (config.yml, tasks/)");
  let statuses = ["To Do", "In Progress", "Done"];
  let projectName = "";
  const config = files.get(`${root}config.yml`);
  if (config !== undefined) {
    const c = (yaml(config, `${name}/${root}config.yml`, "invalid YAML", 0) ?? {}) as Record<string, unknown>;
    if (Array.isArray(c.statuses) && c.statuses.length) statuses = c.statuses.map(String);
    projectName = String(c.project_name ?? c.projectName ?? "");
  }
  const b: PeerBundle = {
    format: "backlog.md",
    file: name,
    project: { alias: aliasFrom(projectName, "backlog-md"), name: projectName || "Backlog.md import" },
    tasks: [],
    docs: [],
    unplaced: 0,
  };
  const parents: [string, string][] = [];
  const fileOf = new Map<string, string>();
  for (const path of [...files.keys()].sort()) {
    if (!path.startsWith(root) || !path.endsWith(".md")) continue;
    const rel = path.slice(root.length);
    const seg = rel.split("/");
    const archived = seg[0] === "archive";
    const where = archived ? seg[1] : seg[0];
    if (!FOLDERS.includes(where) || where === "archive" || seg.length < (archived ? 3 : 2)) continue;
    const md = splitFront(`${name}/${path}`, files.get(path)!);
    if (where === "docs" || where === "decisions" || where === "milestones") {
      b.docs.push(toDoc(md, where));
      continue;
    }
    const t = toTask(md, where, statuses, archived) as PeerTask & { parent?: string; unplaced: number };
    // Two files with one id would take turns overwriting the task on every import: refuse.
    const other = fileOf.get(t.key.toUpperCase());
    if (other) {
      throw badInput(md.file, `duplicate id ${quoteInput(t.key)} (also in ${escapeControls(other)})`, {
        line: 2,
      });
    }
    fileOf.set(t.key.toUpperCase(), path);
    b.unplaced += t.unplaced;
    if (t.parent) parents.push([t.parent, t.key]);
    const { parent: _p, unplaced: _u, ...task } = t;
    b.tasks.push(task);
  }
  b.tasks.sort((x, y) => x.key.localeCompare(y.key, "en", { numeric: true }));
  // A parent waits for its subtasks.
  const byKey = new Map(b.tasks.map((t) => [t.key.toUpperCase(), t]));
  for (const [parent, child] of parents) {
    const p = byKey.get(parent.toUpperCase());
    if (p) p.blocked_by.push(child);
    else addOther(b, byKey.get(child.toUpperCase())!, `parent_task_id (not in this import): ${parent}`);
  }
  for (const t of b.tasks) t.blocked_by = t.blocked_by.map((k) => byKey.get(k.toUpperCase())?.key ?? k);
  settleDangling(b);
  return b;
}
