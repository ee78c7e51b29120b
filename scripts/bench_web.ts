/**
 * `deno run -A scripts/bench_web.ts [--runs N] [--tasks N] [--json]`: the web UI's numbers.
 *   - time to first rendered task list (10,000 tasks): navigation start → first task row in the DOM, median
 *   - time to jump to the end of the list (the rows at 9,950+ rendered)
 *   - time to the first timeline row (the timeline draws the 1,000 newest tasks)
 *   - bundle size (gzip of index.html + app.js + app.css)
 *   - server RSS after the runs
 * Seeds a temporary workspace in-process, runs a real `backlog web` and headless Chromium.
 */
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import { openApp } from "../src/app.ts";
import type { TaskStatus, TaskType } from "../src/domain/enums.ts";
import type { Actor } from "../src/domain/actor.ts";
import { buildWeb, webBundleSize } from "./build_web.ts";
import { urlFrom } from "./bench_util.ts";

export interface WebBenchRow {
  name: string;
  value: number;
  unit: "ms" | "KB" | "MB";
  target?: number;
}

const CHROMIUM = Deno.env.get("BACKLOG_CHROMIUM") ?? "/usr/bin/chromium";
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const actor: Actor = { kind: "ai", name: "bench" };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function seed(dbPath: string, n: number): Promise<void> {
  const app = await openApp({ dbPath });
  await app.projects.create({ alias: "bench", name: "Bench" }, actor);
  const types: TaskType[] = ["task", "bug", "feature", "chore"];
  for (let i = 0; i < n; i += 1000) {
    await app.db.tx(async () => {
      for (let j = i; j < Math.min(n, i + 1000); j++) {
        await app.tasks.create({
          project: "bench",
          title: `Bench task ${j}: tidy the ${["parser", "cache", "queue", "login"][j % 4]} path`,
          priority: (j % 5) + 1,
          type: types[j % types.length],
          status: (["todo", "doing", "done"] as TaskStatus[])[j % 3],
          labels: j % 10 === 0 ? ["hot"] : [],
        }, actor);
      }
    });
  }
  await app.close();
}

async function startServer(dbPath: string, dir: string): Promise<{ url: string; child: Deno.ChildProcess }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", dbPath, "web", "--port", "0", "--no-browser"],
    env: { XDG_CONFIG_HOME: `${dir}/config`, BACKLOG_DB: "", CI: "1", NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const { url, seen } = await urlFrom(child.stderr);
  if (url) return { url, child };
  child.kill("SIGKILL");
  throw new Error(`backlog web did not start:\n${seen}`);
}

async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Milliseconds from navigation start until `selector` first enters the DOM (a MutationObserver stamps it). */
async function timeToFirst(page: Page, url: string, selector: string): Promise<number> {
  await page.addInitScript((sel: string) => {
    new MutationObserver((_, obs) => {
      if (!document.querySelector(sel)) return;
      (globalThis as { __first?: number }).__first = performance.now();
      obs.disconnect();
    }).observe(document, { childList: true, subtree: true });
  }, selector);
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(selector).first().waitFor();
  return await page.evaluate(() => (globalThis as { __first?: number }).__first ?? performance.now());
}

/** Runs the web benchmark and returns its rows (medians over `runs` page loads). */
export async function benchWeb(opts: { runs?: number; tasks?: number } = {}): Promise<WebBenchRow[]> {
  const runs = opts.runs ?? 7;
  const n = opts.tasks ?? 10_000;
  await Deno.stat(CHROMIUM).catch(() => {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  });
  await buildWeb();
  const size = await webBundleSize();
  const dir = await Deno.makeTempDir({ prefix: "backlog-bench-web-" });
  const dbPath = `${dir}/backlog.db`;
  await seed(dbPath, n);
  const { url, child } = await startServer(dbPath, dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
    ],
  });
  try {
    const first: number[] = [];
    const jump: number[] = [];
    const timeline: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
      const ms = await timeToFirst(page, `${url}/tasks?project=bench`, ".list-body [role=row]");
      const t = performance.now();
      await page.evaluate(() => {
        const el = document.querySelector(".list-scroll")!;
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForFunction(
        (last) =>
          [...document.querySelectorAll<HTMLElement>(".list-body [role=row]")]
            .some((r) => parseInt(r.style.top) >= last * 44),
        n - 5,
      );
      if (i > 0) (first.push(ms), jump.push(performance.now() - t)); // the first load warms caches
      await page.close();
      const tl = await browser.newPage({ viewport: { width: 1360, height: 860 } });
      const tlMs = await timeToFirst(tl, `${url}/tasks?project=bench&view=timeline`, ".tl-row");
      if (i > 0) timeline.push(tlMs);
      await tl.close();
    }
    return [
      {
        name: `first rendered task list (${n.toLocaleString()} tasks)`,
        value: median(first),
        unit: "ms",
        target: 1000,
      },
      { name: "jump to the end of the list", value: median(jump), unit: "ms" },
      {
        name: "first rendered timeline (1,000 newest tasks)",
        value: median(timeline),
        unit: "ms",
        target: 1000,
      },
      { name: "bundle (gzip: html + js + css)", value: size.gzip / 1024, unit: "KB", target: 80 },
      { name: "server RSS after the runs", value: await rssMb(child.pid), unit: "MB", target: 150 },
    ];
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function table(rows: WebBenchRow[]): string {
  const w = Math.max(...rows.map((r) => r.name.length));
  const out = [`${"web UI".padEnd(w)}  ${"value".padStart(9)}  target`];
  for (const r of rows) {
    const v = `${r.value.toFixed(1)} ${r.unit}`;
    const t = r.target === undefined
      ? ""
      : `≤ ${r.target} ${r.unit} ${r.value <= r.target ? "ok" : "MISSED"}`;
    out.push(`${r.name.padEnd(w)}  ${v.padStart(9)}  ${t}`);
  }
  return out.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { runs: { type: "string" }, tasks: { type: "string" }, json: { type: "boolean" } },
  });
  const rows = await benchWeb({
    runs: values.runs ? Number(values.runs) : undefined,
    tasks: values.tasks ? Number(values.tasks) : undefined,
  });
  // deno-lint-ignore no-console
  console.log(values.json ? JSON.stringify({ rows }, null, 2) : table(rows));
}
