// Host and bind-address rules, free of hono so `backlog web` can check its flags before loading the server.

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** Whether a bind address or host name means this machine only. */
export function isLoopback(host: string): boolean {
  const h = bareHost(host);
  return LOOPBACK_NAMES.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h.endsWith(".localhost");
}

/** Whether a bind address listens on every interface. */
export function isWildcard(host: string): boolean {
  const h = bareHost(host);
  return h === "" || h === "0.0.0.0" || h === "::";
}

/** The host name of a `Host` header value or an address: lowercase, without port or brackets. */
export function bareHost(v: string): string {
  const s = v.trim().toLowerCase();
  if (s.startsWith("[")) return s.slice(1, s.indexOf("]") > 0 ? s.indexOf("]") : undefined);
  const colons = s.split(":").length - 1;
  return colons === 1 ? s.slice(0, s.indexOf(":")) : s;
}
