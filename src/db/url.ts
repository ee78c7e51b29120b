/**
 * What a `--db` value names, decided without loading any engine: a `postgres://` /
 * `postgresql://` URL (team mode) or a SQLite file path. Nothing under `src/db/pg/` is imported
 * here, so a SQLite user never loads the PostgreSQL driver.
 */

/** Whether a `--db` value names a PostgreSQL server rather than a SQLite file. */
export const isPgUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/**
 * The URL with its password replaced by `***`, for messages and logs. The password runs to the last
 * `@` of the authority, as a URL parser reads it (so an unencoded `@` in it stays hidden too).
 */
export function redactUrl(raw: string): string {
  return raw.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^/?#]*@/i, "$1***@");
}
