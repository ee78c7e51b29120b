import type { TaskType } from "../../domain/enums.ts";
import {
  aliasFrom,
  badInput,
  Body,
  dateAt,
  extraKeys,
  isObj,
  type Obj,
  type PeerBundle,
  type PeerTask,
} from "./import_shape.ts";

/**
 * GitHub issues as written by `gh issue list --state all --json
 * number,title,body,state,labels,assignees,createdAt,updatedAt,closedAt,url,comments` → PeerBundle.
 * The issue URL is the key; labels stay labels (and `bug`/`enhancement`/`P0`–`P4`/`priority: …`
 * also set the type or priority).
 */

/** Whether parsed JSON is a `gh issue list --json` array. */
export function isGitHubIssues(v: unknown): boolean {
  // By shape (the first issue's keys), so a bad later element is reported where it is.
  return Array.isArray(v) && v.length > 0 && isObj(v[0]) && "number" in v[0] && "title" in v[0];
}

const TYPE_LABELS: Record<string, TaskType> = {
  bug: "bug",
  enhancement: "improvement",
  feature: "feature",
  chore: "chore",
  security: "vulnerability",
};
const PRIORITY_WORDS: Record<string, number> = { critical: 1, urgent: 1, high: 2, medium: 3, low: 4 };
const KNOWN = [
  "number",
  "title",
  "body",
  "state",
  "labels",
  "assignees",
  "createdAt",
  "updatedAt",
  "closedAt",
  "url",
  "comments",
];

function priorityOf(labels: string[]): number | undefined {
  for (const l of labels) {
    const s = l.toLowerCase().trim();
    const p = /^p([0-4])$/.exec(s);
    if (p) return Number(p[1]) + 1;
    const w = /^priority[:/ -]*\s*(\w+)$/.exec(s);
    if (w && PRIORITY_WORDS[w[1]]) return PRIORITY_WORDS[w[1]];
  }
  return undefined;
}

const names = (v: unknown, k: string): string[] =>
  Array.isArray(v) ? v.map((x) => isObj(x) ? String(x[k] ?? "") : String(x ?? "")).filter(Boolean) : [];

/** Reads a parsed `gh issue list --json` array. Raises invalid naming the file and the element. */
export function readGitHub(v: unknown, file: string): PeerBundle {
  if (!Array.isArray(v)) throw badInput(file, "expected a JSON array of issues (gh issue list --json …)");
  const first = v.find((x) => isObj(x) && typeof x.url === "string") as Obj | undefined;
  const repo = /github\.com\/([^/]+)\/([^/]+)\//.exec(String(first?.url ?? ""));
  const b: PeerBundle = {
    format: "github",
    file,
    project: {
      alias: repo ? aliasFrom(repo[2], "github") : "github",
      name: repo ? `${repo[1]}/${repo[2]}` : "GitHub issues",
    },
    tasks: [],
    docs: [],
    unplaced: 0,
  };
  v.forEach((x, i) => b.tasks.push(toTask(b, x, `[${i}]`)));
  return b;
}

function toTask(b: PeerBundle, x: unknown, at: string): PeerTask {
  if (!isObj(x)) throw badInput(b.file, "expected an issue object", { path: at });
  if (typeof x.number !== "number" || !Number.isSafeInteger(x.number)) {
    throw badInput(b.file, "expected the issue number", { path: `${at}.number` });
  }
  if (typeof x.title !== "string") throw badInput(b.file, "expected a string", { path: `${at}.title` });
  const labels = names(x.labels, "name");
  const assignees = names(x.assignees, "login");
  const body = new Body(typeof x.body === "string" ? x.body : "");
  if (assignees.length > 1) body.other("other assignees", assignees.slice(1).join(", "));
  for (const [k, val] of extraKeys(x, KNOWN)) body.other(k, val);
  b.unplaced += body.unplaced;
  const type = labels.map((l) => TYPE_LABELS[l.toLowerCase()]).find(Boolean) ?? "issue";
  const state = String(x.state ?? "OPEN").toUpperCase();
  const comments: PeerTask["comments"] = [];
  for (const [ci, c] of (Array.isArray(x.comments) ? x.comments : []).entries()) {
    if (!isObj(c)) continue;
    const who = isObj(c.author) ? String(c.author.login ?? "") : "";
    const text = String(c.body ?? "").trim();
    if (text) {
      const created_at = dateAt(c.createdAt, b.file, { path: `${at}.comments[${ci}].createdAt` });
      comments.push({ body: who ? `@${who} wrote:\n\n${text}` : text, created_at });
    }
  }
  const date = (k: string) => dateAt(x[k], b.file, { path: `${at}.${k}` });
  const created_at = date("createdAt");
  const updated_at = date("updatedAt");
  const closed_at = date("closedAt");
  return {
    key: typeof x.url === "string" && x.url ? x.url : `#${x.number}`,
    title: x.title.trim() || `#${x.number}`,
    description: body.toString(),
    type,
    status: state === "CLOSED" ? "done" : "todo",
    priority: priorityOf(labels) ?? 3,
    assignee: assignees[0] ?? "",
    labels,
    created_at,
    updated_at: updated_at ?? created_at,
    completed_at: state === "CLOSED" ? closed_at : undefined,
    plans: [],
    comments,
    blocked_by: [],
  };
}
