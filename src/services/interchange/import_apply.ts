import type { Services } from "../services.ts";
import type { Actor } from "../../domain/actor.ts";
import { AppError } from "../../domain/errors.ts";
import { labelNames, type Task } from "../../domain/models.ts";
import { escapeControls, replaceUnsafe } from "../../domain/text.ts";
import type { TaskUpdate } from "../tasks.ts";
import { taskKeys } from "../../db/repos/interchange.ts";
import { listComments } from "../../db/repos/comments.ts";
import { getProjectByAlias } from "../../db/repos/projects.ts";
import * as repo from "../../db/repos/import_peer.ts";
import type { PeerBundle, PeerTask } from "./import_shape.ts";
import type { ImportCounts as Counts, PeerImportResult } from "../../domain/views.ts";
import {
  fieldMoved,
  type Mark,
  type MarkedField,
  markOf,
  planMoved,
  readMark,
  writeMark,
} from "./import_mark.ts";

/** The services this module writes through. */
export type ApplyDeps = Pick<
  Services,
  "ctx" | "db" | "projects" | "tasks" | "labels" | "plans" | "comments" | "deps" | "docs"
>;
/**
 * The shared writer of every peer import: applies a PeerBundle to one project in one transaction,
 * idempotently. Tasks match on (project, source, external_ref); a match gets the fields the
 * source changed since the last import (import_mark.ts; one update), its missing labels, new plan versions (plans match by title), its missing
 * comments (by body), missing dependency edges; docs match by title (a changed body is a new
 * version). Nothing is deleted or detached, and an archived task is not restored: local triage
 * survives a re-import. An unchanged source writes nothing, not even an activity row.
 */

export type { ImportCounts as Counts, PeerImportResult } from "../../domain/views.ts";

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0 });

/** Imports a bundle into `project` (default: the bundle's own, created if missing). Raises invalid. */
export async function applyBundle(
  svc: ApplyDeps,
  b: PeerBundle,
  opts: { project?: string; dryRun?: boolean; progress?: (done: number, total: number) => void },
  actor: Actor,
): Promise<PeerImportResult> {
  return await svc.db.tx(async () => {
    const r: PeerImportResult = {
      dry_run: !!opts.dryRun,
      format: b.format,
      source: b.file,
      project: "",
      project_created: false,
      tasks: zero(),
      plans: zero(),
      comments: zero(),
      dependencies: zero(),
      docs: zero(),
      unplaced: b.unplaced,
      sanitised: 0,
      notes: [],
    };
    const alias = opts.project?.trim() || await defaultAlias(svc, b);
    let project = await getProjectByAlias(svc.db, alias);
    if (!project) {
      if (opts.project?.trim()) project = await svc.projects.get(alias); // -p names an existing project
      project = await svc.projects.create(
        { alias, name: replaceUnsafe(b.project.name, " ").trim() || alias },
        actor,
      );
      r.project_created = true;
    }
    r.project = project.alias;
    const ids = new Map<string, string>();
    for (const k of await taskKeys(svc.db, project.id)) {
      if (k.source === b.format && k.external_ref && !ids.has(k.external_ref)) ids.set(k.external_ref, k.id);
    }
    for (const [i, t] of b.tasks.entries()) {
      opts.progress?.(i, b.tasks.length);
      const id = ids.get(t.key);
      let out: One;
      try {
        const clean = sanitise(t, r);
        out = id
          ? await updateOne(svc, id, clean, actor, r)
          : await createOne(svc, project!.alias, b.format, clean, actor);
      } catch (err) {
        // Name the task: "description exceeds …" alone does not say which of 5,000.
        if (!(err instanceof AppError) || err.code !== "invalid") throw err;
        throw new AppError("invalid", `${escapeControls(b.file)}: ${escapeControls(t.key)}: ${err.message}`, {
          hint: err.hint,
        });
      }
      ids.set(t.key, out.id);
      r.tasks[out.action]++;
      addCounts(r.plans, out.plans);
      addCounts(r.comments, out.comments);
    }
    // Newest first: a chain (each task waiting on the one before) then never walks far in the cycle check.
    for (const t of [...b.tasks].reverse()) await applyDeps(svc, ids, t, r, actor);
    await applyDocs(svc, project.id, project.alias, b, r, actor);
    opts.progress?.(b.tasks.length, b.tasks.length);
    return r;
  }, { rollback: !!opts.dryRun });
}

/**
 * The source's own project without -p: its alias when free, empty, or already holding tasks from
 * this format (a re-import); else the first such `alias-2`, `alias-3`… — an unrelated project that
 * happens to share the name (a repository called `api`) is never merged into.
 */
async function defaultAlias(svc: ApplyDeps, b: PeerBundle): Promise<string> {
  for (let n = 1;; n++) {
    const alias = n === 1 ? b.project.alias : `${b.project.alias.slice(0, 60)}-${n}`;
    const p = await getProjectByAlias(svc.db, alias);
    if (!p) return alias;
    const keys = await taskKeys(svc.db, p.id);
    if (!keys.length || keys.some((k) => k.source === b.format)) return alias;
  }
}

