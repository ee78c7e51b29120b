import type { App } from "../app.ts";
import type { Actor } from "../domain/actor.ts";
import type { Effective, Env } from "../config/config.ts";
import type { ConfigFile } from "../config/config.ts";
import type { Workspace } from "../config/workspace.ts";

/** One flag of a command; the table drives parsing, help, completions and docs checks. */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  /** Repeatable; comma-separated values are split too. */
  multiple?: boolean;
  desc: string;
  /** Placeholder shown in help, e.g. "<ref>". */
  value?: string;
  required?: boolean;
}

export interface ArgSpec {
  name: string;
  required?: boolean;
  variadic?: boolean;
}

export type Flags = Record<string, string | boolean | string[] | undefined>;

/** A command's flag table; `defineCommand` keeps its exact keys so reads of them are checked. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/**
 * The parsed value of one flag: boolean, a list (`multiple`), or a string; undefined when absent.
 * A spec typed only as FlagSpec (not a literal) could be any of them.
 */
export type FlagValue<F extends FlagSpec> = F["type"] extends "boolean" ? boolean | undefined
  : F["type"] extends "string" ? (
      F extends { multiple: true } ? string[] | undefined
        : F extends { type: "string"; multiple?: false } ? string | undefined
        : string | string[] | undefined
    )
  : Flags[string];

/** Parsed flags typed from a table: a flag renamed in the table is a type error where it is read. */
export type FlagsOf<T extends FlagTable> = string extends keyof T ? Flags
  : { [K in keyof T]: FlagValue<T[K]> };

/** What a command returns; the renderer prints it (JSON with --json, text otherwise). */
export interface Output {
  /** The JSON value (printed with --json). */
  data?: unknown;
  /** Human text for stdout. */
  text?: string;
  /** A success line, printed as `✓ <ok>` unless --quiet or --json. */
  ok?: string;
  /**
   * Set by every write: the ref or id it wrote (TASK-12, a ULID, a project alias), the only line
   * --quiet prints; "" for a write with no single id (imports), which --quiet keeps silent.
   */
  written?: string;
  /** Bytes for stdout (attachment fetch --out -). */
  bytes?: Uint8Array;
  /** Messages for stderr (human mode); --quiet drops them. */
  notes?: string[];
  /** Problems for stderr that --quiet keeps (items an import skipped). */
  errors?: string[];
  /** Exit code other than 0 without an error (e.g. doctor check on a damaged file). */
  exitCode?: number;
}

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  writeBytes(b: Uint8Array): void;
  readStdin(): Promise<Uint8Array>;
  env: Env;
  cwd: string;
  isTTY: boolean;
  /** Long-running commands (mcp serve, web, watch) stop when this aborts. */
  signal?: AbortSignal;
}

/** What `run` of a `defineCommand` sees: RunCtx with the flags of its own table. */
export type TypedRunCtx<T extends FlagTable> = Omit<RunCtx, "flags" | "given"> & {
  flags: FlagsOf<T>;
  /** Whether a flag was given explicitly. */
  given(name: keyof T & string): boolean;
};

/** A context whose command has (at least) the flags `K`: what a helper that reads them takes. */
export type RunCtxWith<K extends string> = TypedRunCtx<Record<K, FlagSpec>>;

export interface RunCtx {
  /** The command path, e.g. ["task", "list"]. */
  path: string[];
  args: string[];
  flags: Flags;
  /** Whether a flag was given explicitly. */
  given(name: string): boolean;
  io: Io;
  json: boolean;
  quiet: boolean;
  globals: { db?: string; profile?: string; as?: string };
  app(): App;
  actor(): Actor;
  config(): Effective;
  globalConfig(): ConfigFile;
  workspace(): Workspace;
  /** `--project` when given (even empty), else the default project. */
  project(): string;
  /** Like project(), raising usage when empty. */
  requireProject(): string;
  /** Reads a text file (`-` = stdin), naming the flag in errors. */
  readText(path: string, flag: string): Promise<string>;
}

export interface CommandSpec<T extends FlagTable = FlagTable> {
  name: string;
  aliases?: string[];
  summary: string;
  /** Longer help text. */
  description?: string;
  args?: ArgSpec[];
  flags?: T;
  examples?: string[];
  /**
   * How the command uses the workspace database: false never opens it; "read" opens an existing
   * one only (a missing file is an error naming it, so a mistyped --db creates nothing); the default
   * (writes) creates and migrates a missing file.
   */
  db?: boolean | "read";
  /** A boolean flag that makes this writing command a read (`--dry-run`): it then creates no database. */
  readWith?: string;
  run?(ctx: TypedRunCtx<T>): Output | Promise<Output>;
  subcommands?: CommandSpec[];
}

/** A command whose `run` sees `ctx.flags` typed from its own `flags` table. */
export function defineCommand<const T extends FlagTable = Record<never, FlagSpec>>(
  spec: CommandSpec<T>,
): CommandSpec {
  return spec as unknown as CommandSpec;
}

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  db: { type: "string", desc: "path to backlog.db (overrides $BACKLOG_DB and profiles)", value: "<path>" },
  profile: { type: "string", desc: "use a named profile", value: "<name>" },
  json: { type: "boolean", desc: "output JSON" },
  quiet: {
    type: "boolean",
    short: "q",
    desc: "writes print only the ref or id they wrote; no notes or ✓ lines",
  },
  as: { type: "string", desc: "actor for writes: human:<name> or ai:<name>", value: "<kind:name>" },
  help: { type: "boolean", short: "h", desc: "show help" },
};

/** Global flags that take a value (`--db x`): argv scanners must skip the value too. */
export const GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set(
  Object.entries(GLOBAL_FLAGS).filter(([, f]) => f.type === "string").map(([n]) => `--${n}`),
);
