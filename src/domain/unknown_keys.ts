import { AppError } from "./errors.ts";

/**
 * The error for argument or field names a surface does not accept (a misspelt guard such as
 * `token` for `claim_token` must fail, not be dropped): names each key, suggests the nearest known
 * one, and lists the known names in the hint.
 */
export function unknownKeys(keys: string[], known: readonly string[], noun = "argument"): AppError {
  const named = keys.map((k) => {
    const near = nearest(k, known);
    return near ? `"${k}" (did you mean ${near}?)` : `"${k}"`;
  });
  const msg = `unknown ${noun}${keys.length > 1 ? "s" : ""} ${named.join(", ")}`;
  return new AppError("invalid", msg, { hint: known.length ? `known: ${known.join(", ")}` : undefined });
}

/** The keys of `value` (an object) that are not in `known`, in their given order. */
export function extraKeys(value: unknown, known: readonly string[]): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.keys(value).filter((k) => !known.includes(k));
}

/** A known name with the key as a `_`-separated part (token → claim_token), else one within 2 edits. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase().replace(/-/g, "_");
  const exact = known.find((n) => n.toLowerCase() === k);
  if (exact) return exact;
  const part = known.find((n) => n.split("_").includes(k) || k.split("_").includes(n));
  if (part) return part;
  let best: string | undefined;
  let bestD = 3;
  for (const n of known) {
    const d = distance(k, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(1, Math.min(2, Math.floor(k.length / 3))) ? best : undefined;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment); short strings only. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
