import { AppError } from "./domain/errors.ts";

/** Writes a file via a temporary sibling and a rename, so readers never see half a file. Raises invalid. */
export function writeFileAtomic(path: string, text: string, what: string, mode?: number): void {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    Deno.writeTextFileSync(tmp, text, mode === undefined ? {} : { mode });
    Deno.renameSync(tmp, path);
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch { /* never created */ }
    throw new AppError("invalid", `${what}: cannot write "${path}": ${describeFsError(err)}`);
  }
}

/** A short reason for a file-system error. */
export function describeFsError(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "no such directory";
  if (err instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (err instanceof Deno.errors.IsADirectory) return "is a directory";
  const m = (err as Error).message ?? String(err);
  return m.replace(/ \(os error \d+\).*$/, "").replace(/:.*$/, "").toLowerCase();
}
