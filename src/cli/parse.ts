import { type CommandSpec, type Flags, GLOBAL_FLAGS, GLOBAL_VALUE_FLAGS } from "./spec.ts";
import { usage } from "../domain/errors.ts";
import { nearest } from "../domain/unknown_keys.ts";

export interface Parsed {
  cmd: CommandSpec;
  path: string[];
  args: string[];
  flags: Flags;
  given: Set<string>;
  globals: { db?: string; profile?: string; as?: string; json: boolean; quiet: boolean; help: boolean };
}

/** Boolean global flags by every spelling (`--quiet`, `-q`), from the one table. */
const GLOBAL_BOOL = new Map(
  Object.entries(GLOBAL_FLAGS).filter(([, f]) => f.type === "boolean").flatMap(([n, f]) => [
    [`--${n}`, n as "json" | "quiet" | "help"],
    ...(f.short ? [[`-${f.short}`, n as "json" | "quiet" | "help"] as const] : []),
  ]),
);

/** Finds a subcommand by name or alias. */
export function findSub(cmd: CommandSpec, name: string): CommandSpec | undefined {
  return cmd.subcommands?.find((c) => c.name === name || c.aliases?.includes(name));
}

/**
 * Splits argv into the command path, global flags and the command's own flags (read against the
 * command table, as node:util parseArgs reads them). Raises usage for unknown commands and flags.
 */
export function parseArgv(root: CommandSpec, argv: string[]): Parsed {
  if (argv[0] === "--version" || argv[0] === "-v") argv = ["version", ...argv.slice(1)];
  const globals: Parsed["globals"] = { json: false, quiet: false, help: false };
  const rest: string[] = [];
  const given = new Set<string>();
  let cmd = root;
  const path: string[] = [];
  let commandDone = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] = a.startsWith("--") && a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    // `init --profile` is init's own flag, not the global one.
    const ownsProfile = flag === "--profile" && cmd.flags?.profile;
    if (GLOBAL_VALUE_FLAGS.has(flag) && !ownsProfile) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw usage(`flag needs an argument: ${flag}`);
      globals[flag.slice(2) as "db" | "profile" | "as"] = v;
      continue;
    }
    const bool = inline === undefined ? GLOBAL_BOOL.get(flag) : undefined;
    if (bool) {
      globals[bool] = true;
      continue;
    }
    if (!commandDone && !a.startsWith("-")) {
      const sub = findSub(cmd, a);
      if (sub) {
        cmd = sub;
        path.push(sub.name);
        continue;
      }
      if (cmd.subcommands?.length && !cmd.run) {
        const where = path.length ? `"${path.join(" ")}"` : `"backlog"`;
        const near = nearest(a, cmd.subcommands.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
        const help = `run \`backlog ${[...path, "--help"].join(" ")}\``;
        throw usage(`unknown command "${a}" for ${where}`, near ? `did you mean "${near}"? (${help})` : help);
      }
    }
    commandDone = true;
    rest.push(a);
  }
  if (globals.help) return { cmd, path, args: [], flags: {}, given, globals };
  const { values, positionals, named } = readFlags(cmd, path, joinDashValues(rest, cmd));
  for (const name of named) given.add(name);
  const flags: Flags = {};
  for (const [k, v] of Object.entries(values)) {
    flags[k] = (Array.isArray(v)
      ? v.flatMap((x) => String(x).split(",")).map((x) =>
        x.trim()
      ).filter(Boolean)
      : v) as string | boolean | string[];
  }
  checkArgs(cmd, path, positionals, flags);
  return { cmd, path, args: positionals, flags, given, globals };
}

/**
 * A command's own flags, read the way node:util parseArgs reads them (strict, positionals allowed),
 * without loading node:util at start-up: `--name value`, `--name=value`, `-n value`, `-nvalue`,
 * grouped short booleans (`-ab`), `--` ending the flags; a repeated flag keeps its last value unless it
 * is `multiple`. Unknown flags are usage errors suggesting the nearest known flag.
 */
