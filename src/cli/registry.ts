import type { CommandSpec } from "./spec.ts";
import { initCommand } from "./commands/init.ts";
import { projectCommand } from "./commands/project.ts";
import { taskCommand } from "./commands/task.ts";
import { planCommand } from "./commands/plan.ts";
import { commentCommand } from "./commands/comment.ts";
import { labelCommand } from "./commands/label.ts";
import { memoryCommand } from "./commands/memory.ts";
import { docCommand } from "./commands/doc.ts";
import { attachmentCommand } from "./commands/attachment.ts";
import { activityCommand } from "./commands/activity.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { profileCommand } from "./commands/profile.ts";
import { mcpCommand } from "./commands/mcp.ts";
import { webCommand } from "./commands/web.ts";
import { watchCommand } from "./commands/watch.ts";
import { exportCommand } from "./commands/export.ts";
import { importCommand, importFindingsCommand } from "./commands/import.ts";
import { syncCommand } from "./commands/sync.ts";
import { schemaCommand } from "./commands/schema.ts";
import { installSkillsCommand } from "./commands/skills.ts";
import { completionCommand } from "./commands/completion.ts";
import { helpCommand, versionCommand } from "./commands/misc.ts";

/** The command table: every group, in help order. Heavy modules load inside run(), never here. */
export const ROOT: CommandSpec = {
  name: "backlog",
  summary: "A local-first task queue for humans and AI agents",
  description:
    "Backlog — one SQLite task queue that humans and AI coding agents share; every write signed by its actor.",
  subcommands: [
    initCommand,
    projectCommand,
    taskCommand,
    planCommand,
    commentCommand,
    labelCommand,
    memoryCommand,
    docCommand,
    attachmentCommand,
    activityCommand,
    doctorCommand,
    profileCommand,
    mcpCommand,
    webCommand,
    watchCommand,
    importCommand,
    importFindingsCommand,
    exportCommand,
    syncCommand,
    schemaCommand,
    installSkillsCommand,
    completionCommand,
    versionCommand,
    helpCommand(() => ROOT),
  ],
};
