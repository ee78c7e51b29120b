import { defineCommand } from "../spec.ts";
import { usage } from "../../domain/errors.ts";

const list = (xs: string[]) => `[${xs.join(" ")}]`;

export const syncCommand = defineCommand({
  name: "sync",
  summary: "Sync projects with the workspace's backlog.json manifest",
  description: "Read <workspace>/backlog.json and create the projects it lists that do not exist yet " +
    "(--update also applies changed names, descriptions and repo paths). Nothing is deleted or archived. " +
    "--write goes the other way: it writes backlog.json from the database (non-archived projects).",
  flags: {
    update: { type: "boolean", desc: "also update existing projects whose fields differ" },
    write: { type: "boolean", desc: "write backlog.json from the database instead of reading it" },
    "dry-run": { type: "boolean", desc: "report what would change; write nothing" },
  },
  examples: ["backlog sync", "backlog sync --update", "backlog sync --write"],
  async run(ctx) {
    const svc = await import("../../services/interchange/sync.ts");
    const ws = ctx.workspace();
    const path = `${ws.dir}/backlog.json`;
    const app = ctx.app();
    if (ctx.flags.write) {
      if (ctx.flags.update || ctx.flags["dry-run"]) {
        throw usage("sync --write cannot be combined with --update or --dry-run");
      }
      const r = await svc.writeManifest(app, path, ws.dir.split("/").pop() || "backlog");
      return {
        data: r,
        ok: `wrote ${path}: ${r.projects} project${r.projects === 1 ? "" : "s"}`,
        written: path,
      };
    }
    const r = await svc.syncManifest(
      app,
      path,
      { update: !!ctx.flags.update, dryRun: !!ctx.flags["dry-run"] },
      ctx.actor(),
    );
    const pre = r.dry_run ? "[dry-run] " : "";
    const lines: string[] = [];
    if (r.added.length) lines.push(`${pre}✓ added projects: ${list(r.added)}`);
    if (r.updated.length) lines.push(`${pre}✓ updated projects: ${list(r.updated)}`);
    if (r.skipped.length) lines.push(`already exist: ${list(r.skipped)}`);
    if (!lines.length) lines.push("nothing to sync");
    return { data: r, text: lines.join("\n"), written: r.dry_run ? undefined : "" };
  },
});
