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
  // To the last `@` of the whole value, past `/`, `?` and `#`: a password with any of them unencoded
  // makes the URL invalid, and its error message must not show the rest of it.
  return raw.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/[^:@/]*:).*@/is, "$1***@");
}

/**
 * Why a `--db` value (or a profile's path, or `init`'s) that is not a PostgreSQL URL must not be
 * taken as a file path either, or undefined. A mistyped URL (`postgress://`, `postgres:/`,
 * `postgres//`, spaces around it) would otherwise be echoed in messages and created as folders,
 * password and all. The reason never repeats the value.
 */
export function notAFilePath(s: string): string | undefined {
  const t = s.trim();
  if (isPgUrl(t)) return t === s ? undefined : "the database URL has spaces around it";
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(t)?.[1];
  if (scheme) {
    return `unsupported database URL scheme ${scheme}:// (give postgres:// or postgresql://, or a file path)`;
  }
  if (/^[a-z][a-z0-9+.-]*:?\/{1,2}[^/@]*:[^@]*@/i.test(t)) {
    return "the database value looks like a URL with a password but is not one (write postgres://user:password@host/database)";
  }
  return undefined;
}
