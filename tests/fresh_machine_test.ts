// What a fresh machine (Node and npm only, no Chromium, an empty Deno cache) gets from the README's
// commands: browser tests skip with one line outside CI, and a CLI run fetches no test-only package.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

async function denoTest(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "tests/browser/chromium_test.ts", "tests/browser/token_test.ts"],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

Deno.test("without Chromium, browser tests skip outside CI with one line saying how to install it", async () => {
  for (const chromium of ["/nonexistent/chromium", ""]) {
    const r = await denoTest({ BACKLOG_CHROMIUM: chromium, CI: "" });
    assert.equal(r.code, 0, r.out);
    const lines = r.out.split("\n").filter((l) => /chromium/i.test(l) && !/^(running|Check) /.test(l));
    assert.equal(lines.length, 1, r.out);
    assert.match(lines[0], /^browser tests skipped: .*install it with `apt-get install chromium`.* ignored/);
    if (chromium) assert.match(lines[0], /no Chromium at \/nonexistent\/chromium/);
    assert.match(r.out, / 0 failed \| 1 ignored/); // the skip line; tests needing no browser still run
  }
});

Deno.test("under CI=true a missing Chromium fails the browser tests", async () => {
  const r = await denoTest({ BACKLOG_CHROMIUM: "/nonexistent/chromium", CI: "true" });
  assert.notEqual(r.code, 0);
  assert.match(
    r.out,
    /no Chromium at \/nonexistent\/chromium: install it with `apt-get install -y chromium`/,
  );
});

Deno.test(".ci/run gates on formatting, lint and type checks before the README's test command", async () => {
  const run = await Deno.readTextFile(`${ROOT}.ci/run`);
  assert.match(run, /^deno task ci$/m);
  const tasks = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks as Record<string, string>;
  assert.equal(
    tasks.ci,
    "deno fmt --check && deno lint && deno check main.ts scripts/ tests/ && deno task check:floating && deno task test",
  );
  // Commands the tests start run in their own processes (no resident process, see the README).
  const test = tasks.test.replace(/^export BACKLOG_RESIDENT=off && /, "");
  assert.equal(test.split(" ").slice(0, 2).join(" "), "deno test");
});

Deno.test("a CLI run resolves no test-only npm package, and Deno fetches only what the run's graph uses", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  // Without lazy caching Deno downloads every package of the lockfile on the first npm import.
  assert.ok(config.unstable?.includes("npm-lazy-caching"), "deno.json: unstable npm-lazy-caching");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(dec.decode(out.stdout)) as {
    modules: { kind?: string; npmPackage?: string }[];
    npmPackages: Record<string, { name: string; dependencies: string[] }>;
  };
  const seen = new Set<string>();
  const todo = info.modules.flatMap((m) => m.kind === "npm" && m.npmPackage ? [m.npmPackage] : []);
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(info.npmPackages[id]?.dependencies ?? []));
  }
  const names = new Set([...seen].map((id) => info.npmPackages[id].name));
  assert.ok(names.has("zod") && names.has("smol-toml"), [...names].join(" "));
  for (const testOnly of ["playwright-core", "preact", "marked"]) assert.ok(!names.has(testOnly), testOnly);
});

Deno.test("every test that launches Chromium registers through browserTest (so it can be skipped)", () => {
  const dir = new URL("browser/", import.meta.url);
  for (const e of Deno.readDirSync(dir)) {
    if (e.name === "chromium_test.ts") continue; // registers the skip line itself
    const text = Deno.readTextFileSync(new URL(e.name, dir));
    if (text.includes("launchBrowser(")) assert.doesNotMatch(text, /\bDeno\.test\(/, e.name);
  }
});
