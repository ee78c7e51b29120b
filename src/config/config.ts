import { AppError } from "../domain/errors.ts";
import { parseOneOf, parsePriority, parseStatus, parseTaskType } from "../domain/enums.ts";
import { writeFileAtomic } from "../fs.ts";

/** The values of `output.default_format` ("json" makes --json the default). */
export const OUTPUT_FORMATS = ["table", "json"] as const;

function setting<T>(parse: () => T, key: string): T {
  try {
    return parse();
  } catch (err) {
    throw new AppError("invalid", `config ${key}: ${(err as Error).message}`);
  }
}

/** The keys both config files share (the workspace file has no profiles). */
export interface ConfigFile {
  default_profile?: string;
  default_project?: string;
  profiles?: Record<string, { path: string }>;
  output?: { default_format?: string; color?: string };
  defaults?: { actor?: string; priority?: number; status?: string; type?: string };
}

/** Effective settings: built-in defaults < global file < workspace file. */
export interface Effective {
  default_project: string;
  format: string;
  color: string;
  actor: string;
  priority: number;
  status: string;
  type: string;
}

export interface Env {
  get(name: string): string | undefined;
}

/** `$XDG_CONFIG_HOME/backlog` or `~/.config/backlog`. */
export function configDir(env: Env): string {
  const xdg = env.get("XDG_CONFIG_HOME");
  return xdg ? `${xdg}/backlog` : `${home(env)}/.config/backlog`;
}

export function home(env: Env): string {
  const h = env.get("HOME") ?? env.get("USERPROFILE");
  if (!h) throw new AppError("internal", "cannot find the home directory ($HOME is not set)");
  return h;
}

export const globalConfigPath = (env: Env) => `${configDir(env)}/config.toml`;

let toml: typeof import("smol-toml") | undefined;

/**
 * Loads the TOML parser that readConfig and writeConfig use. Most runs have no config file, so it is
 * not imported at start-up: the CLI loads it before a command when a config file exists or the
 * command writes one (src/cli/context.ts `loadConfigFormat`).
 */
export async function loadToml(): Promise<void> {
  toml ??= await import("smol-toml");
}

function tomlModule(): typeof import("smol-toml") {
  if (!toml) throw new AppError("internal", "the TOML parser was not loaded before a config file was used");
  return toml;
}

/** Whether a file exists (a config file: readConfig reads it, so loadToml must have run). */
export function fileExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a TOML config; a missing file is an empty config. Raises invalid on a parse error. The parser
 * must have been loaded (loadToml) when the file exists.
 */
export function readConfig(path: string, label: string): ConfigFile {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {};
    throw new AppError("internal", `load ${label}: ${(err as Error).message}`);
  }
  const { parse } = tomlModule();
  try {
    return parse(text) as ConfigFile;
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0];
    throw new AppError("invalid", `load ${label}: parse ${path}: ${msg}`);
  }
}

/**
 * Writes a config file whole (directory created 0755, file with the umask's mode) via a temporary file and a rename,
 * so a crash or a concurrent reader never sees a truncated file. The TOML module must be loaded
 * (loadToml; the CLI does it for the command groups that write config, src/cli/registry.ts).
 */
export function writeConfig(path: string, cfg: ConfigFile): void {
  const text = tomlModule().stringify(cfg as Record<string, unknown>) + "\n";
  Deno.mkdirSync(path.replace(/\/[^/]+$/, ""), { recursive: true, mode: 0o755 });
  writeFileAtomic(path, text, "write config");
}

/** Merges the layers; empty values never override. */
export function effective(global: ConfigFile, workspace: ConfigFile): Effective {
  const e: Effective = {
    default_project: "",
    format: "table",
    color: "auto",
    actor: "",
    priority: 3,
    status: "todo",
    type: "task",
  };
  for (const c of [global, workspace]) {
    if (c.default_project) e.default_project = c.default_project;
    if (c.output?.default_format) {
      e.format = setting(
        () => parseOneOf("format", String(c.output!.default_format), OUTPUT_FORMATS),
        "output.default_format",
      );
    }
    if (c.output?.color) e.color = c.output.color;
    if (c.defaults?.actor) e.actor = c.defaults.actor;
    // Validated here so a bad value names the setting instead of failing a later insert.
    if (c.defaults?.priority) {
      e.priority = setting(() => parsePriority(c.defaults!.priority as number | string), "defaults.priority");
    }
    if (c.defaults?.status) {
      e.status = setting(() => parseStatus(String(c.defaults!.status)), "defaults.status");
    }
    if (c.defaults?.type) e.type = setting(() => parseTaskType(String(c.defaults!.type)), "defaults.type");
  }
  return e;
}
