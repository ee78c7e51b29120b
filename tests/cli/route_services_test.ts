// A command group builds only the services its route in src/cli/registry.ts lists: every service its
// commands use must be listed, and a group that hands the whole app on must list none (all are built).
import assert from "node:assert/strict";
import { ROUTES } from "../../src/cli/registry.ts";
import { SERVICE_NAMES } from "../../src/app.ts";

const COMMANDS = new URL("../../src/cli/commands/", import.meta.url);

/** The group's files: the module its route loads and the command modules that one imports. */
function groupFiles(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const todo = [entry];
  while (todo.length) {
    const name = todo.pop()!;
    if (files.has(name)) continue;
    const text = Deno.readTextFileSync(new URL(name, COMMANDS));
    files.set(name, text);
    for (const m of text.matchAll(/from "\.\/([\w.]+\.ts)"/g)) todo.push(m[1]);
  }
  return files;
}

/** Services a file uses (`app.x`, `ctx.app().x`), and whether it uses the app whole (passes it on). */
function appUse(text: string): { used: Set<string>; whole: string[] } {
  const used = new Set<string>();
  const whole: string[] = [];
  const code = text.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\b(const|let) app = ctx\.app\(\);/g, ""); // then `app.x` below
  for (const m of code.matchAll(/\bapp\b(\(\))?(\.\w+)?/g)) {
    if (m[2]) used.add(m[2].slice(1));
    else whole.push(code.slice(Math.max(0, m.index! - 20), m.index! + 20).replace(/\s+/g, " "));
  }
  return { used, whole };
}

Deno.test("each command group's route lists every service its commands use", () => {
  let listed = 0;
  for (const route of ROUTES) {
    const entry = route.load.toString().match(/import\("\.\/commands\/([\w.]+\.ts)"\)/)?.[1];
    assert.ok(entry, `route ${route.names[0]}: cannot find the module it loads`);
    if (!route.services) continue;
    listed++;
    for (const [file, text] of groupFiles(entry)) {
      const { used, whole } = appUse(text);
      assert.deepEqual(
        whole,
        [],
        `${file} uses the app whole: route ${route.names[0]} must not list services`,
      );
      for (const name of used) {
        if (["ctx", "db", "close"].includes(name)) continue;
        assert.ok(SERVICE_NAMES.includes(name as never), `${file}: app.${name} is not a service`);
        assert.ok(
          route.services.includes(name as never),
          `${file} uses app.${name}: add it to route ${route.names[0]}`,
        );
      }
    }
  }
  assert.ok(listed >= 10, "most groups build only their own services");
});
