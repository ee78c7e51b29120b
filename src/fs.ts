import { AppError } from "./domain/errors.ts";

/** The file info at path (with `link`, a symlink's own), or undefined when nothing can be seen there. */
export function statIf(path: string, link = false): Deno.FileInfo | undefined {
  try {
    return link ? Deno.lstatSync(path) : Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/** What was being done to a path when a file-system call failed. */
export type FsOp = "read" | "write";

/**
 * Runs write on a temporary hidden sibling of path, then renames it over path, so readers never see half
 * a file and a failure leaves nothing behind. A failure becomes fail(err) (default: AppErrors pass through,
 * others become invalid `<what>: cannot write "<path>": <reason>`). Raises invalid.
 */
export function withAtomicFile<T>(
  path: string,
  what: string,
  write: (tmp: string) => T,
  fail?: (err: unknown) => Error,
): T {
  const target = writeTarget(path);
  const tmp = tmpSibling(target);
  try {
    const out = write(tmp);
    Deno.renameSync(tmp, target);
    return out;
  } catch (err) {
    throw discard(
      tmp,
      () => fail ? fail(err) : err instanceof AppError ? err : fsError(what, "write", path, err),
    );
  }
}

/** withAtomicFile for a writer that has to wait (a database writing the file, a stream of chunks). */
export async function withAtomicFileAsync<T>(
  path: string,
  what: string,
  write: (tmp: string) => Promise<T>,
  fail?: (err: unknown) => Error,
): Promise<T> {
  const target = writeTarget(path);
  const tmp = tmpSibling(target);
  try {
    const out = await write(tmp);
    Deno.renameSync(tmp, target);
    return out;
  } catch (err) {
    throw discard(
      tmp,
      () => fail ? fail(err) : err instanceof AppError ? err : fsError(what, "write", path, err),
    );
  }
}

/**
 * The file a write to path replaces: path itself, or, when path is a symlink, the file it leads to, so
 * the link stays a link (`--force` onto a link to a file replaces the file, not the link).
 */
function writeTarget(path: string): string {
  try {
    if (!Deno.lstatSync(path).isSymlink) return path;
    return Deno.realPathSync(path);
  } catch { /* missing, or a link to nothing yet */ }
  try {
    const link = Deno.readLinkSync(path);
    return link.startsWith("/") ? link : `${path.slice(0, path.lastIndexOf("/") + 1)}${link}`;
  } catch {
    return path;
  }
}

/**
 * Whether a write to path goes straight to it rather than through a temporary file: a device, a pipe
 * or a terminal (`/dev/stdout`, `>(…)`), anything under /dev or /proc. Such a path already existing is
 * no reason to refuse it.
 */
export function isStream(path: string): boolean {
  if (/^\/(dev|proc)\//.test(path)) return true;
  try {
    const st = Deno.statSync(path);
    return !st.isFile && !st.isDirectory;
  } catch {
    return false;
  }
}

function tmpSibling(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.tmp-${crypto.randomUUID().slice(0, 8)}`;
}

/** Removes the temporary file of a failed write and returns the error to raise. */
function discard(tmp: string, error: () => Error): Error {
  try {
    Deno.removeSync(tmp);
  } catch { /* never created */ }
  return error();
}

/**
 * Writes text or bytes via a temporary sibling and a rename, so readers never see half a file. The file's
 * mode is the umask's, as any new file's. Raises invalid.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what: string): void {
  const opts = { createNew: true };
  withAtomicFile(path, what, (tmp) => {
    if (typeof data === "string") Deno.writeTextFileSync(tmp, data, opts);
    else Deno.writeFileSync(tmp, data, opts);
  });
}

/**
 * A short reason for a file-system error. A missing path is "no such file" when reading and
 * "no such directory" when writing (the file itself is about to be created).
 */
export function describeFsError(err: unknown, op: FsOp = "write"): string {
  if (err instanceof Deno.errors.NotFound) return op === "read" ? "no such file" : "no such directory";
  if (err instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (err instanceof Deno.errors.IsADirectory) return "is a directory";
  const m = (err as Error).message ?? String(err);
  return m.replace(/ \(os error \d+\).*$/, "").replace(/:.*$/, "").toLowerCase();
}

/** The invalid error for a failed read or write: `<what>: cannot <op> "<path>": <reason>` (no prefix when what is ""). */
export function fsError(what: string, op: FsOp, path: string, err: unknown): AppError {
  return new AppError(
    "invalid",
    `${what ? `${what}: ` : ""}cannot ${op} "${path}": ${describeFsError(err, op)}`,
  );
}
