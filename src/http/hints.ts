import { type HintWords, SCHEMA_WORDS } from "../domain/errors.ts";

/** Hints and messages in the HTTP API's words: body fields, headers and routes (src/domain/errors.ts `Hint`). */
export const HTTP_HINTS: HintWords = {
  fields: {
    claim_token: "the X-Claim-Token header (or `claim_token` in the body)",
    token: "the X-Claim-Token header (or `token` in the body)",
    alias: "`alias`",
  },
  ops: {
    task_claim: (ref) => `\`POST /api/tasks/${ref}/claim\``,
    task_next: () => "`POST /api/tasks/next`",
    task_requeue: (ref) => `\`PATCH /api/tasks/${ref}/status\` with \`{"status":"todo"}\``,
    dep_list: (ref) => `\`GET /api/tasks/${ref}/deps\``,
    dep_remove: () => "`DELETE /api/tasks/{id}/deps/{blocked_by}`",
    project_list: () => "`GET /api/projects`",
    project_archive: (alias) => `\`PATCH /api/projects/${alias}/archive\``,
  },
  field: SCHEMA_WORDS.field,
};
