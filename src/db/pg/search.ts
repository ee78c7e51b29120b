import { AppError } from "../../domain/errors.ts";

/**
 * FTS5 query syntax (what `toSearch` in src/domain/search.ts passes through) translated to a PostgreSQL
 * `tsquery`, for the `tasks_fts.document` vector built in migrations/pg/0001_init.sql (title weighted A,
 * description B, 'simple' config over text split like SQLite's unicode61 tokenizer).
 *
 * Supported, with FTS5's precedence (juxtaposition > NOT > AND > OR): words, `"phrases"` (`""` escapes a
 * quote), `a + b` phrase chains, `prefix*`, `AND`, `OR`, `NOT`, parentheses, column filters `title:`,
 * `description:`, `{title description}:` and `-title:`. Not supported (invalid search syntax): `NEAR(…)`
 * and the `^` start-of-column anchor.
 */

/**
 * Code-point ranges that separate tokens: ASCII non-alphanumerics, Latin-1 punctuation, general
 * punctuation, currency, arrows, operators, box drawing, shapes and dingbats, CJK punctuation and
 * emoji — close to unicode61, which splits on everything that is not a letter or a number.
 */
const SEPARATOR_RANGES: [number, number][] = [
  [0x01, 0x2f],
  [0x3a, 0x40],
  [0x5b, 0x60],
  [0x7b, 0x7f],
  [0xa0, 0xbf],
  [0x2000, 0x206f],
  [0x20a0, 0x20ff],
  [0x2190, 0x245f],
  [0x2500, 0x2bff],
  [0x3000, 0x303f],
  [0x1f000, 0x1faff],
];
const hex = (n: number) => n.toString(16).padStart(8, "0");

/** The same ranges as a PostgreSQL regular-expression bracket body (used by migrations/pg/0001). */
export const PG_SEPARATORS = SEPARATOR_RANGES.map(([a, b]) => `\\U${hex(a)}-\\U${hex(b)}`).join("");
const SPLIT = new RegExp(
  `[${SEPARATOR_RANGES.map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join("")}]+`,
  "u",
);

const COLUMNS: Record<string, string> = { title: "A", description: "B" };
const ALL = "AB";

type Node =
  | { k: "none" }
  | { k: "phrase"; tokens: string[]; prefix: boolean[]; w: string }
  | { k: "and" | "or"; items: Node[] }
  | { k: "not"; a: Node; b: Node };

const NONE: Node = { k: "none" };

/** Translates an FTS5 expression; undefined when it can match nothing. Raises invalid on bad syntax. */
export function ftsToTsquery(fts: string): string | undefined {
  const p = new Parser(fts);
  const node = p.parseOr(ALL);
  if (p.peek()) p.fail();
  return render(node);
}

const bad = () =>
  new AppError("invalid", "invalid search syntax", {
    hint: "quote the text, or use FTS5 syntax like term* or a OR b",
  });

