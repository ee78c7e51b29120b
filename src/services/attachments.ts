import type { ServiceContext } from "./context.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Page } from "../domain/models.ts";
import type { Attachment, AttachmentMeta, LinkedType } from "../domain/knowledge.ts";
import { type AppError, invalid, type Message, notFound, usage } from "../domain/errors.ts";
import { MAX_ATTACHMENT_BYTES, mimeFromName, sanitizeFileName, validMime } from "../domain/files.ts";
import { goQuote } from "../domain/quote.ts";
import { shortId } from "../domain/refs.ts";
import * as repo from "../db/repos/attachments.ts";
import { resolveId } from "../db/repos/ids.ts";
import type { ProjectService } from "./projects.ts";
import type { TaskService } from "./tasks.ts";
import type { DocService } from "./docs.ts";

export interface AttachmentAdd {
  name: string;
  data: Uint8Array;
  mime_type?: string;
  /** Task ref (TASK-N, N, ID or prefix). Exactly one of task and doc. */
  task?: string;
  /** Doc ID or unique prefix. */
  doc?: string;
}

export interface AttachmentQuery {
  task?: string;
  doc?: string;
  project?: string;
  limit?: number;
  offset?: number;
}

/** The error for a file over the limit (the CLI raises it before reading a huge file). */
export function tooLarge(size: number): AppError {
  return invalid(
    `attachment exceeds max size of 10 MiB (${size} bytes > ${MAX_ATTACHMENT_BYTES} bytes)`,
  );
}

/** Both a task and a doc given (CLI `--task` and `--doc`; HTTP `task` and `doc`). */
const eitherTaskOrDoc: Message = (w) => `give either ${w.field("task", "doc")}, not both`;

/** Binary files stored in the database, linked to an existing task or doc. */
export class AttachmentService {
  constructor(
    private ctx: ServiceContext,
    private projects: ProjectService,
    private tasks: TaskService,
    private docs: DocService,
  ) {}

  /** Full ID of an attachment (full ULID or unique prefix). Raises not_found, invalid. */
  async resolve(id: string): Promise<string> {
    return await resolveId(this.ctx.db, "attachments", id, "attachment");
  }

  /**
   * Stores a file on a task or a doc, which must exist. The name is reduced to a safe base name and
   * the MIME type comes from its extension unless a well-formed one is given. Raises usage, invalid
   * (size, name), not_found.
   */
  async add(input: AttachmentAdd, actor: Actor): Promise<Attachment> {
    const task = input.task?.trim();
    const doc = input.doc?.trim();
    if (!task && !doc) throw usage((w) => `an attachment needs ${w.field("task", "doc")}`);
    if (task && doc) throw usage(eitherTaskOrDoc);
    if (!(input.data instanceof Uint8Array)) throw invalid("attachment data is required");
    if (input.data.length > MAX_ATTACHMENT_BYTES) throw tooLarge(input.data.length);
    const name = sanitizeFileName(input.name);
    const mime = validMime(input.mime_type) ?? mimeFromName(name);
    return await this.ctx.db.tx(async () => {
      const target = task ? await this.tasks.getTask(task) : await this.docs.show(doc!);
      const linked_type: LinkedType = task ? "task" : "doc";
      const a: Attachment = {
        id: this.ctx.ids(),
        name,
        mime_type: mime,
        size: input.data.length,
        linked_type,
        linked_id: target.id,
        actor,
        created_at: this.ctx.clock(),
      };
      await repo.insertAttachment(this.ctx.db, a, input.data);
      const on = "ref" in target ? target.ref : `doc ${shortId(target.id)}`;
      const summary = `Added attachment ${goQuote(name)} to ${on}`;
      await this.#log(a, "created", summary, target.project_id, actor);
      return a;
    });
  }

  /**
   * Attachments of a task, of a doc, of a project's tasks and docs, or of every project; newest
   * first with a real total. Raises usage (task and doc together), not_found.
   */
  async list(q: AttachmentQuery = {}): Promise<{ attachments: (Attachment | AttachmentMeta)[]; page: Page }> {
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    if (!Number.isInteger(limit) || limit < 0) throw invalid("limit must be a non-negative integer");
    if (!Number.isInteger(offset) || offset < 0) throw invalid("offset must be a non-negative integer");
    if (q.task && q.doc) throw usage(eitherTaskOrDoc);
    let attachments: (Attachment | AttachmentMeta)[];
    let total: number;
    if (q.task || q.doc) {
      const type: LinkedType = q.task ? "task" : "doc";
      const id = q.task ? await this.tasks.resolve(q.task) : await this.docs.resolve(q.doc!);
      attachments = await repo.listLinked(this.ctx.db, type, id, limit, offset);
      total = await repo.countLinked(this.ctx.db, type, id);
    } else {
      const pid = q.project ? (await this.projects.get(q.project)).id : undefined;
      attachments = await repo.listProjectAttachments(this.ctx.db, pid, limit, offset);
      total = await repo.countProjectAttachments(this.ctx.db, pid);
    }
    const page: Page = { total, count: attachments.length, has_more: offset + attachments.length < total };
    if (limit > 0) page.limit = limit;
    if (offset) page.offset = offset;
    return { attachments, page };
  }

  /** Metadata only. Raises not_found. */
  async meta(id: string): Promise<Attachment> {
    const a = await repo.getAttachment(this.ctx.db, await this.resolve(id));
    if (!a) throw notFound(`attachment not found: ${id}`);
    return a;
  }

  /** Metadata and the stored bytes. Raises not_found. */
  async get(id: string): Promise<Attachment & { data: Uint8Array }> {
    const a = await this.meta(id);
    const data = await repo.getAttachmentData(this.ctx.db, a.id);
    if (!data) throw notFound(`attachment not found: ${id}`);
    return { ...a, data };
  }

  /** Deletes an attachment; the activity row names the deleter. Raises not_found. */
  async delete(id: string, actor: Actor): Promise<Attachment> {
    return await this.ctx.db.tx(async () => {
      const a = await this.meta(id);
      await repo.deleteAttachment(this.ctx.db, a.id);
      await this.#log(a, "deleted", `Deleted attachment ${goQuote(a.name)}`, await this.#projectOf(a), actor);
      return a;
    });
  }

  /** The project of whatever the attachment hangs off ('' when the link dangles). */
  async #projectOf(a: Attachment): Promise<string> {
    try {
      if (a.linked_type === "task") return (await this.tasks.getTask(a.linked_id)).project_id;
      if (a.linked_type === "doc") return (await this.docs.show(a.linked_id)).project_id;
    } catch { /* orphaned by a task or doc delete */ }
    return "";
  }

  async #log(a: Attachment, action: string, summary: string, projectId: string, actor: Actor) {
    await record(
      this.ctx,
      { entity: "attachment", entity_id: a.id, action, summary, project_id: projectId },
      actor,
    );
  }
}
