/** Error codes shared by every surface; each maps to one exit code, HTTP status and MCP result. */
export type ErrorCode =
  | "internal"
  | "no_workspace"
  | "usage"
  | "invalid"
  | "not_found"
  | "conflict";

/** One row per exit code: the error codes it carries, its HTTP status, and the cases it covers. */
export interface ExitCodeRow {
  exit: number;
  codes: ErrorCode[];
  http: number;
  meaning: string;
  cases: string[];
}

/**
 * The one table of exit codes: errors map through it, and `backlog help exit-codes` and the README's
 * table are rendered from it (a test holds the README to it).
 */
export const EXIT_CODE_TABLE: readonly ExitCodeRow[] = [
  { exit: 0, codes: [], http: 200, meaning: "ok", cases: [] },
  {
    exit: 1,
    codes: ["internal", "no_workspace"],
    http: 500,
    meaning: "internal error",
    cases: [
      "no workspace found",
      "a read or a server on a database file that does not exist",
      "a database written by a newer backlog",
      "the database stayed busy past the 10 s timeout",
      "a damaged database",
    ],
  },
  {
    exit: 2,
    codes: ["usage", "invalid"],
    http: 400,
    meaning: "usage error or invalid input",
    cases: [
      "unknown command or flag",
      "missing argument",
      "bad enum, priority, date or actor",
      "malformed search",
      "unreadable or malformed file",
      "bad config value",
      "a missing or weak token for a non-loopback `web --host`",
    ],
  },
  {
    exit: 3,
    codes: ["not_found"],
    http: 404,
    meaning: "not found",
    cases: ["unknown task, project, plan, comment, label, doc, attachment or profile"],
  },
  {
    exit: 4,
    codes: ["conflict"],
    http: 409,
    meaning: "conflict",
    cases: [
      "a claim held by someone else",
      "a stale `--expect-version`",
      "a superseded claim token",
      "a taken project alias or profile name",
      "deleting a project that is not archived",
      "an output file that exists, without `--force`",
    ],
  },
];

const rowOf = (code: ErrorCode) => EXIT_CODE_TABLE.find((r) => r.codes.includes(code))!;

/**
 * The request fields a hint may name, as the operation's schema names them: each surface words them
 * (CLI `--token`, HTTP the `X-Claim-Token` header, MCP the `token` argument).
 */
export type HintField = "claim_token" | "token" | "alias";

/**
 * The operations a hint may point to, some on a target: task_claim, task_requeue (back to todo) and
 * dep_list on a task ref; project_archive on an alias; task_next, dep_remove, project_list on none.
 */
export type HintOp =
  | "task_claim"
  | "task_next"
  | "task_requeue"
  | "dep_list"
  | "dep_remove"
  | "project_list"
  | "project_archive";

/**
 * The request fields a message may name (`lease: must be a positive duration`), as the operation's
 * schema names them: what HTTP bodies and queries and MCP arguments send; the CLI words its flags.
 */
export const MESSAGE_FIELDS = [
  "lease",
  "force",
  "title",
  "body",
  "change_note",
  "task",
  "doc",
  "since",
] as const;
export type MessageField = typeof MESSAGE_FIELDS[number];
/** Whether a field name is one each surface words itself (a CLI flag, a request field). */
export const isMessageField = (name: string): name is MessageField =>
  (MESSAGE_FIELDS as readonly string[]).includes(name);

/**
 * One surface's words for what a hint or a message names: each edge has one (src/cli/hints.ts,
 * src/http/hints.ts, src/mcp/hints.ts), so an HTTP client is never told to pass `--token`.
 */
export interface HintWords {
  fields: Readonly<Record<HintField, string>>;
  ops: Readonly<Record<HintOp, (target?: string) => string>>;
  /** Message fields as this surface names them, joined "a, b or c" (CLI: `body` is --content, --from-file). */
  field(...names: MessageField[]): string;
}

/**
 * A hint: plain text, or text that names request fields and operations through the words of the
 * surface that shows it (`(w) => "pick another " + w.fields.alias`). Services never word a flag or a
 * command themselves.
 */
export type Hint = string | ((w: HintWords) => string);

/** What a message may word: request fields (an operation is a hint's to name). */
export type MessageWords = Pick<HintWords, "field">;

/**
 * A message: plain text, or text that names request fields through the surface's words
 * (`(w) => w.field("lease") + ": must be a positive duration"`: CLI `--lease: …`, HTTP and MCP `lease: …`).
 */
export type Message = string | ((w: MessageWords) => string);

/** "a", "a or b", "a, b or c". */
export const orList = (xs: readonly string[]): string =>
  xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;

/** The schema's own words: how HTTP and MCP name message fields, and the text of `AppError.message`. */
export const SCHEMA_WORDS: MessageWords = { field: (...names) => orList(names) };

