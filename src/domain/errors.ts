/** Error codes shared by every surface; each maps to one exit code, HTTP status and MCP result. */
export type ErrorCode =
  | "internal"
  | "no_workspace"
  | "usage"
  | "invalid"
  | "not_found"
  | "conflict";

const EXIT: Record<ErrorCode, number> = {
  internal: 1,
  no_workspace: 1,
  usage: 2,
  invalid: 2,
  not_found: 3,
  conflict: 4,
};

const HTTP: Record<ErrorCode, number> = {
  internal: 500,
  no_workspace: 500,
  usage: 400,
  invalid: 400,
  not_found: 404,
  conflict: 409,
};

/** The one error class: a code, a lowercase one-line message, an optional hint and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** Extra machine-readable state, e.g. the current task on a version conflict. */
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  get exitCode(): number {
    return EXIT[this.code];
  }

  get httpStatus(): number {
    return HTTP[this.code];
  }
}

/** Shorthands for the common codes. */
export const invalid = (msg: string, hint?: string) => new AppError("invalid", msg, { hint });
export const notFound = (msg: string, hint?: string) => new AppError("not_found", msg, { hint });
export const conflict = (msg: string, details?: Record<string, unknown>) =>
  new AppError("conflict", msg, { details });
export const usage = (msg: string, hint?: string) => new AppError("usage", msg, { hint });

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

function fromZod(issues: unknown[]): AppError {
  const first = issues[0] as { path?: (string | number)[]; message?: string };
  const path = first?.path?.length ? `${first.path.join(".")}: ` : "";
  return invalid(`${path}${(first?.message ?? "invalid input").toLowerCase()}`);
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
