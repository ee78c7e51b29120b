// Browser-test helpers: a real `backlog web` process on a temporary database, the CLI against the same
// file, and headless Debian Chromium through playwright-core.
import { AssertionError } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { buildWeb } from "../../scripts/build_web.ts";

const chromiumEnv = Deno.env.get("BACKLOG_CHROMIUM");
/** The Chromium binary: $BACKLOG_CHROMIUM, /usr/bin/chromium when unset; empty means "none here". */
export const CHROMIUM = chromiumEnv ?? "/usr/bin/chromium";
const inCi = !["", "0", "false"].includes((Deno.env.get("CI") ?? "").toLowerCase());

/** Why browser tests cannot run on this machine, or undefined when Chromium is there. */
export const CHROMIUM_MISSING: string | undefined = (() => {
  if (!CHROMIUM) return "$BACKLOG_CHROMIUM is empty (no Chromium on this machine)";
  try {
    if (Deno.statSync(CHROMIUM).isFile) return undefined;
  } catch { /* missing */ }
  return `no Chromium at ${CHROMIUM}`;
})();

/**
 * Whether browser tests are skipped: Chromium is missing outside CI, or $BACKLOG_CHROMIUM is set empty
 * (a CI job without Chromium says so that way). In CI a missing Chromium at a named path fails them.
 */
export const SKIP_BROWSER = CHROMIUM_MISSING !== undefined && (!inCi || CHROMIUM === "");

/** The one line a run without Chromium prints (as an ignored test in tests/browser/chromium_test.ts). */
export const SKIP_LINE = `browser tests skipped: ${CHROMIUM_MISSING}; install it with ` +
  "`apt-get install chromium` (or point $BACKLOG_CHROMIUM at a Chromium binary)";

/** Deno.test for a test that drives Chromium: not registered at all when browser tests are skipped. */
export function browserTest(def: Deno.TestDefinition): void {
  if (!SKIP_BROWSER) Deno.test(def);
}
export const ARTIFACTS = new URL("../artifacts/", import.meta.url);
const ROOT = new URL("../../", import.meta.url);
const MAIN = new URL("main.ts", ROOT).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WebServer extends AsyncDisposable {
  url: string;
  dbPath: string;
  dir: string;
  /** Runs `backlog --db <db> --as human:cli <args>` as a separate process. */
  cli(...args: string[]): Promise<CliResult>;
  /** Like cli() with --json, parsed; throws when the command fails. */
  json<T = Record<string, unknown>>(...args: string[]): Promise<T>;
  /** Everything the server has printed on stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

function env(dir: string): Record<string, string> {
  // An isolated config directory; HOME (and with it Deno's npm cache) stays as it is.
  return { XDG_CONFIG_HOME: `${dir}/config`, BACKLOG_DB: "", BACKLOG_ACTOR: "", NO_COLOR: "1", CI: "1" };
}

async function runCli(dir: string, dbPath: string, args: string[]): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", dbPath, "--as", "human:cli", ...args],
    env: env(dir),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Reads the child's stderr until the "backlog web UI → <url>" line (fails after `ms`), then keeps
 * collecting it into `log`.
 */
async function waitForUrl(
  stream: ReadableStream<Uint8Array>,
  ms: number,
  log: { text: string },
): Promise<string> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let seen = "";
  const timer = setTimeout(() => reader.cancel("timeout"), ms);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += dec.decode(value, { stream: true });
      const m = /(https?:\/\/[^\s/]+)\/?/.exec(seen);
      if (m) {
        log.text = seen;
        // Keep draining so the child never blocks on a full pipe.
        void (async () => {
          try {
            for (let r = await reader.read(); !r.done; r = await reader.read()) {
              log.text += dec.decode(r.value, { stream: true });
            }
          } catch { /* closed */ }
        })();
        return m[1];
      }
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`backlog web did not print its URL within ${ms} ms; stderr:\n${seen}`);
}

/**
 * Builds the UI, seeds a fresh database through the CLI (`seed` gets a ready cli()) and, for bulk
 * data, `opts.prepare(dbPath)`; starts
 * `backlog web --port 0 --no-browser` on it and returns its URL.
 */
