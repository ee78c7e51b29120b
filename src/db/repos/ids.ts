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

/**
 * Resolves a full ULID or a unique prefix (as printed in 8-character short IDs) to the full ID.
 * Raises not_found when nothing matches and invalid when the prefix is ambiguous.
 */
export async function resolveId(db: Store, table: IdTable, input: string, entity: string): Promise<string> {
  const p = parseIdPrefix(input, entity);
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM ${table} WHERE id >= ?1 AND id <= ?1 || 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ' LIMIT 2`,
    p,
  );
  if (rows.length === 0) throw notFound(`${entity} not found: ${input}`);
  if (rows.length > 1) {
    throw new AppError("invalid", `${entity} id prefix ${quoteInput(input)} is ambiguous`, {
      hint: "give more characters of the id",
    });
  }
  return rows[0].id;
}
