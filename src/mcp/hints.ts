import { type HintWords, SCHEMA_WORDS } from "../domain/errors.ts";

/** `tool {"arg":"value"}`: a call an agent can make as written. */
const call = (tool: string, args: Record<string, string>) => `\`${tool} ${JSON.stringify(args)}\``;

/** Hints and messages in MCP's words: tools and their arguments (src/domain/errors.ts `Hint`). */
export const MCP_HINTS: HintWords = {
  fields: { claim_token: "`claim_token`", token: "`token`", alias: "`alias`" },
  ops: {
    task_claim: (ref = "") => call("task_claim", { id: ref }),
    task_next: () => "`task_claim` without an id",
    task_requeue: (ref = "") => call("task_move", { id: ref, status: "todo" }),
    dep_list: (ref = "") => call("task_dep", { id: ref }),
    dep_remove: () => "`task_dep` with `remove`",
    project_list: () => "`project_list`",
    // No MCP tool archives a project (nor deletes one, the only refusal that points here).
    project_archive: (alias) => `\`backlog project archive ${alias}\` (the CLI)`,
  },
  field: SCHEMA_WORDS.field,
};
