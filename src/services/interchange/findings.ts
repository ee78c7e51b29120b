import type { z } from "zod";
import type { Services } from "../services.ts";
import type { Actor } from "../../domain/actor.ts";
import { AppError, usage } from "../../domain/errors.ts";
import { parsePriority } from "../../domain/enums.ts";
import { FindingsFileSchema, FindingsItemSchema } from "../../domain/schema_catalog.ts";
import { parseDate } from "../../domain/time.ts";
import { labelNames, type Task } from "../../domain/models.ts";
import type { TaskUpdate } from "../tasks.ts";
import { taskKeys, withSavepoint } from "../../db/repos/interchange.ts";
import { errorLine, type FieldError, pathString, summarize } from "./issues.ts";
import { parseJsonText } from "./json_text.ts";
import { upsertPlans } from "./import_apply.ts";

/** The services this module writes through. */
export type FindingsDeps = Pick<Services, "db" | "projects" | "tasks" | "labels" | "plans">;

/**
 * `backlog import-findings`: the original's findings file (plus `due_date` and `project_path`)
 * imported in one transaction.
 *
 * Dedupe: an item with an `external_ref` matches the project's task with the same
 * (source, external_ref); an item without one matches the task with the same (source, title).
 * Archived tasks match too, so triaged findings do not come back. A matched task gets the fields
 * the item gives (title, description, type, priority, assignee, due_date, project_path), its
 * missing labels, and its plans (same title: a new version when the body changed; else a new
 * plan) — reported as `updated`, or `unchanged` when nothing differs. `status` applies only to new
 * tasks: a re-scan must not reopen or undo work already triaged in the workspace.
 *
 * Every item is validated first; an invalid item aborts the run (exit 2, nothing written) unless
 * `allowPartial`, which skips invalid items. `dryRun` runs the whole import inside the
 * transaction and rolls it back, so its counts are exact.
 */

export type FindingsItem = z.infer<typeof FindingsItemSchema>;

export interface FindingsOptions {
  /** `-p` when given explicitly: wins over the file's project. */
  project?: string;
  /** The default project (used when neither -p nor the file names one). */
  defaultProject?: string;
  dryRun?: boolean;
  allowPartial?: boolean;
  /** The file name used in messages. */
  file?: string;
  progress?: (done: number, total: number) => void;
}

export interface FindingsItemResult {
  index: number;
  action: "created" | "updated" | "unchanged" | "skipped";
  title: string;
  id?: string;
  ref?: string;
}

export interface FindingsResult {
  dry_run: boolean;
  project: string;
  tasks: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  plans: number;
  errors: FieldError[];
  items: FindingsItemResult[];
}

/** Parses and validates a findings file: the header strictly, then every item. Raises invalid. */
export function parseFindings(text: string, file: string): {
  project?: string;
  items: { index: number; raw: Record<string, unknown>; item?: FindingsItem }[];
  errors: FieldError[];
} {
  const raw = parseJsonText(text, file);
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new AppError("invalid", `${file}: expected a JSON object with "version", "project" and "items"`);
  }
  const head = FindingsFileSchema.pick({ version: true, project: true }).safeParse(raw);
  if (!head.success) {
    const i = head.error.issues[0];
    throw new AppError("invalid", `${file}: ${pathString(i.path)}: ${i.message}`);
  }
  const list = (raw as { items?: unknown }).items;
  if (!Array.isArray(list)) throw new AppError("invalid", `${file}: items: must be an array of findings`);
  const errors: FieldError[] = [];
  const items = list.map((entry, index) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
      errors.push({ index, field: "", message: "must be an object" });
      return { index, raw: {} };
    }
    // null means "not given" (Go tools write nil slices as null).
    const given = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null));
    const r = FindingsItemSchema.safeParse(given);
    if (r.success) return { index, raw: given, item: r.data };
    for (const iss of r.error.issues) {
      errors.push({ index, field: pathString(iss.path), message: iss.message });
    }
    return { index, raw: given };
  });
  return { project: head.data.project, items, errors };
}

