import { defineCommand, type RunCtx } from "../spec.ts";
import { absPath, progressLine } from "./export.ts";
import { invalid } from "../../domain/errors.ts";
import { isPgUrl, redactUrl } from "../../db/url.ts";
import type { ImportDbResult } from "../../services/interchange/import_db.ts";
import type { PeerImportResult } from "../../services/interchange/import_apply.ts";
import type { PeerFormat } from "../../services/interchange/import_shape.ts";

function defaultProject(ctx: RunCtx): string | undefined {
  try {
    return ctx.config().default_project || undefined;
  } catch {
    return undefined;
  }
}

export const importCommand = defineCommand({
  name: "import",
  summary: "Merge another workspace, or move in from Backlog.md, Task Master, beads or GitHub issues",
  description:
    "Import, in one transaction, whatever the file is (recognised by its content): a backlog.db written by " +
    "this tool or by the original (any schema version; never modified), a `backlog export --format json` " +
    "file, a Backlog.md folder (or the repository holding `backlog/`, or a zip of it), a Task Master " +
    "tasks.json, a beads issues.jsonl, or `gh issue list --state all --json number,title,body,state,labels," +
    "assignees,createdAt,updatedAt,closedAt,url,comments` output. Running it again changes nothing; after the " +
    "source changed it updates what changed. For the peer formats -p names the target project (default: " +
    "one project per source, created if missing); for our databases -p picks the source project.",
  args: [{ name: "path", required: true }],
  readWith: "dry-run",
  flags: {
    project: {
      type: "string",
      short: "p",
      desc: "target project (peer formats) / source project (backlog.db)",
    },
    "dry-run": { type: "boolean", desc: "report exactly what would change; write nothing" },
    format: { type: "string", desc: "read as backlog.md, taskmaster, beads or github (default: recognise)" },
  },
  examples: [
    "backlog import ~/old/backlog.db --dry-run",
    "backlog import ~/src/app            # a repository with a backlog/ folder (Backlog.md)",
    "backlog import .taskmaster/tasks/tasks.json -p app",
    "backlog import .beads/issues.jsonl --dry-run --json",
    "gh issue list --state all --json number,title,body,state,labels,assignees,createdAt,updatedAt,closedAt,url,comments > issues.json && backlog import issues.json",
  ],
  async run(ctx) {
    if (isPgUrl(ctx.args[0])) {
      // Not a path (and never echoed with its password).
      throw invalid(
        `import reads files and folders, not a server: ${redactUrl(ctx.args[0])}`,
        "export it first (backlog --db <url> export --format json -o backlog.json), then import that file",
      );
    }
    const { importSource, parsePeerFormat } = await import("../../services/interchange/import_peer.ts");
    const format = parsePeerFormat(
      ctx.given("format") ? String(ctx.flags.format ?? "") : undefined,
      "--format",
    );
    const bar = progressLine(ctx.io, ctx.io.isTTY);
    const project = ctx.given("project") ? String(ctx.flags.project ?? "").trim() || undefined : undefined;
    let r;
    try {
      r = await importSource(ctx.app(), absPath(ctx.args[0], ctx.io.cwd), {
        project,
        dryRun: !!ctx.flags["dry-run"],
        format: format as PeerFormat | undefined,
        progress: (m) => bar.update(m, true),
      }, ctx.actor());
    } finally {
      bar.done();
    }
    const text = "project_created" in r ? peerText(r) : dbText(r);
    return { data: r, text, written: r.dry_run ? undefined : "" };
  },
});

function dbText(r: ImportDbResult): string {
  const head = `${r.dry_run ? "[dry-run] " : ""}imported: ${r.projects} projects, ${r.tasks} tasks, ` +
    `${r.plans} plans, ${r.comments} comments, ${r.labels} labels`;
  const more = `also ${r.plan_versions} plan versions, ${r.docs} docs (${r.doc_versions} versions), ` +
    `${r.memory} memory entries, ${r.attachments} attachments, ${r.deps} dependencies; ` +
    `already present: ${r.projects_existing} projects, ${r.tasks_existing} tasks`;
  return `${head}\n${more}`;
}

function peerText(r: PeerImportResult): string {
  const verb = r.dry_run ? "[dry-run] would import" : "imported";
  const lines = [
    `${verb} ${r.format} from ${r.source} into project ${r.project}${r.project_created ? " (new)" : ""}`,
  ];
  for (const kind of ["tasks", "plans", "comments", "dependencies", "docs"] as const) {
    const c = r[kind];
    lines.push(
      `${kind}: ${c.created} created · ${c.updated} updated · ${c.unchanged} unchanged · ${c.skipped} skipped`,
    );
  }
  if (r.unplaced) lines.push(`${r.unplaced} fields without a home kept in descriptions under "Other fields"`);
  if (r.sanitised) lines.push(`${r.sanitised} titles or labels had control characters replaced by spaces`);
  for (const n of r.notes) lines.push(`skipped: ${n}`);
  return lines.join("\n");
}

export const importFindingsCommand = defineCommand({
  name: "import-findings",
  summary: "Import findings (a JSON file of issues) as tasks, without duplicates",
  description:
    'Import a findings file ({"version":1,"project","items":[…]}; see `backlog schema findings_file`) ' +
    "in one transaction. Items match existing tasks on (project, source, external_ref), or (project, source, " +
    "title) when they have no external_ref: matches are updated or left unchanged, never duplicated. Status " +
    "is only set on new tasks. Any invalid item fails the run (exit 2) unless --allow-partial.",
  args: [{ name: "file", required: true }],
  readWith: "dry-run",
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
      r = await importFindings(ctx.app(), text, {
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
});
