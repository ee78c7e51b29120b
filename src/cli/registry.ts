import { type CommandSpec, GLOBAL_VALUE_FLAGS } from "./spec.ts";

/** One command group: its names and its specs (imported on first use). */
export interface Route {
  names: string[];
  load: () => Promise<CommandSpec[]>;
  /** Its commands write config files (the TOML writer loads before they run). */
  writesConfig?: true;
  /** None of its commands opens the workspace (the store is not loaded ahead for them). */
  noDb?: true;
  /**
   * Its commands are one-shot: nothing runs beside the command on the store (no server, no timer),
   * so the store needs no async context (`openApp({solo})`, node:async_hooks not loaded).
   */
  solo?: true;
  /**
   * Imports, as one graph, the group with the app and the services the command named by `sub` (the
   * word after the group's, a guess: flags are not parsed yet) will call, before the group loads:
   * concurrent imports would each read and compile the modules they share. Only a matter of speed:
   * a wrong guess loads a module early or late. Without it the app loads beside the group.
   */
  warm?: (sub: string | undefined) => Promise<unknown>;
}

/**
 * The command table, loaded lazily: a CLI run imports only the group its first word names (about
 * 40 ms less start-up than importing every group), while help, completion and checks load all.
 * `ROUTES` must list every group's name and aliases in help order (a test compares it with the specs).
 */
export const ROUTES: Route[] = [
  {
    names: ["init"],
    load: async () => [(await import("./commands/init.ts")).initCommand],
    writesConfig: true,
  },
  {
    names: ["project", "proj", "p"],
    load: async () => [(await import("./commands/project.ts")).projectCommand],
    writesConfig: true,
    solo: true,
  },
  {
    names: ["task", "t"],
    load: async () => [(await import("./commands/task.ts")).taskCommand],
    solo: true,
    warm: (sub) => sub === "show" ? import("./warm/task_show.ts") : import("./warm/task.ts"),
  },
  {
    names: ["plan"],
    load: async () => [(await import("./commands/plan.ts")).planCommand],
    solo: true,
  },
  {
    names: ["comment"],
    load: async () => [(await import("./commands/comment.ts")).commentCommand],
    solo: true,
  },
  {
    names: ["label"],
    load: async () => [(await import("./commands/label.ts")).labelCommand],
    solo: true,
  },
  {
    names: ["memory"],
    load: async () => [(await import("./commands/memory.ts")).memoryCommand],
    solo: true,
  },
  { names: ["doc"], load: async () => [(await import("./commands/doc.ts")).docCommand], solo: true },
  {
    names: ["attachment", "attach"],
    load: async () => [(await import("./commands/attachment.ts")).attachmentCommand],
    solo: true,
  },
  {
    names: ["activity"],
    load: async () => [(await import("./commands/activity.ts")).activityCommand],
  },
  {
    names: ["report"],
    load: async () => [(await import("./commands/report.ts")).reportCommand],
  },
  {
    names: ["doctor"],
    load: async () => [(await import("./commands/doctor.ts")).doctorCommand],
  },
  {
    names: ["profile"],
    load: async () => [(await import("./commands/profile.ts")).profileCommand],
    writesConfig: true,
    noDb: true,
  },
  { names: ["mcp"], load: async () => [(await import("./commands/mcp.ts")).mcpCommand] },
  { names: ["web"], load: async () => [(await import("./commands/web.ts")).webCommand] },
  { names: ["token"], load: async () => [(await import("./commands/token.ts")).tokenCommand] },
  { names: ["watch"], load: async () => [(await import("./commands/watch.ts")).watchCommand] },
  {
    names: ["import", "import-findings"],
    load: async () => {
      const m = await import("./commands/import.ts");
      return [m.importCommand, m.importFindingsCommand];
    },
  },
  { names: ["export"], load: async () => [(await import("./commands/export.ts")).exportCommand] },
  { names: ["sync"], load: async () => [(await import("./commands/sync.ts")).syncCommand] },
  { names: ["schema"], load: async () => [(await import("./commands/schema.ts")).schemaCommand], noDb: true },
  {
    names: ["install-skills", "install-skill"],
    load: async () => [(await import("./commands/skills.ts")).installSkillsCommand],
    noDb: true,
  },
  {
    names: ["completion"],
    load: async () => [(await import("./commands/completion.ts")).completionCommand],
    noDb: true,
  },
  { names: ["version"], load: async () => [(await import("./commands/misc.ts")).versionCommand], noDb: true },
];

const ROOT_INFO = {
  name: "backlog",
  summary: "A local-first task queue for humans and AI agents",
  description:
    "Backlog — one SQLite task queue that humans and AI coding agents share; every write signed by its actor.",
};

let full: Promise<CommandSpec> | undefined;

/** The whole command table (every group loaded): help, completion, fuzzing and docs checks. */
export function loadRoot(): Promise<CommandSpec> {
  return full ??= (async () => {
    const groups = (await Promise.all(ROUTES.map((r) => r.load()))).flat();
    const { helpCommand } = await import("./commands/misc.ts");
    const root: CommandSpec = { ...ROOT_INFO, subcommands: [] };
    root.subcommands = [...groups, helpCommand(() => root)];
    return root;
  })();
}

/**
 * The table a run needs: only the group named by the first word of argv (skipping global flags);
 * anything else (no word, `help`, an unknown word, --help at the top) gets the whole table.
 */
export async function rootFor(argv: string[]): Promise<CommandSpec> {
  const route = routeFor(argv);
  if (!route) return loadRoot();
  return { ...ROOT_INFO, subcommands: await route.load() };
}

/** The group named by the first word of argv (skipping global flags), if there is one. */
export function routeFor(argv: string[]): Route | undefined {
  const word = wordsOf(argv, 1)[0];
  return word === undefined ? undefined : ROUTES.find((r) => r.names.includes(word));
}

/** The first `n` words of argv (skipping global flags and their values). */
export function wordsOf(argv: string[], n: number): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < n; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (GLOBAL_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith("-")) words.push(a);
  }
  return words;
}

/** The group of a parsed command, by its name (`path[0]`); none for help and the bare root. */
export function routeOf(path: string[]): Route | undefined {
  return ROUTES.find((r) => r.names[0] === path[0]);
}