/** The one error class: a code, a lowercase one-line message, an optional hint and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** As given: render it with `hintIn` (a worded hint is a function, not text). */
  readonly hint?: Hint;
  /** Extra machine-readable state, e.g. the current task on a version conflict. */
  readonly details?: Record<string, unknown>;
  /** A worded message (`message` is it in the schema's words). */
  readonly #worded?: (w: MessageWords) => string;

  constructor(
    code: ErrorCode,
    message: Message,
    opts: { hint?: Hint; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(typeof message === "function" ? message(SCHEMA_WORDS) : message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
    if (typeof message === "function") this.#worded = message;
  }

  /** The message in one surface's words (`message` is in the schema's, as HTTP and MCP send them). */
  messageIn(words: MessageWords): string {
    return this.#worded ? this.#worded(words) : this.message;
  }

  /** The hint in one surface's words. */
  hintIn(words: HintWords): string | undefined {
    return typeof this.hint === "function" ? this.hint(words) : this.hint;
  }

  get exitCode(): number {
    return rowOf(this.code).exit;
  }

  get httpStatus(): number {
    return rowOf(this.code).http;
  }
}

/** Shorthands for the common codes. */
export const invalid = (msg: Message, hint?: Hint) => new AppError("invalid", msg, { hint });
export const notFound = (msg: string, hint?: Hint) => new AppError("not_found", msg, { hint });
export const conflict = (msg: string, details?: Record<string, unknown>) =>
  new AppError("conflict", msg, { details });
export const usage = (msg: Message, hint?: string) => new AppError("usage", msg, { hint });

/** Converts anything thrown (zod, parseArgs, SQLite, JSON, AppError) into an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err && typeof err === "object") {
    const e = err as { name?: string; code?: string; message?: string; issues?: unknown[] };
    if (e.name === "ZodError" && Array.isArray(e.issues)) return fromZod(e.issues);
    const msg = String(e.message ?? err);
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || e.code?.startsWith?.("ERR_PARSE_ARGS")) {
      return usage(cleanParseArgs(msg));
    }
    if (e.name === "SyntaxError") return invalid(`invalid JSON: ${msg}`);
    // Busy after the busy timeout is not a claim/version conflict (exit 4): report it as internal.
    if (/SQLITE_BUSY|database is locked/i.test(msg)) {
      return new AppError(
        "internal",
        "database is busy (another process held the write lock too long), try again",
        {
          cause: err,
        },
      );
    }
    if (/datatype mismatch|too large to bind|out of range/i.test(msg)) {
      return invalid("a number is out of range", "use a whole number below 2^53");
    }
    if (
      /unable to open database file|File name too long|invalid (path|file name)|nul byte|NotADirectory/i.test(
        msg,
      )
    ) {
      return invalid(`cannot use that path: ${msg.split("\n")[0].replace(/^.*?: /, "")}`);
    }
    if (e.name === "PermissionDenied") return invalid(`permission denied: ${msg.split("\n")[0]}`);
    if (/constraint failed/i.test(msg)) {
      return invalid(msg.replace(/^.*constraint failed: /i, "constraint failed: "));
    }
    if (/file is not a database|database disk image is malformed/i.test(msg)) {
      return new AppError("internal", msg, { cause: err });
    }
    return new AppError("internal", msg, { cause: err });
  }
  return new AppError("internal", String(err));
}

/**
 * The first zod issue as one line: the field path first unless the message already names the field
 * (`project is required`, `invalid priority "P9"`), and input quoted in it kept exactly as typed.
 */
function fromZod(issues: unknown[]): AppError {
  return invalid(issueMessage(issues[0] as { path?: PropertyKey[]; message?: string }));
}

/** One issue (zod's, or compiled_parse.ts's) as the one-line message fromZod words. */
export function issueMessage(first: { path?: PropertyKey[]; message?: string }): string {
  const msg = first?.message || "invalid input";
  const text = msg[0].toLowerCase() + msg.slice(1);
  // The field an item belongs to (`status.0`: status) names it as well as the field itself.
  const field = first?.path?.findLast((p) => typeof p === "string");
  // A message that starts with a label (`kind: invalid value …`, where the field is `entity`) names its field.
  const named = /^[\w.-]+: /.test(text) ||
    typeof field === "string" && new RegExp(`(^|[^\\w"])${field}\\b`).test(text.split('"')[0]);
  const path = first?.path?.length && !named ? `${first.path.map(String).join(".")}: ` : "";
  return `${path}${text}`;
}

function cleanParseArgs(msg: string): string {
  const m = msg.match(/Unknown option '([^']+)'/);
  if (m) return `unknown flag: ${m[1]}`;
  const v = msg.match(/Option '(?:-\w, )?(--[\w-]+)[^']*' argument (missing|is ambiguous)/);
  if (v) return `flag needs an argument: ${v[1]}`;
  const p = msg.match(/Unexpected argument '([^']*)'/);
  if (p) return `unexpected argument: ${p[1]}`;
  return msg.split("\n")[0].replace(/\.$/, "").toLowerCase();
}
