import assert from "node:assert/strict";

interface Info {
  roots: string[];
  redirects: Record<string, string>;
  modules: { specifier: string; dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[] }[];
}

/** Module specifiers reachable from main.ts through static imports only (dynamic `import()` is lazy). */
async function staticGraph(): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: new URL("../../", import.meta.url),
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
  return seen;
}

Deno.test("the postgres driver is not in main.ts's static import graph (a SQLite user never loads it)", async () => {
  const graph = await staticGraph();
  assert.ok([...graph].some((s) => s.endsWith("/src/cli/run.ts")), "the walk follows static imports");
  assert.deepEqual([...graph].filter((s) => /^npm:\/?pg@|\/src\/db\/pg\//.test(s)), []);
});
