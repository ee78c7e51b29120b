import { AppError } from "../../domain/errors.ts";
import { ExportFileSchema } from "../../domain/schema_catalog.ts";
import type { Clock } from "../../domain/time.ts";
import type { IdGen } from "../../domain/ids.ts";
import { SqliteStore } from "../../db/connection.ts";
import { migrate } from "../../db/migrate.ts";
import { insertProject } from "../../db/repos/projects.ts";
import type { Label } from "../../domain/models.ts";
import { attachLabel, getLabel, insertLabel, labelIdExists } from "../../db/repos/labels.ts";
import { insertRawTask } from "../../db/repos/import_merge.ts";
import { issueList } from "./issues.ts";
import { parseJsonText } from "./json_text.ts";

/**
 * Turns a `backlog export --format json` file into a temporary workspace database at `dest`, so
 * `import` merges it exactly like another backlog.db (same matching, same idempotence). Tasks keep
 * their IDs, actors and timestamps; projects come from each task's `project` (alias, name).
 * Raises invalid (JSON syntax with line and column, schema errors naming `tasks[i].field`).
 */
export async function buildFromExport(
  text: string,
  path: string,
  dest: string,
  gen: { clock: Clock; ids: IdGen },
): Promise<void> {
  const raw = parseJsonText(text, path);
  if (raw && typeof raw === "object" && "items" in raw && !("tasks" in raw)) {
    throw new AppError("invalid", `${path}: this is a findings file, not a backlog export`, {
      hint: "import it with `backlog import-findings`",
    });
  }
  const parsed = ExportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = issueList(parsed.error.issues);
    throw new AppError("invalid", `${path}: ${issues.summary}`, { details: { errors: issues.errors } });
  }
  const db = new SqliteStore(dest);
  try {
    await migrate(db);
    await db.tx(async () => {
      const projects = new Map<string, string>();
      const now = gen.clock();
      for (const [i, t] of parsed.data.tasks.entries()) {
        const alias = t.project.alias;
        let pid = projects.get(alias);
        if (!pid) {
          pid = t.project.id || t.project_id;
          await insertProject(db, {
            id: pid,
            alias,
            name: t.project.name || alias,
            description: "",
            repo_path: "",
            created_at: now,
            updated_at: now,
          });
          projects.set(alias, pid);
        }
        try {
          await insertRawTask(db, {
            id: t.id,
            project_id: pid,
            title: t.title,
            description: t.description,
            type: t.type,
            status: t.status,
            priority: t.priority,
            assignee: t.assignee ?? "",
            due_at: t.due_at ?? null,
            actor_kind: t.actor.kind,
            actor_name: t.actor.name,
            source: t.source ?? "",
            external_ref: t.external_ref ?? "",
            completed_at: t.completed_at ?? null,
            archived_at: t.archived_at ?? null,
            created_at: t.created_at,
            updated_at: t.updated_at,
            task_seq: t.seq,
            project_path: t.project_path ?? "",
            version: t.version ?? 1,
          });
        } catch (err) {
          if (!/UNIQUE/i.test((err as Error).message)) throw err;
          throw new AppError("invalid", `${path}: tasks[${i}]: duplicate id "${t.id}" or seq ${t.seq}`);
        }
        for (const label of t.labels ?? []) {
          const { id, name, color } = typeof label === "string" ? { name: label } as Partial<Label> : label;
          let l = await getLabel(db, pid, name!);
          if (!l) {
            // The exported label ID is kept when it is free, so an export → import round-trip is exact.
            l = { id: id && !await labelIdExists(db, id) ? id : gen.ids(), project_id: pid, name: name! };
            if (color) l.color = color;
            await insertLabel(db, l);
          }
          await attachLabel(db, t.id, l.id);
        }
      }
    });
  } finally {
    await db.close();
  }
}
