import type { Ctx } from "./context.ts";
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
  constructor(private ctx: Ctx, private projects: ProjectService) {}

  /** Full ID of a doc (full ULID or unique prefix). Raises not_found, invalid. */
  resolve(id: string): string {
    return resolveId(this.ctx.db, "project_docs", id, "doc");
  }

  /** Creates a doc with v1 (the body may be empty). Raises not_found (project), invalid (title). */
  create(input: DocCreate, actor: Actor): Doc {
    const title = requireName(input.title, "title");
    const body = boundedText(input.body ?? "", "body", MAX_BODY);
    return this.ctx.db.tx(() => {
      const p = this.projects.get(input.project);
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
      repo.insertDoc(this.ctx.db, doc);
      repo.insertDocVersion(this.ctx.db, v);
      this.#log(doc, "created", `Created doc ${goQuote(title)}`, actor);
      return { ...doc, version: v };
    });
  }

  /**
   * Docs, most recently updated first, with a real total; without a project, across non-archived
   * projects (each doc then carries its project). Raises not_found (project), invalid.
   */
  list(q: { project?: string; limit?: number; offset?: number } = {}): { docs: Doc[]; page: Page } {
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    if (!Number.isInteger(limit) || limit < 0) throw invalid("limit must be a non-negative integer");
    if (!Number.isInteger(offset) || offset < 0) throw invalid("offset must be a non-negative integer");
    const pid = q.project ? this.projects.get(q.project).id : undefined;
    const docs = repo.listDocs(this.ctx.db, pid, limit, offset);
    const total = repo.countDocs(this.ctx.db, pid);
    const page: Page = { total, count: docs.length, has_more: offset + docs.length < total };
    if (limit > 0) page.limit = limit;
    if (offset) page.offset = offset;
    return { docs, page };
  }

  /** The doc with one version (0 or omitted = current). Raises not_found, invalid. */
  show(id: string, version = 0): Doc {
    if (!Number.isInteger(version) || version < 0) throw invalid(`invalid version ${quoteInput(version)}`);
    const doc = repo.getDoc(this.ctx.db, this.resolve(id));
    if (!doc) throw notFound(`doc not found: ${id}`);
    const v = repo.getDocVersion(this.ctx.db, doc.id, version);
    if (!v) throw notFound(`doc version not found: v${version} of doc ${shortId(doc.id)}`);
    return { ...doc, version: v };
  }

  /**
   * Adds a version. What is not given is kept: an empty or missing title keeps the title, a missing
   * body keeps the body (an explicit "" empties it). Raises not_found, invalid, conflict.
   */
  update(id: string, change: DocChange, actor: Actor): Doc {
    const hasTitle = change.title !== undefined && change.title.trim() !== "";
    if (!hasTitle && change.body === undefined && !change.change_note) {
      throw invalid("nothing to change (give --title, --content, --from-file or --change-note)");
    }
    const title = hasTitle ? requireName(change.title, "title") : undefined;
    const body = change.body === undefined ? undefined : boundedText(change.body, "body", MAX_BODY);
    return this.ctx.db.tx(() => {
      const cur = this.show(id);
      return this.#addVersion(cur, title ?? cur.title, body ?? cur.version!.body, change.change_note, actor);
    });
  }

  /** Adds a version whose body is the old one plus the text. Raises not_found, invalid. */
  append(id: string, text: string, changeNote: string | undefined, actor: Actor): Doc {
    if (!String(text ?? "").trim()) throw invalid("content is required");
    return this.ctx.db.tx(() => {
      const cur = this.show(id);
      const body = boundedText(appendText(cur.version!.body, text), "body", MAX_BODY);
      return this.#addVersion(cur, cur.title, body, changeNote, actor);
    });
  }

  /** Every version, oldest first. Raises not_found. */
  history(id: string): DocVersion[] {
    return repo.docHistory(this.ctx.db, this.show(id).id);
  }

  /** Deletes a doc with its versions and its attachments. Raises not_found. */
  delete(id: string, actor: Actor): Doc {
    return this.ctx.db.tx(() => {
      const doc = this.show(id);
      deleteLinked(this.ctx.db, "doc", doc.id);
      repo.deleteDoc(this.ctx.db, doc.id);
      this.#log(doc, "deleted", `Deleted doc ${goQuote(doc.title)}`, actor);
      return doc;
    });
  }

  #addVersion(cur: Doc, title: string, body: string, note: string | undefined, actor: Actor): Doc {
    const now = this.ctx.clock();
    const next = cur.current_version + 1;
    const v = this.#version(cur.id, next, title, body, note, actor, now);
    repo.insertDocVersion(this.ctx.db, v);
    if (repo.bumpDocVersion(this.ctx.db, cur.id, cur.current_version, title, now) !== 1) {
      throw conflict(`doc ${shortId(cur.id)} changed while updating; try again`);
    }
    this.#log(cur, "version_added", `Added doc version v${next} ${goQuote(title)}`, actor);
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

  #log(d: Doc, action: string, summary: string, actor: Actor) {
    record(this.ctx, { entity: "doc", entity_id: d.id, action, summary, project_id: d.project_id }, actor);
  }
}
