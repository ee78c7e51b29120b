// Builds the web UI: `deno bundle` of web/src/main.tsx → web/dist/app.js, web/styles/*.css → app.css,
// web/index.html → index.html (asset URLs carry a content hash so browsers never mix versions).
// Usage: deno task build:web   (or: import { buildWeb } from "./scripts/build_web.ts")

const ROOT = new URL("../", import.meta.url);
const WEB = new URL("web/", ROOT);
const DIST = new URL("web/dist/", ROOT);
/** Stylesheets in cascade order, concatenated into app.css. */
const CSS_FILES = ["theme", "controls", "chrome", "tasks", "detail", "pages", "cockpit"];

export interface WebBundleSize {
  js: number;
  css: number;
  html: number;
  /** sum of the three files' gzip sizes: what a browser downloads */
  gzip: number;
}

async function run(args: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`deno ${args[0]} failed (exit ${out.code}):\n${err}`);
  }
}

async function shortHash(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return [...d.slice(0, 5)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Comments and indentation out; the CSS stays readable enough to debug. */
function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s*\n\s*/g, "\n")
    .replace(/\s*([{};,>])\s*/g, "$1")
    .replace(/\n+/g, "\n")
    .trim() + "\n";
}

/** Writes `name` in web/dist through a temporary file, so a concurrent reader never sees half a file. */
async function writeAtomic(name: string, data: Uint8Array | string): Promise<void> {
  const tmp = new URL(`.${name}.${crypto.randomUUID()}.tmp`, DIST);
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, new URL(name, DIST));
}

async function newestMtime(dir: URL): Promise<number> {
  let newest = 0;
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    const t = e.isDirectory ? await newestMtime(url) : (await Deno.stat(url)).mtime?.getTime() ?? 0;
    newest = Math.max(newest, t);
  }
  return newest;
}

/** True when web/dist/app.js is older than any source file (or missing). */
async function isStale(): Promise<boolean> {
  try {
    const built = (await Deno.stat(new URL("app.js", DIST))).mtime?.getTime() ?? 0;
    await Deno.stat(new URL("index.html", DIST));
    const sources = Math.max(
      await newestMtime(new URL("src/", WEB)),
      await newestMtime(new URL("styles/", WEB)),
      (await Deno.stat(new URL("index.html", WEB))).mtime?.getTime() ?? 0,
      (await Deno.stat(new URL("deno.json", ROOT))).mtime?.getTime() ?? 0,
    );
    return sources > built;
  } catch {
    return true;
  }
}

/**
 * Bundles and minifies the UI into web/dist/ (with `ifStale`, only when a source is newer than the
 * build). Throws with deno bundle's message when it fails.
 */
export async function buildWeb(opts: { ifStale?: boolean } = {}): Promise<void> {
  if (opts.ifStale && !(await isStale())) return;
  await Deno.mkdir(DIST, { recursive: true });
  const tmpJs = new URL(`.bundle.${crypto.randomUUID()}.js`, DIST);
  try {
    await run([
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--output",
      tmpJs.pathname,
      new URL("src/main.tsx", WEB).pathname,
    ]);
    const js = await Deno.readFile(tmpJs);
    const sheets = await Promise.all(
      CSS_FILES.map((n) => Deno.readTextFile(new URL(`styles/${n}.css`, WEB))),
    );
    const css = minifyCss(sheets.join("\n"));
    const html = (await Deno.readTextFile(new URL("index.html", WEB)))
      .replace('href="/app.css"', `href="/app.css?v=${await shortHash(new TextEncoder().encode(css))}"`)
      .replace('src="/app.js"', `src="/app.js?v=${await shortHash(js)}"`);
    await writeAtomic("app.js", js);
    await writeAtomic("app.css", css);
    await writeAtomic("index.html", html);
  } finally {
    await Deno.remove(tmpJs).catch(() => {});
  }
}

async function gzipSize(data: Uint8Array): Promise<number> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Sizes of the built files in web/dist (run buildWeb first). */
export async function webBundleSize(): Promise<WebBundleSize> {
  const read = (n: string) => Deno.readFile(new URL(n, DIST));
  const [js, css, html] = await Promise.all([read("app.js"), read("app.css"), read("index.html")]);
  const gz = await Promise.all([js, css, html].map(gzipSize));
  return { js: js.length, css: css.length, html: html.length, gzip: gz.reduce((a, b) => a + b, 0) };
}

if (import.meta.main) {
  const t0 = performance.now();
  await buildWeb();
  const s = await webBundleSize();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  // deno-lint-ignore no-console
  console.log(
    `web/dist: app.js ${kb(s.js)}, app.css ${kb(s.css)}, index.html ${kb(s.html)}; ${kb(s.gzip)} gzip; ${
      Math.round(performance.now() - t0)
    } ms`,
  );
}
