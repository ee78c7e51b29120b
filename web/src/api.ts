// The one place the UI talks HTTP: JSON in and out, errors as ApiError, repeated query params.

export type QueryValue = string | number | boolean | undefined | null | (string | number)[];
export type Query = Record<string, QueryValue>;

/** A failed request, carrying the server's message and status. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code = "", readonly body: unknown = null) {
    super(message);
    this.name = "ApiError";
  }
}

const TOKEN_KEY = "backlog.token";

/** Picks up `#token=…` once (then forgets it from the address bar) and returns the stored token. */
export function authToken(): string {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(history.state, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

/** Builds `?a=1&s=todo&s=doing`: arrays become repeated params; empty values are left out. */
export function qs(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k, String(x)));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

function errorMessage(body: unknown, status: number): { message: string; code: string } {
  const e = (body as { error?: unknown } | null)?.error;
  if (typeof e === "string") return { message: e, code: "" };
  if (e && typeof e === "object") {
    const o = e as { message?: string; code?: string };
    return { message: o.message ?? `request failed (${status})`, code: o.code ?? "" };
  }
  return { message: `request failed (${status})`, code: "" };
}

let readsAfter: Promise<void> = Promise.resolve();

/**
 * Holds every GET until `p` resolves: the live stream subscribes first, so a write landing after a
 * page read its data is always one the stream tells it about (see LiveBus.connect).
 */
export function holdReads(p: Promise<void>): void {
  readsAfter = p;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: HeadersInit = {},
): Promise<T> {
  if (method === "GET") await readsAfter;
  const h = new Headers(headers);
  const token = authToken();
  if (token) h.set("Authorization", `Bearer ${token}`);
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    h.set("Content-Type", "application/json");
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers: h, body: payload });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: text.trim() || res.statusText };
  }
  if (!res.ok) {
    const { message, code } = errorMessage(data, res.status);
    throw new ApiError(res.status, message, code, data);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, q: Query = {}) => request<T>("GET", path + qs(q)),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body?: unknown, version?: number) =>
    request<T>("PATCH", path, body ?? {}, version === undefined ? {} : { "If-Match": `"${version}"` }),
  del: <T = void>(path: string) => request<T>("DELETE", path),
  upload: <T>(path: string, form: FormData) => request<T>("POST", path, form),
};

/** `/api/tasks/TASK-3` style path segment, escaped. */
export const seg = (s: string | number) => encodeURIComponent(String(s));
