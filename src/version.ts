/** Replaced by scripts/compile.ts with the git tag when building release binaries. */
export const VERSION: string = "dev";