export async function startWeb(
  seed?: (cli: WebServer["cli"]) => Promise<void>,
  opts: { build?: boolean; prepare?: (dbPath: string) => void | Promise<void>; token?: string } = {},
): Promise<WebServer> {
  if (opts.build !== false) await buildWeb({ ifStale: true });
  const dir = await Deno.makeTempDir({ prefix: "backlog-web-" });
  const dbPath = `${dir}/backlog.db`;
  const cli = async (...args: string[]) => {
    const r = await runCli(dir, dbPath, args);
    if (r.code !== 0) throw new Error(`backlog ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r;
  };
  await cli("init"); // a server never creates its database
  if (seed) await seed(cli);
  // Bulk data (thousands of tasks) is written in-process: a CLI call per task would take minutes.
  if (opts.prepare) await opts.prepare(dbPath);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "-A", MAIN, "--db", dbPath, "--as", "human:web", "web", "--port", "0", "--no-browser"],
      ...(opts.token ? ["--token", opts.token] : []),
    ],
    env: env(dir),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let url: string;
  const log = { text: "" };
  try {
    url = await waitForUrl(child.stderr, 30_000, log);
  } catch (e) {
    child.kill("SIGKILL");
    await child.status;
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 5000);
    await child.status;
    clearTimeout(timer);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  return {
    url,
    dbPath,
    dir,
    cli,
    async json<T>(...args: string[]) {
      return JSON.parse((await cli(...args, "--json")).stdout) as T;
    },
    stderr: () => log.text,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Launches headless Debian Chromium; a clear error when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (CHROMIUM_MISSING) {
    throw new Error(
      `${CHROMIUM_MISSING}: install it with \`apt-get install -y chromium\` ` +
        `(or point $BACKLOG_CHROMIUM at a Chromium binary)`,
    );
  }
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * $BACKLOG_BROWSER_JITTER_MS: when set, openPage delays each API request by a random time up to it, the
 * way a loaded CI machine answers them late and out of order (to shake out tests that read the page
 * before it has its data).
 */
const JITTER_MS = Number(Deno.env.get("BACKLOG_BROWSER_JITTER_MS") ?? 0) || 0;

/** A new page with a desktop viewport, failing the test on any page error or console error it did not expect. */
export async function openPage(
  browser: Browser,
  opts: { colorScheme?: "light" | "dark"; width?: number; height?: number } = {},
): Promise<Page & { errors: string[]; expectConsoleError(re: RegExp): void }> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 860 },
    colorScheme: opts.colorScheme ?? "light",
    acceptDownloads: true,
  });
  if (JITTER_MS > 0) {
    // Every API answer late by a random 0..JITTER_MS ms, in its own order: a render race shows up here.
    await ctx.route(/\/api\//, async (route) => {
      await new Promise((r) => setTimeout(r, Math.random() * JITTER_MS));
      await route.continue().catch(() => {}); // the page may be gone by then
    });
  }
  const page = await ctx.newPage() as Page & { errors: string[]; expectConsoleError(re: RegExp): void };
  page.errors = [];
  // A step that provokes an error response on purpose (a refused edit) names the console line it expects.
  const expected: RegExp[] = [];
  page.expectConsoleError = (re) => void expected.push(re);
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => {
    const line = `console error: ${m.text()} (${m.location().url})`;
    if (m.type() === "error" && !expected.some((re) => re.test(line))) page.errors.push(line);
  });
  page.on("dialog", (d) => {
    page.errors.push(`unexpected dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return page;
}

/** Saves a full-page PNG to tests/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const path = new URL(`${name}.png`, ARTIFACTS).pathname;
  await page.screenshot({ path });
  return path;
}

/** How long a polled expectation waits for the page by default: ample on a loaded CI machine, short
 * enough that a page that never gets there fails instead of hanging. */
export const EXPECT_TIMEOUT = 10_000;

/** What a polled value must be: equal to it (deep), a string it matches, or a predicate it passes. */
export type Want<T> = T | RegExp | ((v: T) => boolean);

const satisfies = <T>(v: T, want: Want<T>): boolean =>
  want instanceof RegExp
    ? typeof v === "string" && want.test(v)
    : typeof want === "function"
    ? (want as (v: T) => boolean)(v)
    : isDeepStrictEqual(v, want);

/**
 * Reads `read` again and again until its value satisfies `want`, and returns that value; after
 * `timeout` ms fails with an AssertionError showing the last value read (or the last error thrown).
 * For anything the page reaches after a render, a fetch or a live event: a bare `count()`,
 * `allTextContents()` or `page.title()` reads the page once, perhaps before its data has landed.
 * A read that hangs is cut off at the deadline too.
 */
export async function expectPoll<T>(
  read: () => T | Promise<T>,
  want: Want<T>,
  opts: { timeout?: number; message?: string } = {},
): Promise<T> {
  const timeout = opts.timeout ?? EXPECT_TIMEOUT;
  const end = Date.now() + timeout;
  const pauses = [0, 50, 100, 250];
  let last: { value?: T; error?: unknown } = {};
  for (let i = 0;; i++) {
    const left = end - Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const value = await Promise.race([
        read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("the read itself did not finish")), Math.max(left, 1));
        }),
      ]);
      last = { value };
      if (satisfies(value, want)) return value;
    } catch (error) {
      last = { error };
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() >= end) break;
    await new Promise((r) =>
      setTimeout(r, Math.min(pauses[Math.min(i, pauses.length - 1)], end - Date.now()))
    );
  }
  const got = "error" in last
    ? `the last read failed: ${last.error instanceof Error ? last.error.message : String(last.error)}`
    : `the last read gave ${Deno.inspect(last.value)}`;
  throw new AssertionError({
    message: `${opts.message ?? "expected value"}: wanted ${
      typeof want === "function" ? "the predicate to hold" : Deno.inspect(want)
    } within ${timeout} ms; ${got}`,
    actual: last.value,
    expected: typeof want === "function" ? undefined : want,
    operator: "expectPoll",
  });
}

/** Waits (bounded) until exactly `n` elements match `locator`. */
export function expectCount(locator: Locator, n: number, timeout?: number): Promise<number> {
  return expectPoll(() => locator.count(), n, { timeout, message: `count of ${locator}` });
}

/**
 * Waits (bounded) until the one element `locator` matches has text equal to (a string) or matching (a
 * RegExp) `want`, and returns it. No element yet, or several, is not there yet.
 */
export function expectText(locator: Locator, want: string | RegExp, timeout?: number): Promise<string> {
  return expectPoll(
    async () => {
      const all = await locator.allTextContents();
      if (all.length !== 1) throw new Error(`${all.length} elements match`);
      return all[0];
    },
    want,
    { timeout, message: `text of ${locator}` },
  );
}

/**
 * Waits (bounded) until the page's live stream is subscribed (the sidebar says Live): a write made
 * before that is in the data the page loaded or not, but no live event will tell the page about it.
 */
export async function waitLive(page: Page, timeout = EXPECT_TIMEOUT): Promise<void> {
  await page.locator('.sidebar-foot .live[title="Live updates: live"]').waitFor({ timeout });
}
