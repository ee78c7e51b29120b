import { ADD, type Kit, READ } from "../define.ts";
import { ok } from "../result.ts";
import { listText, projectLine } from "../render.ts";
import { pageOf } from "../schema.ts";
import { ProjectInputSchema } from "../../domain/schemas.ts";
import { Paging } from "../../domain/schema_fields.ts";

/** project_list, project_create. */
export function registerProjectTools(k: Kit): void {
  k.tool("project_list", {
    title: "List projects",
    description: "List projects.",
    input: Paging,
    hints: READ,
    async run(a) {
      const { rows, page } = pageOf(await k.app.projects.list(), a);
      const projects = rows.map((p) => {
        const r: Record<string, unknown> = { alias: p.alias, name: p.name, id: p.id };
        if (p.description) r.description = p.description;
        if (p.archived_at !== undefined) r.archived_at = p.archived_at;
        return r;
      });
      return ok({ projects, page }, listText(rows.map(projectLine), page, "no projects"));
    },
  });

  k.tool("project_create", {
    title: "Create project",
    description: "Create a project (alias: a-z0-9-).",
    input: ProjectInputSchema.shape,
    hints: ADD,
    async run(a, actor) {
      const p = await k.app.projects.create(a, actor);
      return ok({ ...p }, `created project ${projectLine(p)}`);
    },
  });
}