type Tok = { t: "str" | "word" | "op"; v: string };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= s.length) throw bad();
        if (s[i] === '"') {
          if (s[i + 1] === '"') (v += '"', i += 2);
          else break;
        } else v += s[i++];
      }
      i++;
      out.push({ t: "str", v });
    } else if ("()*:+{}-^,".includes(c)) (out.push({ t: "op", v: c }), i++);
    else {
      // FTS5's bareword characters, SUB (0x1a) included.
      // deno-lint-ignore no-control-regex
      const m = s.slice(i).match(/^[A-Za-z0-9_\x1a\u{80}-\u{10ffff}]+/u);
      if (!m) throw bad();
      out.push({ t: "word", v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

class Parser {
  #toks: Tok[];
  #i = 0;
  constructor(s: string) {
    this.#toks = lex(s);
  }
  peek(): Tok | undefined {
    return this.#toks[this.#i];
  }
  fail(): never {
    throw bad();
  }
  #isKw(v: string): boolean {
    const t = this.peek();
    return t?.t === "word" && t.v === v;
  }
  #op(v: string): boolean {
    const t = this.peek();
    if (t?.t === "op" && t.v === v) return (this.#i++, true);
    return false;
  }
  parseOr(w: string): Node {
    const items = [this.#parseAnd(w)];
    while (this.#isKw("OR")) (this.#i++, items.push(this.#parseAnd(w)));
    return items.length === 1 ? items[0] : { k: "or", items };
  }
  #parseAnd(w: string): Node {
    const items = [this.#parseNot(w)];
    while (this.#isKw("AND")) (this.#i++, items.push(this.#parseNot(w)));
    return items.length === 1 ? items[0] : { k: "and", items };
  }
  #parseNot(w: string): Node {
    let a = this.#parseList(w);
    while (this.#isKw("NOT")) (this.#i++, a = { k: "not", a, b: this.#parseList(w) });
    return a;
  }
  #startsPrimary(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.t === "str") return true;
    if (t.t === "word") return !["AND", "OR", "NOT"].includes(t.v);
    return t.v === "(" || t.v === "{" || t.v === "-";
  }
  #parseList(w: string): Node {
    if (!this.#startsPrimary()) this.fail();
    const items = [this.#parsePrimary(w)];
    while (this.#startsPrimary()) items.push(this.#parsePrimary(w));
    return items.length === 1 ? items[0] : { k: "and", items };
  }
  #parsePrimary(w: string): Node {
    const cols = this.#colspec();
    if (cols !== undefined) w = [...w].filter((x) => cols.includes(x)).join("");
    if (this.#op("(")) {
      const n = this.parseOr(w);
      if (!this.#op(")")) this.fail();
      return n;
    }
    if (this.#isKw("NEAR") && this.#toks[this.#i + 1]?.v === "(") this.fail();
    return this.#parseChain(w);
  }
  /** `col:`, `{a b}:` or `-col:` / `-{a b}:` → the weights searched; undefined when absent. */
  #colspec(): string | undefined {
    const start = this.#i;
    const minus = this.#op("-");
    const names: string[] = [];
    if (this.#op("{")) {
      while (this.peek()?.t === "word") names.push(this.#toks[this.#i++].v);
      if (!this.#op("}")) this.fail();
    } else if (this.peek()?.t === "word" && this.#toks[this.#i + 1]?.v === ":") {
      names.push(this.#toks[this.#i++].v);
    } else if (minus) this.fail();
    else return (this.#i = start, undefined);
    if (!this.#op(":")) this.fail();
    const weights = names.map((n) => COLUMNS[n.toLowerCase()] ?? this.fail()).join("");
    return minus ? [...ALL].filter((x) => !weights.includes(x)).join("") : weights;
  }
  #parseChain(w: string): Node {
    const tokens: string[] = [];
    const prefix: boolean[] = [];
    do {
      const t = this.peek();
      if (!t || t.t === "op") this.fail();
      this.#i++;
      const words = t.v.toLowerCase().split(SPLIT).filter(Boolean);
      const star = this.#op("*");
      words.forEach((x, j) => (tokens.push(x), prefix.push(star && j === words.length - 1)));
    } while (this.#op("+"));
    if (this.#op("^")) this.fail();
    return tokens.length && w ? { k: "phrase", tokens, prefix, w } : NONE;
  }
}

const quote = (lexeme: string) => `'${lexeme.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;

function phrase(n: { tokens: string[]; prefix: boolean[] }, w: string): string {
  const weight = w === ALL ? "" : w;
  return n.tokens.map((t, i) => {
    const mark = (n.prefix[i] ? "*" : "") + weight;
    return quote(t) + (mark ? `:${mark}` : "");
  }).join(" <-> ");
}

/** tsquery text, or undefined for "matches nothing" (an empty phrase, as FTS5 treats it). */
function render(n: Node): string | undefined {
  switch (n.k) {
    case "none":
      return undefined;
    case "phrase":
      // A multi-word phrase must stay inside one column (FTS5 never matches across them), so an
      // unrestricted phrase is tried per column.
      if (n.tokens.length > 1 && n.w.length > 1) return `(${[...n.w].map((w) => phrase(n, w)).join(" | ")})`;
      return phrase(n, n.w);
    case "and": {
      const parts = n.items.map(render);
      return parts.includes(undefined) ? undefined : `(${parts.join(" & ")})`;
    }
    case "or": {
      const parts = n.items.map(render).filter((x): x is string => x !== undefined);
      return parts.length ? `(${parts.join(" | ")})` : undefined;
    }
    case "not": {
      const a = render(n.a);
      const b = render(n.b);
      return a === undefined ? undefined : b === undefined ? a : `(${a} & !${b})`;
    }
  }
}