function addCounts(into: Counts, c: Counts): void {
  for (const k of Object.keys(c) as (keyof Counts)[]) into[k] += c[k];
}

function sanitise(t: PeerTask, r: PeerImportResult): PeerTask {
  // The one rule every surface applies to names (domain/text.ts); imports repair instead of refusing.
  const fix = (s: string) => {
    const out = replaceUnsafe(s, " ").replace(/\s+/g, " ").trim();
    if (out !== s.trim()) r.sanitised++;
    return out;
  };
  const extra: string[] = [];
  let title = fix(t.title) || t.key;
  if (bytes(title) > 255) {
    extra.push(`## Full title\n\n${title}`);
    title = `${cut(title, 250)}…`;
  }
  const names = [...new Set(t.labels.map(fix).filter(Boolean))];
  const long = names.filter((l) => bytes(l) > 64);
  if (long.length) extra.push(`## Labels too long for a label\n\n${long.map((l) => `- ${l}`).join("\n")}`);
  r.unplaced += extra.length;
  const description = [t.description, ...extra].filter(Boolean).join("\n\n");
  // The domain's limit counts UTF-8 bytes (not characters), and the gathered sections add to them.
  if (bytes(description) > MAX_DESCRIPTION_BYTES) {
    throw new AppError(
      "invalid",
      `description is ${
        bytes(description)
      } bytes with its gathered fields, over the limit of ${MAX_DESCRIPTION_BYTES} bytes`,
    );
  }
  const labels = names.filter((l) => bytes(l) <= 64);
  return { ...t, title, description, assignee: fix(t.assignee), labels };
}

/** The domain's limit on a description (schemas.ts optText), in bytes. */
const MAX_DESCRIPTION_BYTES = 65535;
const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s).length;

function cut(s: string, max: number): string {
  let out = s;
  while (bytes(out) > max) out = out.slice(0, -1);
  return out;
}

type One = { id: string; action: keyof Counts; plans: Counts; comments: Counts };

async function createOne(
  svc: ApplyDeps,
  alias: string,
  source: string,
  t: PeerTask,
  actor: Actor,
): Promise<One> {
  const task = await svc.tasks.create({
    project: alias,
    title: t.title,
    description: t.description,
    type: t.type,
    status: t.status,
    priority: t.priority,
    assignee: t.assignee,
    source,
    external_ref: t.key,
    labels: t.labels,
    plans: t.plans,
  }, actor);
  if (t.archived) await svc.tasks.archive(task.id, actor);
  const comments = await addComments(svc, task.id, t, new Map(), actor);
  await repo.setTaskDates(svc.db, task.id, t);
  await writeMark(svc.db, task.id, markOf(t));
  return { id: task.id, action: "created", plans: { ...zero(), created: t.plans.length }, comments };
}

async function updateOne(
  svc: ApplyDeps,
  id: string,
  t: PeerTask,
  actor: Actor,
  r: PeerImportResult,
): Promise<One> {
  let task = await svc.tasks.getTask(id);
  const last = await readMark(svc.db, id);
  const mark = markOf(t);
  let changed = false;
  let held = false;
  const patch = changedFields(task, t, last, mark);
  const before = task.updated_at;
  if (patch.status !== undefined && await claimHolder(svc, task, actor)) {
    // A live claim owns the status: the other fields land, the status waits for the next import
    // after the claim ends (the mark keeps the old status so that import still sees it moved).
    r.notes.push(`${task.ref}: ${await claimHolder(svc, task, actor)}; its status stays ${task.status}`);
    delete patch.status;
    mark.fields.status = last?.fields.status;
    held = true;
  }
  if (Object.keys(patch).length) {
    task = await svc.tasks.update(id, patch, actor);
    // The source's dates: when it changed (unless it claims a time before the copy we had), and
    // when it was completed.
    const newer = t.updated_at !== undefined && t.updated_at > before ? t.updated_at : undefined;
    await repo.setTaskDates(svc.db, id, {
      updated_at: newer,
      completed_at: patch.status === "done" ? t.completed_at : undefined,
    });
    changed = true;
  }
  if (t.archived && task.archived_at === undefined && fieldMoved(last, mark, "archived")) {
    (await svc.tasks.archive(id, actor), changed = true);
  }
  const have = new Set(labelNames(task));
  const hadLabels = new Set(last?.labels ?? []);
  for (const name of t.labels) {
    if (!have.has(name) && !hadLabels.has(name) && await svc.labels.attachInTx(task, name, actor)) {
      changed = true;
    }
  }
  const plans = await upsertPlans(svc, id, t.plans, actor, (p) => planMoved(last, p.title, p.body));
  const comments = await addComments(svc, id, t, await storedBodies(svc, id), actor);
  if (plans.created + plans.updated + comments.created) changed = true;
  await writeMark(svc.db, id, mark, last);
  return { id, action: changed ? "updated" : held ? "skipped" : "unchanged", plans, comments };
}

