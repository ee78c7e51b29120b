import { parseCount } from "../domain/fields.ts";
import { HTTP_MAX_PAGE, pageLimit, pageOffset } from "../domain/paging.ts";
import type { Context } from "hono";
import type { z } from "zod";
import type { Actor } from "../domain/actor.ts";
import type { App } from "../app.ts";
import type { Task } from "../domain/models.ts";
import type { ChangeFeed } from "../services/events.ts";
import { AppError, invalid, toAppError } from "../domain/errors.ts";
import { HTTP_HINTS } from "./hints.ts";
import { unknownKeys } from "../domain/unknown_keys.ts";
import { LIST_ITEMS } from "../domain/schema_fields.ts";

/**
 * Per-request values the middleware sets: the request's actor, and the actor of the actor token it
 * presented (then `actor` is that one: a different `X-Backlog-Actor` is refused).
 */
export type HttpEnv = { Variables: { actor: Actor; tokenActor?: Actor } };
export type HttpContext = Context<HttpEnv>;

/** What every route file receives. */
export interface Deps {
  app: App;
  feed: ChangeFeed;
  /** Aborts when the server shuts down (ends open event streams). */
  signal: AbortSignal;
}

/** 1 MiB for JSON bodies. */
export const JSON_LIMIT = 1 << 20;
/** 10 MiB per uploaded file. */
export const UPLOAD_LIMIT = 10 << 20;

/**
 * Refuses a body over `max` bytes with 413: a declared Content-Length is checked up front, a
 * chunked body is read up to the limit and handed on as bytes. The request is rebuilt from its URL,
 * method and headers only: copying it whole (`new Request(raw, …)`, as hono's bodyLimit does) reads
 * `request.signal`, and Deno.serve then prints its legacy-abort warning for the response.
 */
export async function limitBody(
  c: HttpContext,
  max: number,
  next: () => Promise<void>,
): Promise<Response | void> {
  const raw = c.req.raw;
  const tooLarge = () => statusError(413, `request body too large (limit ${Math.round(max / 1024)} KiB)`);
  if (!raw.body) return await next();
  const declared = raw.headers.get("content-length");
  if (declared !== null && !raw.headers.has("transfer-encoding")) {
    return Number(declared) > max ? tooLarge() : await next();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of raw.body) {
    size += chunk.length;
    if (size > max) return tooLarge();
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  chunks.reduce((at, ch) => (body.set(ch, at), at + ch.length), 0);
  c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body });
  await next();
}

/**
 * A header's value as text: HTTP hands header bytes over one per character (Latin-1), so a UTF-8 value
 * (`X-Backlog-Actor: x\u202ey`) is decoded back to its characters; bytes that are not UTF-8 stay as they came.
 */
export function textHeader(c: HttpContext, name: string): string | undefined {
  const raw = c.req.header(name);
  if (raw === undefined || !/[\x80-\xff]/.test(raw) || /[^\0-\xff]/.test(raw)) return raw;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(raw, (ch) => ch.charCodeAt(0)));
  } catch {
    return raw;
  }
}

/** The actor of this request (`X-Backlog-Actor`, else the server's). */
export const actorOf = (c: HttpContext): Actor => c.get("actor");

/**
 * The request body as a JSON object. Raises invalid (400) for malformed JSON, a non-object, or a
 * missing body unless `optional`.
 */
