import { defineCommand } from "../spec.ts";
import { AppError } from "../../domain/errors.ts";

export const installSkillsCommand = defineCommand({
  name: "install-skills",
  aliases: ["install-skill"],
  summary: "Install the Backlog skills into Claude Code, Cursor, OpenCode and Codex",
  description:
    "Install Backlog's agent skills (backlog, backlog-loop, backlog-enhance-tasks, backlog-goal, " +
    "backlog-memory) into every AI coding tool found in your home directory: ~/.claude/skills, " +
    "~/.cursor/rules, ~/.config/opencode/skills and ~/.codex/skills. Existing files are kept unless --force.",
  db: false,
  flags: {
    force: { type: "boolean", desc: "overwrite existing files" },
    "dry-run": { type: "boolean", desc: "show what would be written" },
    all: { type: "boolean", desc: "install into every target, detected or not" },
    skill: {
      type: "string",
      multiple: true,
      desc: "only this skill (repeatable or comma-separated)",
      value: "<name>",
    },
  },
  examples: [
    "backlog install-skills --dry-run",
    "backlog install-skills --skill backlog,backlog-loop --force",
  ],
  async run(ctx) {
    const { installSkills, TARGETS } = await import("../../services/interchange/skills.ts");
    const home = ctx.io.env.get("HOME");
    if (!home) throw new AppError("invalid", "install-skills: $HOME is not set");
    const r = installSkills({
      home,
      force: !!ctx.flags.force,
      dryRun: !!ctx.flags["dry-run"],
      all: !!ctx.flags.all,
      skills: (ctx.flags.skill as string[] | undefined) ?? [],
    });
    if (!r.detected && !r.targets.length) {
      const lines = [
        "No supported AI coding tools detected. Pass --all to install everywhere anyway.",
        "Supported targets (detected by directory presence):",
        ...TARGETS.map((t) => `  ${t.tool.padEnd(12)} ~/${t.detect}`),
      ];
      return { data: r, text: lines.join("\n") };
    }
    const lines: string[] = [];
    for (const t of r.targets) {
      lines.push(t.tool);
      for (const f of t.files) {
        if (f.action === "wrote") lines.push(`  wrote ${f.path}`);
        else if (f.action === "skip") lines.push(`  skip ${f.path} (already exists; --force to overwrite)`);
        else lines.push(`  would write ${f.path} (${f.bytes} bytes)`);
      }
    }
    return { data: r, text: lines.join("\n"), written: ctx.flags["dry-run"] ? undefined : "" };
  },
});