export function readFlags(cmd: CommandSpec, path: string[], args: string[]) {
  const specs = cmd.flags ?? {};
  const long = (short: string) => Object.keys(specs).find((n) => specs[n].short === short) ?? short;
  const isString = (name: string) => Object.hasOwn(specs, name) && specs[name].type === "string";
  const values: Record<string, string | boolean | (string | boolean)[]> = {};
  const positionals: string[] = [];
  const named: string[] = [];
  const queue = [...args];
  while (queue.length) {
    const arg = queue.shift()!;
    if (arg === "--") {
      positionals.push(...queue);
      break;
    }
    if (arg.length < 2 || arg[0] !== "-") {
      positionals.push(arg);
      continue;
    }
    let raw = arg, name: string, value: string | undefined, inline = false;
    if (arg[1] === "-") {
      const eq = arg.indexOf("=", 3);
      if (eq > 0) [raw, value, inline] = [arg.slice(0, eq), arg.slice(eq + 1), true];
      name = raw.slice(2);
    } else {
      name = long(arg[1]);
      if (arg.length > 2) {
        if (isString(name)) [raw, value, inline] = [arg.slice(0, 2), arg.slice(2), true];
        else {
          // -abc is -a -b -c; a string flag inside the group takes the rest as its value.
          const expanded: string[] = [];
          for (let i = 1; i < arg.length; i++) {
            const last = !isString(long(arg[i])) || i === arg.length - 1;
            expanded.push(last ? `-${arg[i]}` : `-${arg[i]}${arg.slice(i + 1)}`);
            if (!last) break;
          }
          queue.unshift(...expanded);
          continue;
        }
      }
    }
    if (!inline && isString(name) && queue.length) value = queue.shift();
    if (!Object.hasOwn(specs, name)) {
      const near = nearest(raw.replace(/^-{1,2}/, ""), Object.keys(specs));
      const help = `run \`backlog ${[...path, "--help"].join(" ")}\``;
      throw usage(`unknown flag: ${raw}`, near ? `did you mean --${near}? (${help})` : help);
    }
    const spec = specs[name];
    if (spec.type === "string" && value === undefined) throw usage(`flag needs an argument: --${name}`);
    if (spec.type === "boolean" && value !== undefined) throw usage(`flag takes no value: --${name}`);
    // A value that looks like a flag (`--title --json`) is a forgotten argument, as parseArgs has it.
    if (!inline && value !== undefined && value.length > 1 && value[0] === "-") {
      throw usage(
        `flag needs an argument: --${name}`,
        `to give a value starting with a dash, use --${name}=${value}`,
      );
    }
    named.push(name);
    const v = value ?? true;
    values[name] = spec.multiple ? [...(values[name] as (string | boolean)[] ?? []), v] : v;
  }
  return { values, positionals, named };
}

/**
 * parseArgs refuses a string flag's value that starts with "-" (`--content "- item"`); when the
 * next token is not itself a flag of this command, bind it as `--flag=value`.
 */
function joinDashValues(args: string[], cmd: CommandSpec): string[] {
  const flags = cmd.flags ?? {};
  const byShort = new Map(
    Object.entries(flags).filter(([, f]) => f.short).map(([n, f]) => [`-${f.short}`, n]),
  );
  const isFlag = (t: string) => {
    const name = t.startsWith("--") ? t.slice(2).split("=")[0] : byShort.get(t);
    return name !== undefined && name in flags;
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i];
    if (t === "--") {
      out.push(...args.slice(i));
      break;
    }
    const name = t.startsWith("--") && !t.includes("=") ? t.slice(2) : byShort.get(t);
    const next = args[i + 1];
    if (name && flags[name]?.type === "string" && next?.startsWith("-") && !isFlag(next)) {
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(t);
  }
  return out;
}

function checkArgs(cmd: CommandSpec, path: string[], pos: string[], flags: Flags) {
  const name = `backlog ${path.join(" ")}`;
  if (!cmd.run) return;
  const specs = cmd.args ?? [];
  const required = specs.filter((a) => a.required).length;
  const variadic = specs.some((a) => a.variadic);
  if (pos.length < required) {
    const missing = specs.filter((a) => a.required)[pos.length];
    throw usage(`${name}: missing argument <${missing.name}>`, `run \`${name} --help\``);
  }
  if (!variadic && pos.length > specs.length) {
    throw usage(`${name}: unexpected argument "${pos[specs.length]}"`, `run \`${name} --help\``);
  }
  for (const [k, f] of Object.entries(cmd.flags ?? {})) {
    if (f.required && (flags[k] === undefined || flags[k] === "")) {
      throw usage(`${name}: required flag --${k} not set`, `run \`${name} --help\``);
    }
  }
}

/** All flags of a command including the globals (help, completions). */
export const allFlags = (cmd: CommandSpec) => ({ ...cmd.flags, ...GLOBAL_FLAGS });