export async function readJson(
  c: HttpContext,
  opts: { optional?: boolean } = {},
): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) {
    if (opts.optional) return {};
    throw invalid("request body is required (a JSON object)");
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw invalid(`invalid JSON body: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw invalid("request body must be a JSON object");
  return v as Record<string, unknown>;
}

/**
 * Reads and validates a JSON body against a zod schema (a strict object: unknown fields are
 * refused by name, so a misspelt guard such as `token` cannot be silently dropped). Raises
 * invalid (400).
 */
export async function body<T>(
  c: HttpContext,
  schema: z.ZodType<T>,
  opts: { optional?: boolean } = {},
): Promise<T> {
  return parseBody(schema, await readJson(c, opts));
}

/** Validates a decoded body (JSON or form fields); an unknown field is reported first. Raises invalid. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const extra = r.error.issues.find((i) => i.code === "unrecognized_keys");
  if (!extra) throw r.error;
  const e = unknownKeys(extra.keys, fieldsAt(schema, extra.path), "field");
  if (!extra.path.length) throw e;
  throw new AppError("invalid", `${extra.path.join(".")}: ${e.message}`, { hint: e.hint });
}

/** The field names of the object schema at `path` inside `schema` ([] when not an object). */
function fieldsAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  type Def = { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown };
  const def = (s: unknown) => (s as { _zod?: { def?: Def } })?._zod?.def;
  const unwrap = (s: unknown) => {
    while (def(s)?.innerType) s = def(s)!.innerType;
    return s;
  };
  let s: unknown = unwrap(schema);
  for (const seg of path) {
    const d = def(s);
    if (d?.type === "object" && typeof seg === "string") s = unwrap(d.shape?.[seg]);
    else if (d?.type === "array") s = unwrap(d.element);
    else return [];
  }
  const shape = def(s)?.type === "object" ? def(s)!.shape : undefined;
  return shape ? Object.keys(shape) : [];
}

/** The version in `If-Match` (`"3"`, `3` or `W/"3"`; `*` means any). Raises invalid. */
export function ifMatch(c: HttpContext): number | undefined {
  const h = c.req.header("if-match")?.trim();
  if (!h || h === "*") return undefined;
  const m = h.match(/^(?:W\/)?"?(\d{1,15})"?$/);
  if (!m) throw invalid(`If-Match: invalid version "${h}" (send the task's version, e.g. "3")`);
  return Number(m[1]);
}

/** The task as JSON with its version as the ETag. */
export function taskJson(c: HttpContext, t: Task, status: 200 | 201 = 200): Response {
  return c.json(t, status, { ETag: `"${t.version}"` });
}

/** Every value of a repeatable query parameter, comma-separated values split too. */
export function qList(c: HttpContext, name: string): string[] {
  return (c.req.queries(name) ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** The last value of a query parameter, or undefined when absent or empty. */
export function qStr(c: HttpContext, name: string): string | undefined {
  const v = c.req.queries(name)?.at(-1)?.trim();
  return v ? v : undefined;
}

/** A boolean query parameter: true/1/yes or false/0/no. Raises invalid. */
export function qBool(c: HttpContext, name: string): boolean {
  const v = qStr(c, name)?.toLowerCase();
  if (v === undefined || v === "false" || v === "0" || v === "no") return false;
  if (v === "true" || v === "1" || v === "yes") return true;
  throw invalid(`${name}: invalid boolean "${v}" (use true or false)`);
}

/** A non-negative integer query parameter. Raises invalid. */
export function qInt(c: HttpContext, name: string): number | undefined {
  const v = qStr(c, name);
  if (v === undefined) return undefined;
  return parseCount(v, name);
}

/**
 * A query string read through a domain query schema: its shape says how each parameter reads (a
 * list repeats or splits on commas, a boolean is true/1/yes or false/0/no, a number is a count),
 * and the schema validates the result, so `backlog schema` documents what the route accepts.
 * `aliases` names other parameters for a field, read first (`{ kind: "entity" }`). Raises invalid.
 */
export function qParse<S extends z.ZodObject>(
  c: HttpContext,
  schema: S,
  aliases: Record<string, string> = {},
): z.output<S> {
  const raw: Record<string, unknown> = {};
  for (const [field, type] of Object.entries(schema.shape)) {
    const names = [...Object.keys(aliases).filter((a) => aliases[a] === field), field];
    const kind = baseType(type);
    for (const name of names) {
      if (kind === "array") {
        const v = qList(c, name);
        if (v.length) raw[field] = v;
      } else if (qStr(c, name) !== undefined) {
        raw[field] = kind === "boolean" ? qBool(c, name) : kind === "number" ? qInt(c, name) : qStr(c, name);
      }
      if (raw[field] !== undefined) break;
    }
  }
  return parseBody(schema, raw) as z.output<S>;
}

/** The zod type name under optional/default wrappers ("array" for a list, "boolean", "number", "string"...). */
function baseType(s: unknown): string | undefined {
  type Def = { type: string; innerType?: unknown };
  let d = (s as { _zod?: { def?: Def } })?._zod?.def;
  while (d?.innerType) {
    s = d.innerType;
    d = (s as { _zod?: { def?: Def } })._zod?.def;
  }
  return LIST_ITEMS.has(s as z.ZodType) ? "array" : d?.type;
}

/** `limit` and `offset` under the paging rule (default 50; 0 or above 10,000 = 10,000). Raises invalid. */
export function qPage(c: HttpContext): { limit: number; offset: number } {
  return { limit: pageLimit(qInt(c, "limit"), HTTP_MAX_PAGE), offset: pageOffset(qInt(c, "offset")) };
}

/** The JSON error response for anything thrown: `{"error": message, "code", "hint"?, ...details}`. */
export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  const out: Record<string, unknown> = { error: e.messageIn(HTTP_HINTS), code: e.code };
  const hint = e.hintIn(HTTP_HINTS);
  if (hint) out.hint = hint;
  if (e.details) Object.assign(out, e.details);
  const headers: Record<string, string> = {};
  const current = e.details?.current as Task | undefined;
  if (current && typeof current.version === "number") headers.ETag = `"${current.version}"`;
  return Response.json(out, { status: e.httpStatus, headers });
}

/** A JSON error with an explicit status (401, 403, 405, 413). */
export function statusError(status: number, message: string, headers: Record<string, string> = {}): Response {
  const code = STATUS_CODES[status] ?? (status >= 500 ? "internal" : "invalid");
  return Response.json({ error: message, code }, { status, headers });
}

const STATUS_CODES: Record<number, string> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "too_large",
};
