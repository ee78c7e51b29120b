// The task list's filters, sort and view live in the URL; this maps them to API params and CLI flags.
import type { Query } from "./api.ts";
import { cliCommand } from "./cli_bar.tsx";

export type View = "list" | "board" | "grid" | "timeline";
export const VIEWS: View[] = ["list", "board", "grid", "timeline"];

export interface TaskQuery {
  view: View;
  status: string[];
  type: string[];
  priority: string[];
  label: string[];
  labelAll: boolean;
  search: string;
  sort: string;
  order: "" | "asc" | "desc";
  archived: boolean;
}

export const FILTER_KEYS = ["status", "type", "priority", "label"] as const;
export type FilterKey = typeof FILTER_KEYS[number];

export function readQuery(q: URLSearchParams, defaultView: View): TaskQuery {
  const view = q.get("view") as View | null;
  return {
    view: view && VIEWS.includes(view) ? view : defaultView,
    status: q.getAll("status"),
    type: q.getAll("type"),
    priority: q.getAll("priority"),
    label: q.getAll("label"),
    labelAll: q.get("label_match") === "all",
    search: q.get("q") ?? "",
    sort: q.get("sort") ?? "",
    order: (q.get("order") as "asc" | "desc" | null) ?? "",
    archived: q.get("archived") === "1",
  };
}

export const hasFilters = (t: TaskQuery) =>
  FILTER_KEYS.some((k) => t[k].length > 0) || t.search.trim() !== "" || t.archived;

/** GET /api/tasks params: multi-value filters as repeated params (OR within, AND across). */
export function apiParams(t: TaskQuery, project: string): Query {
  return {
    project: project || undefined,
    status: t.status,
    type: t.type,
    priority: t.priority,
    label: t.label,
    label_match: t.labelAll && t.label.length > 1 ? "all" : undefined,
    search: t.search.trim() || undefined,
    sort: t.sort || undefined,
    order: t.order || undefined,
    archived: t.archived || undefined,
  };
}

export function taskListCli(t: TaskQuery, project: string): string {
  return cliCommand("task list", [
    ["project", project],
    ["status", t.status],
    ["type", t.type],
    ["priority", t.priority.map((p) => `P${p}`)],
    ["label", t.label],
    ["all-labels", t.labelAll && t.label.length > 1],
    ["search", t.search.trim()],
    ["sort", t.sort],
    ["order", t.order],
    ["archived", t.archived],
    ["json", true],
  ]);
}
