import type { CommandSpec, FlagSpec } from "./spec.ts";
import { GLOBAL_FLAGS } from "./spec.ts";
import { EXIT_CODE_TABLE, type ExitCodeRow } from "../domain/errors.ts";

/** One exit code's line as the README and `help exit-codes` print it: the meaning, then its cases. */
export function exitCodeMeaning(row: ExitCodeRow): string {
  return row.cases.length ? `${row.meaning}: ${row.cases.join("; ")}` : row.meaning;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) (lines.push(line), line = word);
    else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/** `backlog help exit-codes`, rendered from the one exit-code table. */
export const EXIT_CODES = [
  "Exit codes:",
  ...EXIT_CODE_TABLE.map((r) => `  ${r.exit}  ${wrap(exitCodeMeaning(r).replaceAll("`", ""), 90, "     ")}`),
  "",
  'With --json, errors are printed to stderr as {"error":{"code","message","hint"}}.',
  "",
].join("\n");

function flagLine(name: string, f: FlagSpec): string {
  const short = f.short ? `-${f.short}, ` : "    ";
  const val = f.type === "string" ? ` ${f.value ?? "<value>"}` : "";
  const left = `  ${short}--${name}${val}`;
  const req = f.required ? " (required)" : f.multiple && !/repeatable/.test(f.desc) ? " (repeatable)" : "";
  return `${left.padEnd(32)} ${f.desc}${req}`;
}

/** Help for a command, generated from the command table. */
export function helpText(cmd: CommandSpec, path: string[]): string {
  const name = ["backlog", ...path].join(" ");
  const out: string[] = [];
  out.push(cmd.description ?? cmd.summary, "");
  const args = (cmd.args ?? []).map((a) => a.required ? `<${a.name}>` : `[${a.name}]`).join(" ");
  const usage: string[] = [];
  if (cmd.run) usage.push(`  ${name}${args ? " " + args : ""}${cmd.flags ? " [flags]" : ""}`);
  if (cmd.subcommands?.length) usage.push(`  ${name} <command> [flags]`);
  if (usage.length) out.push("Usage:", ...usage, "");
  if (cmd.aliases?.length) out.push(`Aliases: ${cmd.aliases.join(", ")}`, "");
  if (cmd.subcommands?.length) {
    out.push("Commands:");
    for (const s of cmd.subcommands) out.push(`  ${s.name.padEnd(18)} ${s.summary}`);
    out.push("");
  }
  if (cmd.flags && Object.keys(cmd.flags).length) {
    out.push("Flags:", ...Object.entries(cmd.flags).map(([n, f]) => flagLine(n, f)), "");
  }
  out.push("Global flags:", ...Object.entries(GLOBAL_FLAGS).map(([n, f]) => flagLine(n, f)), "");
  if (cmd.examples?.length) out.push("Examples:", ...cmd.examples.map((e) => `  $ ${e}`), "");
  if (path.length === 0) out.push(EXIT_CODES);
  else if (cmd.subcommands?.length) out.push(`Run \`${name} <command> --help\` for more.`);
  return out.join("\n").trimEnd() + "\n";
}
