import type { ServiceContext } from "./context.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Page } from "../domain/models.ts";
import type { Memory } from "../domain/knowledge.ts";
import { invalid, notFound } from "../domain/errors.ts";
import { appendText, lengthProblem, optionalName, requireText } from "../domain/fields.ts";
import * as repo from "../db/repos/memory.ts";
import { resolveId } from "../db/repos/ids.ts";
import type { ProjectService } from "./projects.ts";

const MAX_BODY = 1 << 20;

export interface MemoryQuery {
  project?: string;
  tag?: string;
  limit?: number;
  offset?: number;
}

/** Normalises a tag list: split on commas, trimmed, empties and repeats dropped. Raises invalid. */
export function normalizeTags(tags: string | string[] | undefined): string {
  const list = (Array.isArray(tags) ? tags : String(tags ?? "").split(","))
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of list) {
    optionalName(t, "tag");
    if (t.length > 64) throw invalid(`tag "${t.slice(0, 20)}…" exceeds 64 characters`);
  }
  return [...new Set(list)].join(",");
}

/** Project memory: free-form tagged notes; every write is logged with its actor. */
export class MemoryService {
  constructor(private ctx: ServiceContext, private projects: ProjectService) {}

  /** Full ID of a memory entry (full ULID or unique prefix). Raises not_found, invalid. */
  async resolve(id: string): Promise<string> {
    return await resolveId(this.ctx.db, "project_memory", id, "memory entry");
  }

  /** One entry. Raises not_found. */
  async get(id: string): Promise<Memory> {
    const m = await repo.getMemory(this.ctx.db, await this.resolve(id));
    if (!m) throw notFound(`memory entry not found: ${id}`);
    return m;
  }

  /** Adds an entry to a project. Raises not_found (project), invalid (empty body, bad tag). */
  async add(
    project: string,
    body: string,
    tags: string | string[] | undefined,
    actor: Actor,
  ): Promise<Memory> {
    const text = requireText(body, "body", MAX_BODY);
    const tagList = normalizeTags(tags);
    return await this.ctx.db.tx(async () => {
      const p = await this.projects.get(project);
      const m: Memory = {
        id: this.ctx.ids(),
        project_id: p.id,
        body: text,
        actor,
        created_at: this.ctx.clock(),
      };
      if (tagList) m.tags = tagList;
      await repo.insertMemory(this.ctx.db, m);
      await this.#log(m, "created", "Created memory entry", actor);
      return await this.get(m.id);
    });
  }

  /** Appends text (a newline between unless one side has it). Raises not_found, invalid. */
  async append(id: string, text: string, actor: Actor): Promise<Memory> {
    if (!String(text ?? "").trim()) throw invalid("text is required");
    return await this.ctx.db.tx(async () => {
      const m = await this.get(id);
      const body = appendText(m.body, text);
      const tooLong = lengthProblem(body, "body", MAX_BODY);
      if (tooLong) throw invalid(tooLong);
      await repo.updateMemory(this.ctx.db, m.id, { body });
      await this.#log(m, "appended", "Appended to memory entry", actor);
      return await this.get(m.id);
    });
  }

  /** Replaces the body and/or the tags (only what is given; `tags: ""` clears). Raises not_found, invalid. */
  async update(
    id: string,
    change: { body?: string; tags?: string | string[] },
    actor: Actor,
  ): Promise<Memory> {
    if (change.body === undefined && change.tags === undefined) {
      throw invalid("nothing to change (give a body or tags)");
    }
    const patch: { body?: string; tags?: string } = {};
    if (change.body !== undefined) patch.body = requireText(change.body, "body", MAX_BODY);
    if (change.tags !== undefined) patch.tags = normalizeTags(change.tags);
    return await this.ctx.db.tx(async () => {
      const m = await this.get(id);
      await repo.updateMemory(this.ctx.db, m.id, patch);
      await this.#log(m, "updated", "Updated memory entry", actor);
      return await this.get(m.id);
    });
  }

  /**
   * One memory edit: append text, or replace the body, and/or set the tags, in one transaction.
   * Raises invalid (append with body, nothing given), not_found.
   */
  async edit(
    id: string,
    e: { body?: string; tags?: string | string[]; append?: string },
    actor: Actor,
  ): Promise<Memory> {
    if (e.append !== undefined && e.body !== undefined) throw invalid("give body or append, not both");
    return await this.ctx.db.tx(async () => {
      const m = e.append !== undefined ? await this.append(id, e.append, actor) : undefined;
      if (m && e.tags === undefined) return m;
      return await this.update(m?.id ?? id, { body: e.body, tags: e.tags }, actor);
    });
  }

  /**
   * Entries newest first with a real total; without a project, across all non-archived projects
   * (each entry then carries its project). Raises not_found (project), invalid (limit/offset).
   */
  async list(q: MemoryQuery = {}): Promise<{ entries: Memory[]; page: Page }> {
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    if (!Number.isInteger(limit) || limit < 0) throw invalid("limit must be a non-negative integer");
    if (!Number.isInteger(offset) || offset < 0) throw invalid("offset must be a non-negative integer");
    const f: repo.MemoryFilter = { tag: q.tag?.trim() || undefined };
    if (q.project) f.project_id = (await this.projects.get(q.project)).id;
    const entries = await repo.listMemory(this.ctx.db, f, limit, offset);
    const total = await repo.countMemory(this.ctx.db, f);
    const page: Page = { total, count: entries.length, has_more: offset + entries.length < total };
    if (limit > 0) page.limit = limit;
    if (offset) page.offset = offset;
    return { entries, page };
  }

  /** Deletes an entry; the activity row names the deleter. Raises not_found. */
  async delete(id: string, actor: Actor): Promise<Memory> {
    return await this.ctx.db.tx(async () => {
      const m = await this.get(id);
      await repo.deleteMemory(this.ctx.db, m.id);
      await this.#log(m, "deleted", "Deleted memory entry", actor);
      return m;
    });
  }

  async #log(m: Memory, action: string, summary: string, actor: Actor) {
    await record(
      this.ctx,
      { entity: "memory", entity_id: m.id, action, summary, project_id: m.project_id },
      actor,
    );
  }
}
