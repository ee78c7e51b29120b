import type { Ctx } from "./context.ts";
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
  constructor(private ctx: Ctx) {}

  /** The project with this alias (or ULID). Raises not_found. */
  get(alias: string): Project {
    const a = (alias ?? "").trim();
    if (!a) throw invalid("project is required");
    const p = repo.getProjectByAlias(this.ctx.db, a) ??
      (/^[0-9A-Z]{26}$/i.test(a) ? repo.getProjectById(this.ctx.db, a.toUpperCase()) : undefined);
    if (!p) throw notFound(`project ${quoteInput(a)} not found`, "run `backlog project list` to see aliases");
    return p;
  }

  /** Creates a project. Raises invalid (alias, name), conflict (alias taken). */
  create(input: ProjectInput, actor: Actor): Project {
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
    return this.ctx.db.tx(() => {
      if (repo.getProjectByAlias(this.ctx.db, alias)) {
        throw new AppError("conflict", `project "${alias}" already exists`, { hint: "pick another --alias" });
      }
      repo.insertProject(this.ctx.db, p);
      this.#log(p, "created", `Created project ${goQuote(name)} (${alias})`, actor);
      return p;
    });
  }

  list(opts: { includeArchived?: boolean } = {}): Project[] {
    return repo.listProjects(this.ctx.db, !!opts.includeArchived);
  }

  /** Changes only the given fields. Raises not_found, invalid (empty name). */
  update(alias: string, patch: repo.ProjectPatch, actor: Actor): Project {
    if (patch.name !== undefined) patch.name = requireName(patch.name, "name");
    return this.ctx.db.tx(() => {
      const p = this.get(alias);
      repo.updateProject(this.ctx.db, p.id, patch, this.ctx.clock());
      const out = this.get(p.alias);
      this.#log(out, "updated", `Updated project ${goQuote(out.name)} (${out.alias})`, actor);
      return out;
    });
  }

  /** Archives a project (its tasks stay). Raises not_found. */
  archive(alias: string, actor: Actor): Project {
    return this.ctx.db.tx(() => {
      const p = this.get(alias);
      const now = this.ctx.clock();
      repo.setProjectArchived(this.ctx.db, p.id, now, now);
      this.#log(p, "archived", `Archived project ${goQuote(p.name)} (${p.alias})`, actor);
      return this.get(p.alias);
    });
  }

  /** Restores an archived project; a no-op (no activity) when it is not archived. Raises not_found. */
  unarchive(alias: string, actor: Actor): Project {
    return this.ctx.db.tx(() => {
      const p = this.get(alias);
      if (p.archived_at === undefined) return p;
      repo.setProjectArchived(this.ctx.db, p.id, null, this.ctx.clock());
      this.#log(p, "unarchived", `Restored project ${goQuote(p.name)} (${p.alias})`, actor);
      return this.get(p.alias);
    });
  }

  /**
   * Hard-deletes an archived project with everything in it, in one transaction. The project's own
   * activity goes with it; one `deleted` row (project_id '') keeps who deleted it.
   * Raises not_found, conflict (not archived).
   */
  delete(alias: string, actor: Actor): Project {
    return this.ctx.db.tx(() => {
      const p = this.get(alias);
      if (p.archived_at === undefined) {
        throw new AppError("conflict", `project "${p.alias}" must be archived before it can be deleted`, {
          hint: `run \`backlog project archive ${p.alias}\` first`,
        });
      }
      repo.deleteProjectAttachments(this.ctx.db, p.id);
      deleteProjectActivity(this.ctx.db, p.id);
      repo.deleteProject(this.ctx.db, p.id);
      record(this.ctx, {
        entity: "project",
        entity_id: p.id,
        action: "deleted",
        summary: `Deleted project ${goQuote(p.name)} (${p.alias})`,
        project_id: "",
      }, actor);
      return p;
    });
  }

  #log(p: Project, action: string, summary: string, actor: Actor) {
    record(this.ctx, { entity: "project", entity_id: p.id, action, summary, project_id: p.id }, actor);
  }
}
