import type { Store } from "../store.ts";
import { quoteInput } from "../../domain/quote.ts";
import { AppError, notFound } from "../../domain/errors.ts";
import { parseIdPrefix } from "../../domain/refs.ts";

/** Tables whose ULID ids may be given as a unique prefix. */
export type IdTable =
  | "tasks"
  | "plans"
  | "comments"
  | "project_memory"
  | "project_docs"
  | "attachments"
  | "projects"
  | "activity_log"
  | "api_tokens";

/** How many of the IDs an ambiguous prefix matches its error lists. */
const SHOWN_MATCHES = 5;

/**
 * Resolves a full ULID or a unique prefix (as tables print them: src/domain/refs.ts displayId) to
 * the full ID. Raises not_found when nothing matches and invalid when the prefix is ambiguous (the
 * hint lists the first matches in full, so one can be copied).
 */
export async function resolveId(db: Store, table: IdTable, input: string, entity: string): Promise<string> {
  const p = parseIdPrefix(input, entity);
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM ${table} WHERE id >= ?1 AND id <= ?1 || 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ' ORDER BY id
     LIMIT ${SHOWN_MATCHES + 1}`,
    p,
  );
  if (rows.length === 0) throw notFound(`${entity} not found: ${input}`);
  if (rows.length > 1) {
    const shown = rows.slice(0, SHOWN_MATCHES).map((r) => r.id).join(", ");
    const more = rows.length > SHOWN_MATCHES ? ", …" : "";
    throw new AppError("invalid", `${entity} id prefix ${quoteInput(input)} is ambiguous`, {
      hint: `give more characters of the id: it matches ${shown}${more}`,
    });
  }
  return rows[0].id;
}
