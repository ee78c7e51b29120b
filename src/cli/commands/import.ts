import type { CommandSpec, RunCtx } from "../spec.ts";
import { absPath, progressLine } from "./export.ts";

function defaultProject(ctx: RunCtx): string | undefined {
  try {
    return ctx.config().default_project || undefined;
  } catch {
    return undefined;
  }
}

export const importCommand: CommandSpec = {
  name: "import",
  summary: "Merge another workspace (backlog.db of any version, or a JSON export) into this one",
  description:
    "Merge another workspace into this one, in one transaction: a backlog.db written by this tool " +
    "or by the original (any schema version; the file itself is never modified), or a `backlog export " +
    "--format json` file. Original IDs, actors, timestamps, project paths, plans with every version, " +
    "comments, labels, docs, memory and attachments are kept. Running it again changes nothing: projects " +
    "match by alias, tasks by ID or by (project, source, external_ref).",
  args: [{ name: "file", required: true }],
  flags: {
    project: { type: "string", short: "p", desc: "import only this project of the source (alias)" },
    "dry-run": { type: "boolean", desc: "report what would be imported; write nothing" },
  },
  examples: [
    "backlog import ~/old/backlog.db --dry-run",
    "backlog import ~/.backlog/work/backlog.db -p api",
    "backlog import tasks.json",
  ],
  async run(ctx) {
    const { importWorkspace } = await import("../../services/interchange/import_db.ts");
    const bar = progressLine(ctx.io, ctx.io.isTTY);
    const project = ctx.given("project") ? String(ctx.flags.project ?? "").trim() || undefined : undefined;
    let r;
    try {
      r = importWorkspace(ctx.app(), absPath(ctx.args[0], ctx.io.cwd), {
        project,
        dryRun: !!ctx.flags["dry-run"],
        progress: (m) => bar.update(m, true),
      }, ctx.actor());
    } finally {
      bar.done();
    }
    const head = `${r.dry_run ? "[dry-run] " : ""}imported: ${r.projects} projects, ${r.tasks} tasks, ` +
      `${r.plans} plans, ${r.comments} comments, ${r.labels} labels`;
    const more = `also ${r.plan_versions} plan versions, ${r.docs} docs (${r.doc_versions} versions), ` +
      `${r.memory} memory entries, ${r.attachments} attachments, ${r.deps} dependencies; ` +
      `already present: ${r.projects_existing} projects, ${r.tasks_existing} tasks`;
    return { data: r, text: `${head}\n${more}`, written: r.dry_run ? undefined : "" };
  },
};

export const importFindingsCommand: CommandSpec = {
  name: "import-findings",
  summary: "Import findings (a JSON file of issues) as tasks, without duplicates",
  description:
    'Import a findings file ({"version":1,"project","items":[…]}; see `backlog schema findings_file`) ' +
    "in one transaction. Items match existing tasks on (project, source, external_ref), or (project, source, " +
    "title) when they have no external_ref: matches are updated or left unchanged, never duplicated. Status " +
    "is only set on new tasks. Any invalid item fails the run (exit 2) unless --allow-partial.",
  args: [{ name: "file", required: true }],
  flags: {
    project: { type: "string", short: "p", desc: "project alias (wins over the file's project)" },
    "dry-run": { type: "boolean", desc: "validate everything and report what would change; write nothing" },
    "allow-partial": { type: "boolean", desc: "skip invalid items instead of failing the run" },
  },
  examples: [
    "backlog import-findings semgrep.json -p api --dry-run",
    "backlog import-findings findings.json --as ai:scanner --json",
  ],
  async run(ctx) {
    const { importFindings } = await import("../../services/interchange/findings.ts");
    const { errorLine } = await import("../../services/interchange/issues.ts");
    const file = ctx.args[0];
    const text = await ctx.readText(file, "import-findings");
    const bar = progressLine(ctx.io, ctx.io.isTTY);
    let r;
    try {
      r = importFindings(ctx.app(), text, {
        project: ctx.given("project") ? String(ctx.flags.project ?? "").trim() : undefined,
        defaultProject: defaultProject(ctx),
        dryRun: !!ctx.flags["dry-run"],
        allowPartial: !!ctx.flags["allow-partial"],
        file,
        progress: (n, total) => bar.update(`importing… ${n}/${total} items`),
      }, ctx.actor());
    } finally {
      bar.done();
    }
    const verb = r.dry_run ? "[dry-run] would import" : "imported";
    const text1 = `${verb} ${r.tasks} tasks · ${r.plans} plans · ${r.errors.length} errors`;
    const text2 =
      `${r.created} created · ${r.updated} updated · ${r.unchanged} unchanged · ${r.skipped} skipped ` +
      `(project ${r.project})`;
    const errors = ctx.json ? [] : r.errors.map((e) => `✗ ${errorLine(e)}`);
    return { data: r, text: `${text1}\n${text2}`, errors, written: r.dry_run ? undefined : "" };
  },
};
