import assert from "node:assert/strict";

interface Info {
  roots: string[];
  redirects: Record<string, string>;
  modules: { specifier: string; dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[] }[];
}

/** The project's root, as a file URL ending in `/`. */
export const ROOT = new URL("../../", import.meta.url);

/**
 * Module specifiers reachable from main.ts (or `entry`, a path from the root) through static imports
 * only (a dynamic `import()` loads lazily), read from `deno info --json`: what every CLI run loads
 * before its command group.
 */
export async function staticGraph(entry = "main.ts"): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as Info;
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const todo = [...info.roots];
  while (todo.length) {
    const raw = todo.pop()!;
    const s = info.redirects[raw] ?? raw;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) todo.push(d.code.specifier);
    }
  }
  return [...seen];
}
