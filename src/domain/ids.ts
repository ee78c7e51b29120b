import type { Clock } from "./time.ts";

/** An ID generator returns monotonic ULIDs. Injected so tests can pin IDs. */
export type IdGen = () => string;

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Monotonic ULIDs (48-bit ms time + 80 random bits, Crockford base32) whose time part follows the
 * clock; within one millisecond the random part counts up, so IDs sort in creation order. Written
 * here rather than imported: the npm `ulid` package pulls in node:crypto (~40 ms on every start).
 */
export function ulidGen(clock: Clock): IdGen {
  let lastMs = -1;
  const rand = new Uint8Array(10);
  return () => {
    const ms = Math.floor(clock() / 1_000_000);
    if (ms > lastMs) {
      crypto.getRandomValues(rand);
      lastMs = ms;
    } else {
      increment(rand);
    }
    return encodeTime(lastMs) + encodeRandom(rand);
  };
}

function increment(b: Uint8Array): void {
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] < 255) {
      b[i]++;
      return;
    }
    b[i] = 0;
  }
}

function encodeTime(ms: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** 80 bits → 16 base32 characters, 5 bits at a time from the most significant end. */
function encodeRandom(b: Uint8Array): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (const byte of b) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** The two hex digits of each byte. */
const HEX = Array.from({ length: 256 }, (_, x) => x.toString(16).padStart(2, "0"));
const TOKEN_BYTES = new Uint8Array(16);

/** A random opaque token (claim tokens): 32 lowercase hex digits. */
export function randomToken(): string {
  const b = crypto.getRandomValues(TOKEN_BYTES);
  let out = "";
  for (let i = 0; i < b.length; i++) out += HEX[b[i]];
  return out;
}
