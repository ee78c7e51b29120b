/** What every actor token's secret starts with: recognisable in logs, config files and secret scanners. */
export const ACTOR_TOKEN_PREFIX = "blt_";

/**
 * A token bound to an actor, as listed: never its secret or hash. `actor` and `created_by` are
 * `kind:name`; times are Unix nanoseconds, `null` when it was never used or is not revoked.
 */
export interface ApiToken {
  id: string;
  actor: string;
  name: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** A fresh secret: the prefix, then 32 random bytes as base64url (256 bits). */
export function newTokenSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes));
  return ACTOR_TOKEN_PREFIX + b64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Whether a presented bearer value has the shape of an actor token (and is worth a lookup). */
export const isActorTokenSecret = (s: string): boolean =>
  s.startsWith(ACTOR_TOKEN_PREFIX) && s.length > ACTOR_TOKEN_PREFIX.length && s.length <= 256;

/** The SHA-256 of a secret as lowercase hex: what the database keeps and looks tokens up by. */
export async function hashTokenSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
