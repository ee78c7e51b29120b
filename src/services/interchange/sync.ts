import { writeFileAtomic } from "../../fs.ts";
import type { Services } from "../services.ts";
import type { Actor } from "../../domain/actor.ts";
import { AppError } from "../../domain/errors.ts";
import { ManifestSchema } from "../../domain/schema_catalog.ts";
import type { ProjectPatch } from "../../db/repos/projects.ts";
import { errorLine, pathString, summarize } from "./issues.ts";
import { parseJsonText } from "./json_text.ts";

/** The services this module writes through. */
export type SyncDeps = Pick<Services, "db" | "projects">;

/**
 * `backlog sync`: the workspace's `backlog.json` manifest → projects, in one transaction after the
 * whole manifest validated. Missing projects are created; existing ones are left alone unless
 * `update`, which applies the manifest's name, description and repo_path where they differ. Sync
 * never deletes or archives. `writeManifest` goes the other way (database → backlog.json).
 */

export interface SyncResult {
  manifest: string;
  dry_run: boolean;
  added: string[];
  updated: string[];
  skipped: string[];
}

export interface Manifest {
  version: 1;
  name: string;
  description: string;
  projects: { alias: string; name: string; description: string; repo_path: string }[];
}

/** Reads and validates a manifest; a missing file is an empty one. Raises invalid. */
export function readManifest(path: string): Awaited<ReturnType<typeof ManifestSchema.parse>> | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw new AppError("invalid", `cannot read "${path}": ${(err as Error).message}`);
  }
  const name = path.split("/").pop() ?? path;
  const raw = parseJsonText(text, name);
  const r = ManifestSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => errorLine({ field: pathString(i.path), message: i.message }));
    throw new AppError("invalid", `${name}: ${summarize(lines)}`, {
      details: { errors: r.error.issues.map((i) => ({ field: pathString(i.path), message: i.message })) },
    });
  }
  return r.data;
}

/** Applies the manifest at `path`. Raises invalid (file), conflict. */
export async function syncManifest(
  svc: SyncDeps,
  path: string,
  opts: { update?: boolean; dryRun?: boolean },
  actor: Actor,
): Promise<SyncResult> {
  const m = readManifest(path);
  const r: SyncResult = { manifest: path, dry_run: !!opts.dryRun, added: [], updated: [], skipped: [] };
  if (!m?.projects?.length) return r;
  const seen = new Set<string>();
  return await svc.db.tx(async () => {
    const byAlias = new Map((await svc.projects.list({ includeArchived: true })).map((x) => [x.alias, x]));
    for (const p of m.projects!) {
      if (seen.has(p.alias)) continue;
      seen.add(p.alias);
      const existing = byAlias.get(p.alias);
      if (!existing) {
        await svc.projects.create(p, actor);
        r.added.push(p.alias);
        continue;
      }
      const patch: ProjectPatch = {};
      if (opts.update) {
        if (p.name !== undefined && p.name.trim() && p.name.trim() !== existing.name) patch.name = p.name;
        if (p.description !== undefined && p.description !== existing.description) {
          patch.description = p.description;
        }
        if (p.repo_path !== undefined && p.repo_path !== existing.repo_path) patch.repo_path = p.repo_path;
      }
      if (Object.keys(patch).length) {
        await svc.projects.update(p.alias, patch, actor);
        r.updated.push(p.alias);
      } else r.skipped.push(p.alias);
    }
    return r;
  }, { rollback: !!opts.dryRun });
}

/**
 * Writes the manifest from the database (non-archived projects, by alias), keeping the file's
 * name and description. The file is replaced atomically. Raises invalid (unwritable path).
 */
export async function writeManifest(
  svc: SyncDeps,
  path: string,
  workspaceName: string,
): Promise<{ manifest: string; projects: number }> {
  let old: Awaited<ReturnType<typeof readManifest>>;
  try {
    old = readManifest(path);
  } catch {
    old = undefined; // an unreadable manifest is replaced
  }
  const projects = (await svc.projects.list()).sort((a, b) =>
    a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0
  );
  const m: Manifest = {
    version: 1,
    name: old?.name ?? workspaceName,
    description: old?.description ?? "",
    projects: projects.map((p) => ({
      alias: p.alias,
      name: p.name,
      description: p.description,
      repo_path: p.repo_path,
    })),
  };
  writeFileAtomic(path, JSON.stringify(m, null, 2) + "\n", "sync --write");
  return { manifest: path, projects: m.projects.length };
}
