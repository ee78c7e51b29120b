import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const read = (rel: string) => Deno.readTextFileSync(new URL(rel, root));

/** Paths (relative to the repo root) of files under `dir` whose names match `re`. */
function walk(dir: URL, re: RegExp): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const u = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) out.push(...walk(u, re));
    else if (re.test(e.name)) out.push(u.pathname.slice(root.pathname.length));
  }
  return out;
}

Deno.test("web/ imports types from src/domain only, never from src/db or src/services", () => {
  const bad: string[] = [];
  for (const f of walk(new URL("web/src/", root), /\.tsx?$/)) {
    for (const m of read(f).matchAll(/from "([^"]*src\/[^"]*)"/g)) {
      if (!/\/src\/domain\//.test(m[1])) bad.push(`${f}: ${m[1]}`);
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("services are wired at construction: no `field!:` set afterwards, no import of the App", () => {
  const bad: string[] = [];
  for (const f of walk(new URL("src/services/", root), /\.ts$/)) {
    const text = read(f);
    for (const m of text.matchAll(/^\s+\w+!: \w+/gm)) bad.push(`${f}: ${m[0].trim()}`);
    if (/from "[./]*app\.ts"/.test(text)) bad.push(`${f}: imports app.ts`);
  }
  assert.deepEqual(bad, []);
});
