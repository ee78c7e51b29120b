import { Buffer } from "node:buffer";
import { usage } from "../domain/errors.ts";
import { isLoopback } from "./host.ts";

/** What a token must carry to guard a server other machines can reach (an offline guess is cheap). */
export const MIN_TOKEN_BITS = 128;

/** A fresh bearer token: 32 random bytes as base64url (43 characters, 256 bits). */
export function generateToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/**
 * A conservative estimate of the bits a token carries: its length (of the shortest repeating unit)
 * times the bits per character of the smallest alphabet it fits (digits, hex, one-case letters,
 * letters, base64, printable), and nothing when it uses fewer than 8 distinct characters.
 */
export function tokenBits(token: string): number {
  const chars = [...token];
  if (new Set(chars).size < 8) return 0;
  const alphabet = /^\d+$/.test(token)
    ? 10
    : /^[0-9a-f]+$/.test(token) || /^[0-9A-F]+$/.test(token)
    ? 16
    : /^[a-z]+$/.test(token) || /^[A-Z]+$/.test(token)
    ? 26
    : /^[A-Za-z]+$/.test(token)
    ? 52
    : /^[A-Za-z0-9]+$/.test(token)
    ? 62
    : /^[A-Za-z0-9+/_-]+=*$/.test(token)
    ? 64
    : 95;
  const unit = period(chars);
  const len = unit - (alphabet === 64 ? (token.match(/=+$/)?.[0].length ?? 0) : 0);
  return Math.floor(len * Math.log2(alphabet));
}

/** The length of the shortest unit the characters repeat (the whole length when none). */
function period(chars: string[]): number {
  const n = chars.length;
  for (let p = 1; p <= n / 2; p++) {
    if (n % p === 0 && chars.every((c, i) => c === chars[i % p])) return p;
  }
  return n;
}

/**
 * The rule for binding: a loopback address needs nothing; any other address needs a shared token of
 * at least {@link MIN_TOKEN_BITS} bits, or `actorTokens` (every request then needs an actor token,
 * which is always 256 bits). `source` names where the token came from. Raises usage.
 */
export function checkBindToken(
  host: string,
  token: string | undefined,
  source = "the token",
  actorTokens = false,
): void {
  if (isLoopback(host)) return;
  const make = "`backlog web --generate-token` makes a strong one";
  if (!token) {
    if (actorTokens) return;
    throw usage(
      `--host ${host} is reachable from other machines: a token is required`,
      `pass --token <secret> or set $BACKLOG_TOKEN (clients then send Authorization: Bearer <secret>); ${make}; ` +
        "or --actor-tokens to admit only tokens made by `backlog token create`",
    );
  }
  const bits = tokenBits(token);
  if (bits < MIN_TOKEN_BITS) {
    throw usage(
      `${source} is too weak to protect --host ${host}: about ${bits} bits, at least ${MIN_TOKEN_BITS} needed ` +
        "(24+ random base64url characters or 32+ random hex digits)",
      `${make}, or use the output of \`openssl rand -hex 32\``,
    );
  }
}
