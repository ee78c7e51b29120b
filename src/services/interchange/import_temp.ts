/** Temporary copies made by `backlog import <db>`, and the sweep that removes those a killed run left. */

export const TEMP_PREFIX = "backlog-import-";
const DAY_MS = 86_400_000;

/**
 * Removes the temporary copies that imports killed before their cleanup left in `dir` (a copy can
 * be as large as the source database): those whose process is gone (`/proc/<pid>` where it exists,
 * else copies older than a day). Best effort; never fails an import.
 */
export function sweepStaleImports(dir: string): number {
  let removed = 0;
  let hasProc = false;
  try {
    hasProc = Deno.statSync("/proc/self").isDirectory;
  } catch { /* not Linux */ }
  try {
    for (const e of Deno.readDirSync(dir)) {
      const m = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(e.name);
      if (!e.isDirectory || !m || Number(m[1]) === Deno.pid) continue;
      const path = `${dir}/${e.name}`;
      if (hasProc ? alive(m[1]) : Date.now() - (Deno.statSync(path).mtime?.getTime() ?? 0) < DAY_MS) continue;
      try {
        Deno.removeSync(path, { recursive: true });
        removed++;
      } catch { /* another sweeper, or not ours to remove */ }
    }
  } catch { /* unreadable temp dir */ }
  return removed;
}

function alive(pid: string): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
