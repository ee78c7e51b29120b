import type { ServiceContext } from "./context.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Page } from "../domain/models.ts";
import type { Doc, DocVersion } from "../domain/knowledge.ts";
import { conflict, invalid, notFound } from "../domain/errors.ts";
import { appendText, boundedText, requireName } from "../domain/fields.ts";
import { goQuote, quoteInput } from "../domain/quote.ts";
import { shortId } from "../domain/refs.ts";
import * as repo from "../db/repos/docs.ts";
import { deleteLinked } from "../db/repos/attachments.ts";
import { resolveId } from "../db/repos/ids.ts";
import type { ProjectService } from "./projects.ts";

const MAX_BODY = 1 << 20;

export interface DocCreate {
  project: string;
  title: string;
  body?: string;
}

export interface DocChange {
  title?: string;
  body?: string;
  change_note?: string;
}

/** Versioned project documents: every change adds an immutable version. */
export class DocService {
  constructor(private ctx: ServiceContext, private projects: ProjectService) {}

  /** Full ID of a doc (full ULID or unique prefix). Raises not_found, invalid. */
  async resolve(id: string): Promise<string> {
    return await resolveId(this.ctx.db, "project_docs", id, "doc");
  }

  /** Creates a doc with v1 (the body may be empty). Raises not_found (project), invalid (title). */
  async create(input: DocCreate, actor: Actor): Promise<Doc> {
    const title = requireName(input.title, "title");
    const body = boundedText(input.body ?? "", "body", MAX_BODY);
    return await this.ctx.db.tx(async () => {
      const p = await this.projects.get(input.project);
      const now = this.ctx.clock();
      const doc: Doc = {
        id: this.ctx.ids(),
        project_id: p.id,
        title,
        current_version: 1,
        actor,
        created_at: now,
        updated_at: now,
      };
      const v = this.#version(doc.id, 1, title, body, undefined, actor, now);
      await repo.insertDoc(this.ctx.db, doc);
      await repo.insertDocVersion(this.ctx.db, v);
      await this.#log(doc, "created", `Created doc ${goQuote(title)}`, actor);
      return { ...doc, version: v };
    });
  }

  /**
   * Docs, most recently updated first, with a real total; without a project, across non-archived
   * projects (each doc then carries its project). Raises not_found (project), invalid.
   */
  async list(
    q: { project?: string; limit?: number; offset?: number } = {},
  ): Promise<{ docs: Doc[]; page: Page }> {
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    if (!Number.isInteger(limit) || limit < 0) throw invalid("limit must be a non-negative integer");
    if (!Number.isInteger(offset) || offset < 0) throw invalid("offset must be a non-negative integer");
    const pid = q.project ? (await this.projects.get(q.project)).id : undefined;
    const docs = await repo.listDocs(this.ctx.db, pid, limit, offset);
    const total = await repo.countDocs(this.ctx.db, pid);
    const page: Page = { total, count: docs.length, has_more: offset + docs.length < total };
    if (limit > 0) page.limit = limit;
    if (offset) page.offset = offset;
    return { docs, page };
  }

  /** The doc with one version (0 or omitted = current). Raises not_found, invalid. */
  async show(id: string, version = 0): Promise<Doc> {
    if (!Number.isInteger(version) || version < 0) throw invalid(`invalid version ${quoteInput(version)}`);
    const doc = await repo.getDoc(this.ctx.db, await this.resolve(id));
    if (!doc) throw notFound(`doc not found: ${id}`);
    const v = await repo.getDocVersion(this.ctx.db, doc.id, version);
    if (!v) throw notFound(`doc version not found: v${version} of doc ${shortId(doc.id)}`);
    return { ...doc, version: v };
  }

  /**
   * Adds a version. What is not given is kept: an empty or missing title keeps the title, a missing
   * body keeps the body (an explicit "" empties it). Raises not_found, invalid, conflict.
   */
  async update(id: string, change: DocChange, actor: Actor): Promise<Doc> {
    const hasTitle = change.title !== undefined && change.title.trim() !== "";
    if (!hasTitle && change.body === undefined && !change.change_note) {
      throw invalid((w) => `nothing to change (give ${w.field("title", "body", "change_note")})`);
    }
    const title = hasTitle ? requireName(change.title, "title") : undefined;
    const body = change.body === undefined ? undefined : boundedText(change.body, "body", MAX_BODY);
    return await this.ctx.db.tx(async () => {
      const cur = await this.show(id);
      return await this.#addVersion(
        cur,
        title ?? cur.title,
        body ?? cur.version!.body,
        change.change_note,
        actor,
      );
    });
  }

  /** Adds a version whose body is the old one plus the text. Raises not_found, invalid. */
  async append(id: string, text: string, changeNote: string | undefined, actor: Actor): Promise<Doc> {
    if (!String(text ?? "").trim()) throw invalid("content is required");
    return await this.ctx.db.tx(async () => {
      const cur = await this.show(id);
      const body = boundedText(appendText(cur.version!.body, text), "body", MAX_BODY);
      return await this.#addVersion(cur, cur.title, body, changeNote, actor);
    });
  }

  /**
   * One new version from an edit: `append` alone (with a change note), or a title/body change
   * (update). Raises invalid when both are given, and as update/append.
   */
  async edit(id: string, e: DocChange & { append?: string }, actor: Actor): Promise<Doc> {
    if (e.append === undefined) return await this.update(id, e, actor);
    if (e.body !== undefined || e.title !== undefined) throw invalid("give append alone, or body/title");
    return await this.append(id, e.append, e.change_note, actor);
  }

  /** Every version, oldest first. Raises not_found. */
  async history(id: string): Promise<DocVersion[]> {
    return await repo.docHistory(this.ctx.db, (await this.show(id)).id);
  }

  /** Deletes a doc with its versions and its attachments. Raises not_found. */
  async delete(id: string, actor: Actor): Promise<Doc> {
    return await this.ctx.db.tx(async () => {
      const doc = await this.show(id);
      await deleteLinked(this.ctx.db, "doc", doc.id);
      await repo.deleteDoc(this.ctx.db, doc.id);
      await this.#log(doc, "deleted", `Deleted doc ${goQuote(doc.title)}`, actor);
      return doc;
    });
  }

  async #addVersion(
    cur: Doc,
    title: string,
    body: string,
    note: string | undefined,
    actor: Actor,
  ): Promise<Doc> {
    const now = this.ctx.clock();
    const next = cur.current_version + 1;
    const v = this.#version(cur.id, next, title, body, note, actor, now);
    await repo.insertDocVersion(this.ctx.db, v);
    if (await repo.bumpDocVersion(this.ctx.db, cur.id, cur.current_version, title, now) !== 1) {
      throw conflict(`doc ${shortId(cur.id)} changed while updating; try again`);
    }
    await this.#log(cur, "version_added", `Added doc version v${next} ${goQuote(title)}`, actor);
    const { version: _old, ...doc } = cur;
    return { ...doc, title, current_version: next, updated_at: now, version: v };
  }

  #version(
    docId: string,
    version: number,
    title: string,
    body: string,
    note: string | undefined,
    actor: Actor,
    now: number,
  ): DocVersion {
    const v = { id: this.ctx.ids(), doc_id: docId, version, title, body, actor } as DocVersion;
    if (note) v.change_note = note;
    v.created_at = now;
    return v;
  }

  async #log(d: Doc, action: string, summary: string, actor: Actor) {
    await record(
      this.ctx,
      { entity: "doc", entity_id: d.id, action, summary, project_id: d.project_id },
      actor,
    );
  }
}
