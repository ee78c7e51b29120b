import { type HintWords, type MessageField, orList } from "../domain/errors.ts";

/** The flags that give each message field (a body comes from --content or from a file). */
const FLAGS: Readonly<Record<MessageField, readonly string[]>> = {
  lease: ["--lease"],
  force: ["--force"],
  title: ["--title"],
  body: ["--content", "--from-file"],
  change_note: ["--change-note"],
  task: ["--task"],
  doc: ["--doc"],
  since: ["--since"],
};

/** Hints and messages in the CLI's words: flags and `backlog` commands (src/domain/errors.ts `Hint`). */
export const CLI_HINTS: HintWords = {
  fields: { claim_token: "--token", token: "--token", alias: "--alias" },
  ops: {
    task_claim: (ref) => `\`backlog task claim ${ref}\``,
    task_next: () => "`backlog task next --claim`",
    task_requeue: (ref) => `\`backlog task move ${ref} --status todo\``,
    dep_list: (ref) => `\`backlog task dep list ${ref}\``,
    dep_remove: () => "`backlog task dep rm`",
    project_list: () => "`backlog project list`",
    project_archive: (alias) => `\`backlog project archive ${alias}\``,
  },
  field: (...names) => orList(names.flatMap((n) => FLAGS[n])),
};