/** "TASK-1 is claimed by …" when a live claim would refuse this actor a status change, else "". */
async function claimHolder(svc: ApplyDeps, task: Task, actor: Actor): Promise<string> {
  try {
    await svc.tasks.respectClaim(task, actor, {}, svc.ctx.clock());
    return "";
  } catch (err) {
    if (err instanceof AppError && err.code === "conflict") return err.message;
    throw err;
  }
}

/**
 * The fields to write: those the source changed since the last import (per the mark) and that
 * differ from the row. Without a mark (tasks imported before marks), every differing field.
 */
function changedFields(task: Task, t: PeerTask, last: Mark | undefined, now: Mark): TaskUpdate {
  const patch: TaskUpdate = {};
  const moved = (f: MarkedField) => fieldMoved(last, now, f);
  if (t.title !== task.title && moved("title")) patch.title = t.title;
  if (t.description !== task.description && moved("description")) patch.description = t.description;
  if (t.type !== task.type && moved("type")) patch.type = t.type;
  if (t.status !== task.status && moved("status")) patch.status = t.status;
  if (t.priority !== task.priority && moved("priority")) patch.priority = t.priority;
  if (t.assignee !== (task.assignee ?? "") && moved("assignee")) patch.assignee = t.assignee;
  return patch;
}

/**
 * Plans by title: a new plan, a new version when the body changed, else unchanged. Shared with
 * `import-findings`.
 */
export async function upsertPlans(
  svc: Pick<Services, "plans">,
  taskId: string,
  plans: { title: string; body: string; change_note?: string }[],
  actor: Actor,
  moved: (p: { title: string; body: string }) => boolean = () => true,
): Promise<Counts> {
  const c = zero();
  if (!plans.length) return c;
  // The n-th source plan of a title matches the n-th stored plan of that title (oldest first), so
  // two sections with one title stay two plans and a re-import does not flip their bodies.
  const current = (await svc.plans.list(taskId)).toSorted((a, b) => a.created_at - b.created_at);
  const used = new Set<string>();
  for (const p of plans) {
    const same = current.find((x) => x.version?.title === p.title && !used.has(x.id));
    if (same) used.add(same.id);
    // A plan the source has not changed since the last import keeps its local edits.
    if (same && (same.version?.body === p.body || !moved(p))) c.unchanged++;
    else if (same) {
      (await svc.plans.update(same.id, { body: p.body, change_note: p.change_note }, actor), c.updated++);
    } else (await svc.plans.createInTx({ task_id: taskId, ...p }, actor), c.created++);
  }
  return c;
}

/**
 * Adds the source's comments the task lacks. `have` counts the stored bodies: a body the source
 * repeats (two "/retest" comments) needs as many stored copies before it counts as unchanged.
 */
async function addComments(
  svc: ApplyDeps,
  taskId: string,
  t: PeerTask,
  have: Map<string, number>,
  actor: Actor,
): Promise<Counts> {
  const c = zero();
  for (const cm of t.comments) {
    const body = cm.body.trim();
    if (!body) continue;
    const n = have.get(body) ?? 0;
    if (n > 0) {
      have.set(body, n - 1);
      c.unchanged++;
      continue;
    }
    const added = await svc.comments.add(taskId, cm.body, actor);
    if (cm.created_at) await repo.setCommentDate(svc.db, added.id, cm.created_at);
    c.created++;
  }
  return c;
}

async function storedBodies(svc: ApplyDeps, taskId: string): Promise<Map<string, number>> {
  const have = new Map<string, number>();
  for (const cm of await listComments(svc.db, taskId)) {
    const body = cm.body.trim();
    have.set(body, (have.get(body) ?? 0) + 1);
  }
  return have;
}

async function applyDeps(
  svc: ApplyDeps,
  ids: Map<string, string>,
  t: PeerTask,
  r: PeerImportResult,
  actor: Actor,
): Promise<void> {
  const id = ids.get(t.key)!;
  for (const k of new Set(t.blocked_by)) {
    const other = ids.get(k);
    if (!other || other === id) continue;
    if (await repo.hasDep(svc.db, id, other)) {
      r.dependencies.unchanged++;
      continue;
    }
    try {
      await svc.deps.add(id, other, actor);
      r.dependencies.created++;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "invalid") throw err;
      r.dependencies.skipped++;
      r.notes.push(`${t.key} waits on ${k}: ${err.message}`);
    }
  }
}

async function applyDocs(
  svc: ApplyDeps,
  projectId: string,
  alias: string,
  b: PeerBundle,
  r: PeerImportResult,
  actor: Actor,
): Promise<void> {
  if (!b.docs.length) return;
  const have = await repo.docsByTitle(svc.db, projectId);
  for (const d of b.docs) {
    const title = replaceUnsafe(d.title, " ").trim() || "Untitled";
    const cur = have.get(title);
    if (!cur) {
      const doc = await svc.docs.create({ project: alias, title, body: d.body }, actor);
      have.set(title, { id: doc.id, body: d.body });
      r.docs.created++;
    } else if (cur.body !== d.body) {
      await svc.docs.update(cur.id, { body: d.body, change_note: `imported from ${b.format}` }, actor);
      cur.body = d.body;
      r.docs.updated++;
    } else r.docs.unchanged++;
  }
}
