// `deno compile` cannot run on our machines, so its inputs are proved instead: every file the program
// reads at run time must be embedded by scripts/compile.ts (`--include`), and nothing may be read from
// the source tree outside those folders (a binary would not have it).
import assert from "node:assert/strict";
import { INCLUDES } from "../scripts/compile.ts";
import { buildWeb } from "../scripts/build_web.ts";
import { cacheDir, mainPath } from "./helpers/cli.ts";

const ROOT = new URL("../", import.meta.url);
const rootPath = ROOT.pathname;

/** Source-tree paths the program names but a binary never reads, and why. */
const SOURCE_ONLY: Record<string, string> = {
  "scripts/build_web.ts": "`web` builds the UI on demand only when run from source without web/dist",
  "web/src": "`web` compares it with web/dist only when run from source (a binary has its embedded build)",
  "web/styles": "`web` compares it with web/dist only when run from source (a binary has its embedded build)",
  "main.ts":
    "`mcp config` names main.ts, and the resident process keys its socket by it and starts with it, only when the program runs under deno from source",
};

function* sources(dir: URL): Generator<URL> {
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory) yield* sources(new URL(`${e.name}/`, dir));
    else if (/\.tsx?$/.test(e.name)) yield new URL(e.name, dir);
  }
}

const underInclude = (rel: string) => INCLUDES.some((d) => rel === d || rel.startsWith(`${d}/`));

Deno.test("every source-relative path the program reads is embedded by scripts/compile.ts", () => {
  const found: string[] = [];
  const problems: string[] = [];
  for (const file of [new URL("main.ts", ROOT), ...sources(new URL("src/", ROOT))]) {
    const text = Deno.readTextFileSync(file);
    const where = file.pathname.slice(rootPath.length);
    const anchored = /new URL\(\s*"([^"]+)"\s*,\s*import\.meta\.url\s*\)/g;
    const ok = new Set<number>();
    for (const m of text.matchAll(anchored)) {
      ok.add(m.index! + m[0].indexOf("import.meta"));
      const target = new URL(m[1], file).pathname;
      const rel = target.slice(rootPath.length).replace(/\/$/, "");
      if (!target.startsWith(rootPath)) problems.push(`${where}: ${m[1]} points outside the repository`);
      else if (underInclude(rel)) found.push(rel);
      else if (!SOURCE_ONLY[rel]) {
        problems.push(`${where}: reads ${rel}, which compile.ts does not --include`);
      }
    }
    // Any other use of the module's own location cannot be checked here: name it literally instead.
    for (const m of text.matchAll(/import\.meta\.(url|dirname|filename|resolve)\b/g)) {
      if (!ok.has(m.index!)) problems.push(`${where}: import.meta.${m[1]} outside new URL("<literal>", …)`);
    }
  }
  assert.deepEqual(problems, []);
  // Every embedded folder is one the program reads (migrations, migrations/pg, skills, web/dist).
  for (const dir of INCLUDES) assert.ok(found.some((f) => f === dir || f.startsWith(`${dir}/`)), dir);
  assert.ok(found.includes("migrations") && found.includes("skills") && found.includes("web/dist"));
  for (const dir of INCLUDES) {
    assert.ok([...Deno.readDirSync(new URL(`${dir}/`, ROOT))].length > 0 || dir === "web/dist", dir);
  }
});

async function run(args: string[], env: Record<string, string>, allowRead: string[], tmp: string) {
  return await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${allowRead.join(",")}`,
      `--allow-write=${tmp}`,
      "--allow-env",
      "--allow-net=127.0.0.1",
      mainPath,
      ...args,
    ],
    env: { DENO_DIR: await cacheDir(), NO_COLOR: "1", HOME: tmp, USER: "t", ...env },
    clearEnv: true,
    cwd: tmp,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test({
  name: "the program runs reading only its embedded folders and the workspace (what a binary has)",
  sanitizeResources: false,
  async fn() {
    await buildWeb({ ifStale: true });
    const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "backlog-compile-" }));
    // src/ and deno.json (src/version.ts imports it) are the program's modules, which a binary embeds:
    // a command group, the store and the services are imported when first used (deno.json:
    // lazy-dynamic-imports), reading them under the program's permissions. Nothing else of the source
    // tree may be read (the scan above checks that src/ reads no data from outside its includes).
    const modules = [`${rootPath}src`, `${rootPath}deno.json`];
    const allowRead = [...INCLUDES.map((d) => `${rootPath}${d}`), ...modules, tmp];
    const env = { PATH: Deno.env.get("PATH") ?? "" };
    const dec = new TextDecoder();
    try {
      for (
        const argv of [
          ["init"],
          ["project", "add", "Api", "--alias", "api"],
          ["task", "add", "-p", "api", "-t", "Ship"],
          ["task", "list", "-p", "api"],
          ["install-skills", "--all", "--dry-run"],
          ["schema", "task"],
          ["doctor", "check"],
          ["mcp", "tools", "--size"],
        ]
      ) {
        const out = await (await run(argv, env, allowRead, tmp)).output();
        assert.equal(out.code, 0, `${argv.join(" ")}: ${dec.decode(out.stderr)}`);
      }
      const child = (await run(["web", "--port", "0", "--no-browser"], env, allowRead, tmp)).spawn();
      const reader = child.stderr.getReader();
      const timer = setTimeout(() => reader.cancel("timeout"), 30_000);
      try {
        let seen = "";
        let m: RegExpMatchArray | null = null;
        while (!(m = seen.match(/→ (http:\/\/\S+)\n/))) {
          const { value, done } = await reader.read();
          assert.ok(!done, `web exited: ${seen}`);
          seen += dec.decode(value, { stream: true });
        }
        const url: string = m[1];
        const html = await (await fetch(url)).text();
        assert.match(html, /<script[^>]+app\.js/);
        for (const asset of html.matchAll(/(?:src|href)="\/?(app\.(?:js|css)[^"]*)"/g)) {
          const r: Response = await fetch(`${url}/${asset[1]}`);
          assert.equal(r.status, 200, asset[1]);
          await r.body?.cancel();
        }
        assert.doesNotMatch(seen, /building the web UI|warning/);
      } finally {
        clearTimeout(timer);
        child.kill("SIGTERM");
        await reader.cancel().catch(() => {});
        await child.status;
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
