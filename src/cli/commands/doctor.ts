import { type CommandSpec, defineCommand, type Output, type RunCtx } from "../spec.ts";
import { str } from "./num_flags.ts";
import { parseFlags } from "./op_flags.ts";
import {
  checkFile,
  checkIntegrity,
  type IntegrityReport,
  type ProjectDoctorReport,
} from "../../services/doctor.ts";

/** The original's text report for `doctor project`. */
export function doctorText(r: ProjectDoctorReport): string {
  const out = [
    r.truncated
      ? `Project doctor for ${r.project}: ${r.issue_count} issue(s) shown, ${r.total_detected} detected`
      : `Project doctor for ${r.project}: ${r.issue_count} issue(s)`,
  ];
  if (r.total_detected === 0) {
    out.push("No stale, orphaned, or weakly-closed work detected.");
    return out.join("\n");
  }
  for (const i of r.issues) {
    out.push(
      `- [${i.severity.toUpperCase()}] ${i.ref || "project"} ${i.code}: ${i.detail}` +
        (i.evidence ? ` (${i.evidence})` : ""),
    );
  }
  if (r.truncated) {
    out.push(
      `... ${r.total_detected - r.issue_count} more issue(s) not shown; increase --limit to inspect them.`,
    );
  }
  return out.join("\n");
}

/** `doctor check`: the report, with one `✗` line per problem and exit 1 when damaged or stale. */
async function checkFileOutput(ctx: RunCtx): Promise<Output> {
  const w = ctx.workspace();
  const report = w.server ? await checkServer(w.dbPath) : await checkFile(w.dbPath);
  if (report.ok) return { data: report, ok: "database integrity: ok" };
  const notes = [
    ...report.integrity.filter((l) => l !== "ok").map((l) => `✗ database integrity: ${l}`),
    ...report.foreign_key_violations.map((v) =>
      `✗ foreign key: ${v.table} row ${v.rowid ?? "?"} points to a missing ${v.parent} row`
    ),
    ...report.stale_ranking.map((r) =>
      `✗ stale ranking: ${r.task} ${r.field} is ${r.stored}, the graph says ${r.actual} (run \`backlog doctor repair\`)`
    ),
    ...report.stale_totals.map((r) =>
      `✗ stale total: ${r.project} ${r.status}${r.archived ? " archived" : ""} is ${r.stored}, ` +
      `the tasks table has ${r.actual} (run \`backlog doctor repair\`)`
    ),
  ];
  return { data: report, notes, exitCode: 1 };
}

/** `doctor check` on a server: connects without migrating (a check must not write) and checks. */
async function checkServer(url: string): Promise<IntegrityReport> {
  const { openStore } = await import("../../db/open.ts");
  const db = await openStore(url, { noMigrate: true });
  try {
    return await checkIntegrity(db);
  } finally {
    await db.close();
  }
}

export const doctorCommand: CommandSpec = {
  name: "doctor",
  summary: "Database health (check, backup) and project workflow checks",
  subcommands: [
    defineCommand({
      name: "check",
      summary: "Check integrity, foreign keys and stored counts (exit 1 when damaged or stale)",
      db: false,
      run: checkFileOutput,
    }),
    defineCommand({
      name: "repair",
      db: true,
      summary: "Rebuild the stored queue ranking and list totals that `doctor check` found stale",
      examples: ["backlog doctor repair"],
      async run(ctx) {
        const r = await ctx.app().doctor.repair();
        const n = r.unblocks + r.blockers_open + r.task_counts;
        return {
          data: { ok: true, repaired: r },
          ok: n
            ? `repaired: ${r.unblocks} unblocks, ${r.blockers_open} blockers_open, ${r.task_counts} task_counts`
            : "nothing to repair: stored counts match the graph",
        };
      },
    }),
    defineCommand({
      name: "backup",
      db: "read",
      summary: "Write a consistent copy of the database (safe while others write)",
      flags: {
        to: str("destination file or directory (default: <workspace>/backlog.backup.db)", {
          value: "<path>",
        }),
        force: { type: "boolean", desc: "overwrite an existing destination" },
      },
      examples: ["backlog doctor backup --to ~/backups/backlog-$(date +%F).db"],
      async run(ctx) {
        const to = ctx.flags.to as string | undefined;
        const dest = to
          ? (to.startsWith("/") ? to : `${ctx.io.cwd}/${to}`)
          : `${ctx.workspace().dir}/backlog.backup.db`;
        const r = await ctx.app().doctor.backup(dest, { force: !!ctx.flags.force });
        return { data: { ok: true, ...r }, ok: `backup written to: ${r.path}`, written: r.path };
      },
    }),
    defineCommand({
      name: "project",
      db: "read",
      summary: "Detect stale, orphaned and weakly-closed work in a project",
      flags: {
        project: str("project alias (default: the default project)", { short: "p" }),
        "stale-after": str("doing tasks untouched this long are stale (default 7d)", { value: "<duration>" }),
        limit: str("issues to show (default 100)", { value: "<n>" }),
      },
      examples: ["backlog doctor project -p api --stale-after 3d"],
      async run(ctx) {
        const map = { stale_after: "stale-after", limit: "limit" } as const;
        const { project, ...q } = parseFlags(ctx, "doctor_project", map, {
          extra: { project: ctx.requireProject() },
        });
        const report = await ctx.app().doctor.project(project, q);
        return { data: report, text: doctorText(report) };
      },
    }),
  ],
};
