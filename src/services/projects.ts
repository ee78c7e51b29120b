import type { ServiceContext } from "./context.ts";
import { record } from "./context.ts";
import type { Actor } from "../domain/actor.ts";
import type { Project } from "../domain/models.ts";
import { AppError, invalid, notFound } from "../domain/errors.ts";
import { requireName, validateAlias } from "../domain/fields.ts";
import { goQuote, quoteInput } from "../domain/quote.ts";
import * as repo from "../db/repos/projects.ts";
import { deleteProjectActivity } from "../db/repos/activity.ts";

export interface ProjectInput {
  alias: string;
  name?: string;
  description?: string;
  repo_path?: string;
}

/** Projects: create, read, update, archive, delete. */
export class ProjectService {
  constructor(private ctx: ServiceContext) {}

  /** The project with this alias (or ULID). Raises not_found. */
  async get(alias: string): Promise<Project> {
    const a = (alias ?? "").trim();
    if (!a) throw invalid("project is required");
    const p = await repo.getProjectByAlias(this.ctx.db, a) ??
      (/^[0-9A-Z]{26}$/i.test(a) ? await repo.getProjectById(this.ctx.db, a.toUpperCase()) : undefined);
    if (!p) {
      throw notFound(
        `project ${quoteInput(a)} not found`,
        (w) => `run ${w.ops.project_list()} to see aliases`,
      );
    }
    return p;
  }

  /** Creates a project. Raises invalid (alias, name), conflict (alias taken). */
  async create(input: ProjectInput, actor: Actor): Promise<Project> {
    const alias = validateAlias((input.alias ?? "").trim());
    const name = requireName(input.name || alias, "name");
    const now = this.ctx.clock();
    const p: Project = {
      id: this.ctx.ids(),
      alias,
      name,
      description: input.description ?? "",
      repo_path: input.repo_path ?? "",
      created_at: now,
      updated_at: now,
    };
    return await this.ctx.db.tx(async () => {
      if (await repo.getProjectByAlias(this.ctx.db, alias)) {
        throw new AppError("conflict", `project "${alias}" already exists`, {
          hint: (w) => `pick another ${w.fields.alias}`,
        });
      }
      await repo.insertProject(this.ctx.db, p);
      await this.#log(p, "created", `Created project ${goQuote(name)} (${alias})`, actor);
      return p;
    });
  }

  async list(opts: { includeArchived?: boolean } = {}): Promise<Project[]> {
    return await repo.listProjects(this.ctx.db, !!opts.includeArchived);
  }

  /** Changes only the given fields. Raises not_found, invalid (empty name). */
  async update(alias: string, patch: repo.ProjectPatch, actor: Actor): Promise<Project> {
    if (patch.name !== undefined) patch.name = requireName(patch.name, "name");
    return await this.ctx.db.tx(async () => {
      const p = await this.get(alias);
      await repo.updateProject(this.ctx.db, p.id, patch, this.ctx.clock());
      const out = await this.get(p.alias);
      await this.#log(out, "updated", `Updated project ${goQuote(out.name)} (${out.alias})`, actor);
      return out;
    });
  }

  /** Archives a project (its tasks stay). Raises not_found. */
  async archive(alias: string, actor: Actor): Promise<Project> {
    return await this.ctx.db.tx(async () => {
      const p = await this.get(alias);
      const now = this.ctx.clock();
      await repo.setProjectArchived(this.ctx.db, p.id, now, now);
      await this.#log(p, "archived", `Archived project ${goQuote(p.name)} (${p.alias})`, actor);
      return await this.get(p.alias);
    });
  }

  /** Restores an archived project; a no-op (no activity) when it is not archived. Raises not_found. */
  async unarchive(alias: string, actor: Actor): Promise<Project> {
    return await this.ctx.db.tx(async () => {
      const p = await this.get(alias);
      if (p.archived_at === undefined) return p;
      await repo.setProjectArchived(this.ctx.db, p.id, null, this.ctx.clock());
      await this.#log(p, "unarchived", `Restored project ${goQuote(p.name)} (${p.alias})`, actor);
      return await this.get(p.alias);
    });
  }

  /**
   * Hard-deletes an archived project with everything in it, in one transaction. The project's own
   * activity goes with it; one `deleted` row (project_id '') keeps who deleted it.
   * Raises not_found, conflict (not archived).
   */
  async delete(alias: string, actor: Actor): Promise<Project> {
    return await this.ctx.db.tx(async () => {
      const p = await this.get(alias);
      if (p.archived_at === undefined) {
        throw new AppError("conflict", `project "${p.alias}" must be archived before it can be deleted`, {
          hint: (w) => `run ${w.ops.project_archive(p.alias)} first`,
        });
      }
      await repo.deleteProjectAttachments(this.ctx.db, p.id);
      await deleteProjectActivity(this.ctx.db, p.id);
      await repo.deleteProject(this.ctx.db, p.id);
      await record(this.ctx, {
        entity: "project",
        entity_id: p.id,
        action: "deleted",
        summary: `Deleted project ${goQuote(p.name)} (${p.alias})`,
        project_id: "",
      }, actor);
      return p;
    });
  }

  async #log(p: Project, action: string, summary: string, actor: Actor) {
    await record(this.ctx, { entity: "project", entity_id: p.id, action, summary, project_id: p.id }, actor);
  }
}
