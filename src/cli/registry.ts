import type { CommandSpec } from "./spec.ts";
import { initCommand } from "./commands/init.ts";
import { projectCommand } from "./commands/project.ts";
import { taskCommand } from "./commands/task.ts";
import { planCommand } from "./commands/plan.ts";
import { commentCommand } from "./commands/comment.ts";
import { labelCommand } from "./commands/label.ts";
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
    versionCommand,
    helpCommand(() => ROOT),
  ],
};
