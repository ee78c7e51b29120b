/**
 * What the PostgreSQL store changes in the SQL and errors that repos share with SQLite: `?`
 * placeholders become `$n`, and constraint violations read like SQLite's messages.
 */

const isIdent = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f ||
  c === 0x24 || c >= 0x80;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;

/**
 * SQLite placeholders to PostgreSQL's: `?NNN` becomes `$NNN`, and a bare `?` takes the number after
 * the largest one so far (SQLite's rule). String literals (`'…'`, `E'…'`, `$tag$…$tag$`), quoted
 * identifiers and comments are left alone.
 */
export function toPgPlaceholders(sql: string): string {
  let out = "";
  let last = 0;
  let max = 0;
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (c === 0x27 /* ' */) {
      const prev = sql.charCodeAt(i - 1);
      const escapes = (prev === 0x45 || prev === 0x65) && !isIdent(sql.charCodeAt(i - 2));
      i++;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (escapes && d === 0x5c /* \ */) i += 2;
        else if (d === 0x27) {
          if (sql.charCodeAt(i + 1) !== 0x27) break;
          i += 2;
        } else i++;
      }
      i++;
    } else if (c === 0x22 /* " */) {
      i++;
      while (i < n) {
        if (sql.charCodeAt(i) === 0x22) {
          if (sql.charCodeAt(i + 1) !== 0x22) break;
          i += 2;
        } else i++;
      }
      i++;
    } else if (c === 0x2d /* - */ && next === 0x2d) {
      const eol = sql.indexOf("\n", i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === 0x2f /* / */ && next === 0x2a /* * */) {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < n && depth) {
        if (sql.startsWith("/*", i)) (depth++, i += 2);
        else if (sql.startsWith("*/", i)) (depth--, i += 2);
        else i++;
      }
    } else if (c === 0x24 /* $ */ && !isIdent(sql.charCodeAt(i - 1))) {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(sql);
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        i = end < 0 ? n : end + m[0].length;
      } else i++;
    } else if (c === 0x3f /* ? */) {
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      const num = j > i + 1 ? Number(sql.slice(i + 1, j)) : max + 1;
      if (num > max) max = num;
      out += `${sql.slice(last, i)}$${num}`;
      last = i = j;
    } else i++;
  }
  return last === 0 ? sql : out + sql.slice(last);
}

/** A statement as the driver sends it: `$n` text, and the name it is prepared under (if any). */
export interface PgStatement {
  text: string;
  name?: string;
}

/**
 * A bounded cache of rewritten statements (repos build a few hundred distinct strings). The first
 * `names` distinct statements also get a name: the driver prepares a named statement once per
 * connection and then only binds it, so the server skips parsing it and, once its generic plan is
 * chosen (after five runs), planning it. Names are never reused for other text, and there are at
 * most `names` of them, so a connection holds a bounded number of prepared statements.
 */
export class PlaceholderCache {
  #map = new Map<string, PgStatement>();
  #named = 0;
  constructor(readonly limit = 2000, readonly names = 400) {}
  get(sql: string): PgStatement {
    let out = this.#map.get(sql);
    if (out === undefined) {
      if (this.#map.size >= this.limit) this.#map.clear();
      out = { text: toPgPlaceholders(sql) };
      if (this.#named < this.names) out.name = `backlog_${++this.#named}`;
      this.#map.set(sql, out);
    }
    return out;
  }
}

/** The driver's error fields this module reads. */
export interface DriverError {
  message?: string;
  /** Set on errors the server sent (with the SQLSTATE in code). */
  severity?: string;
  code?: string;
  detail?: string;
  hint?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/**
 * An SQL error from the server. `code` is the SQLSTATE. Constraint violations carry SQLite's
 * wording (`UNIQUE constraint failed: tasks.id`, `FOREIGN KEY constraint failed`, `CHECK constraint
 * failed: name`, `NOT NULL constraint failed: t.c`), so the code that reads those messages (and
 * toAppError, which turns them into `invalid`) behaves on both engines alike.
 */
export class PgSqlError extends Error {
  readonly code: string;
  readonly sqlstate: string;
  declare readonly detail?: string;
  constructor(message: string, e: DriverError, cause: unknown) {
    super(message, { cause });
    this.name = "PgSqlError";
    this.code = this.sqlstate = e.code ?? "";
    if (e.detail) (this as { detail?: string }).detail = e.detail;
  }
}

/** SQLite's message for a constraint violation, or undefined for any other error. */
export function sqliteWording(e: DriverError): string | undefined {
  switch (e.code) {
    case "23505": {
      const m = e.detail?.match(/^Key \((.+?)\)=\(/s);
      const cols = m ? splitColumns(m[1]) : undefined;
      if (cols && e.table) {
        return `UNIQUE constraint failed: ${cols.map((c) => `${e.table}.${c}`).join(", ")}`;
      }
      return `UNIQUE constraint failed: index '${e.constraint ?? "?"}'`;
    }
    case "23503":
      return "FOREIGN KEY constraint failed";
    case "23514":
      return `CHECK constraint failed: ${e.constraint ?? "?"}`;
    case "23502":
      return `NOT NULL constraint failed: ${e.table ?? "?"}.${e.column ?? "?"}`;
  }
  return undefined;
}

/** `a, b` or `"odd, name", c` → column names; undefined for an expression index. */
function splitColumns(s: string): string[] | undefined {
  const out: string[] = [];
  for (const part of s.matchAll(/\s*("(?:[^"]|"")*"|[^,]+)\s*(?:,|$)/g)) {
    const p = part[1].trim();
    if (p.startsWith('"')) out.push(p.slice(1, -1).replaceAll('""', '"'));
    else if (/^[\w$]+$/.test(p)) out.push(p);
    else return undefined;
  }
  return out.length ? out : undefined;
}