/** Imports a findings file's text. Raises invalid (syntax, schema, items), usage, not_found (project). */
export async function importFindings(
  svc: FindingsDeps,
  text: string,
  opts: FindingsOptions,
  actor: Actor,
): Promise<FindingsResult> {
  const file = opts.file ?? "findings file";
  const parsed = parseFindings(text, file);
  if (parsed.errors.length && !opts.allowPartial) {
    const lines = parsed.errors.map((e) => errorLine(e));
    throw new AppError("invalid", `${file}: ${summarize(lines, "invalid item field")}`, {
      hint: "fix the items, or pass --allow-partial to import the valid ones",
      details: { errors: parsed.errors },
    });
  }
  const alias = (opts.project ?? parsed.project ?? opts.defaultProject ?? "").trim();
  if (!alias) {
    throw usage(
      "project alias is required (use --project, set 'project' in the file, or run `backlog project set-default <alias>`)",
    );
  }
  return await svc.db.tx(async () => {
    const project = await svc.projects.get(alias);
    const r: FindingsResult = {
      dry_run: !!opts.dryRun,
      project: project.alias,
      tasks: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      plans: 0,
      errors: parsed.errors,
      items: [],
    };
    const keys = new Keys(await taskKeys(svc.db, project.id));
    const total = parsed.items.length;
    for (const it of parsed.items) {
      opts.progress?.(it.index, total);
      if (!it.item) {
        r.skipped++;
        r.items.push({ index: it.index, action: "skipped", title: String(it.raw.title ?? "") });
        continue;
      }
      const one = async () => await applyItem(svc, project.alias, keys, it.item!, it.raw, actor);
      let out: { task: Task; action: "created" | "updated" | "unchanged"; plans: number };
      try {
        out = opts.allowPartial ? await withSavepoint(svc.db, one) : await one();
      } catch (err) {
        if (!opts.allowPartial || !(err instanceof AppError) || err.code === "internal") throw err;
        r.errors.push({ index: it.index, field: "", message: err.message });
        r.skipped++;
        r.items.push({ index: it.index, action: "skipped", title: it.item.title });
        continue;
      }
      r[out.action]++;
      r.plans += out.plans;
      r.items.push({
        index: it.index,
        action: out.action,
        title: out.task.title,
        id: out.task.id,
        ref: out.task.ref,
      });
    }
    opts.progress?.(total, total);
    r.tasks = r.created + r.updated;
    return r;
  }, { rollback: !!opts.dryRun });
}

/** The project's dedupe keys, kept current as the import creates tasks. */
class Keys {
  #byRef = new Map<string, string>();
  #byTitle = new Map<string, string>();

  constructor(rows: { id: string; source: string; external_ref: string; title: string }[]) {
    for (const r of rows) this.add(r.id, r.source, r.external_ref, r.title);
  }

  add(id: string, source: string, ref: string, title: string): void {
    if (ref) {
      const k = `${source}\u0000${ref}`;
      if (!this.#byRef.has(k)) this.#byRef.set(k, id);
    }
    const t = `${source}\u0000${title}`;
    if (!this.#byTitle.has(t)) this.#byTitle.set(t, id);
  }

  find(source: string, ref: string, title: string): string | undefined {
    return ref ? this.#byRef.get(`${source}\u0000${ref}`) : this.#byTitle.get(`${source}\u0000${title}`);
  }
}

async function applyItem(
  svc: FindingsDeps,
  alias: string,
  keys: Keys,
  item: FindingsItem,
  raw: Record<string, unknown>,
  actor: Actor,
): Promise<{ task: Task; action: "created" | "updated" | "unchanged"; plans: number }> {
  const source = item.source ?? "";
  const ref = item.external_ref ?? "";
  const due_at = item.due_date ? parseDate(item.due_date, "due_date") : undefined;
  const existing = keys.find(source, ref, item.title);
  if (!existing) {
    const task = await svc.tasks.create({
      project: alias,
      title: item.title,
      description: item.description,
      type: item.type,
      status: item.status,
      priority: item.priority,
      assignee: item.assignee,
      due_at,
      source,
      external_ref: ref,
      project_path: item.project_path,
      labels: item.labels,
      plans: item.plans,
    }, actor);
    keys.add(task.id, source, ref, task.title);
    return { task, action: "created", plans: item.plans?.length ?? 0 };
  }
  let task = await svc.tasks.getTask(existing);
  let changed = false;
  const patch = changedFields(task, item, raw, due_at);
  if (Object.keys(patch).length) {
    task = await svc.tasks.update(task.id, patch, actor);
    changed = true;
  }
  const have = new Set(labelNames(task));
  for (const name of new Set((item.labels ?? []).map((l) => l.trim()).filter(Boolean))) {
    if (have.has(name)) continue;
    await svc.labels.attachInTx(task, name, actor);
    changed = true;
  }
  const p = await upsertPlans(svc, task.id, item.plans ?? [], actor);
  const plans = p.created + p.updated;
  if (plans) changed = true;
  if (changed) task = await svc.tasks.getTask(task.id);
  return { task, action: changed ? "updated" : "unchanged", plans };
}

/** The fields an item gives (keys present in the file) whose value differs from the task. */
function changedFields(
  t: Task,
  item: FindingsItem,
  raw: Record<string, unknown>,
  due_at?: number,
): TaskUpdate {
  const patch: TaskUpdate = {};
  const given = (k: string) => Object.hasOwn(raw, k);
  if (item.title !== t.title) patch.title = item.title;
  if (given("description") && (item.description ?? "") !== t.description) {
    patch.description = item.description;
  }
  if (given("type") && item.type && item.type !== t.type) patch.type = item.type;
  if (given("priority") && item.priority !== undefined && parsePriority(item.priority) !== t.priority) {
    patch.priority = parsePriority(item.priority);
  }
  if (given("assignee") && (item.assignee ?? "") !== (t.assignee ?? "")) patch.assignee = item.assignee;
  if (given("project_path") && (item.project_path ?? "") !== (t.project_path ?? "")) {
    patch.project_path = item.project_path;
  }
  if (given("due_date") && due_at !== undefined && due_at !== t.due_at) patch.due_at = due_at;
  return patch;
}
