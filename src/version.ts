import meta from "../deno.json" with { type: "json" };

/**
 * The release tag, written here by scripts/compile.ts while it builds binaries (and restored after);
 * empty in a source checkout. The JSON import above is bundled by `deno compile`, so a binary never
 * reads deno.json at run time.
 */
const STAMPED: string = "";

const withV = (v: string) => /^\d/.test(v) ? `v${v}` : v;

/** The version: the stamped release tag, else deno.json's `version`. */
export const VERSION: string = withV(STAMPED || meta.version);

/** True when running from source (nothing stamped): `backlog version` then says `(source)`. */
export const FROM_SOURCE: boolean = !STAMPED;

/** `v0.1.0 (source)` from a checkout, `v0.1.0` from a release binary. */
export const VERSION_TEXT: string = FROM_SOURCE ? `${VERSION} (source)` : VERSION;
