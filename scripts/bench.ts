// deno-lint-ignore-file no-console
/**
 * `deno task bench`: seeds temp workspaces and prints medians (table + JSON).
 *   - wall time of real CLI processes (task list / add / show / list --search) at 10,000 tasks, and
 *     their CPU time (perf's task clock when the machine has perf: less disturbed by load)
 *   - in-process service latencies: create, list page, FTS search at 100,000 tasks
 *   - the queue (scripts/bench_queue.ts): next --claim claims/s, list --ready, next --explain, MCP calls
 * Flags: --runs N (default 15), --small (1,000 / 10,000 tasks, for a quick look), --json,
 *   --before REF: also measure the code at git REF (extracted to a temp dir) in the same run, so every
 *   figure has a before and an after column measured under the same load; --repeat N runs each
 *   section N times, the checkouts taking turns, and shows medians;
 *   --only cli,queue,svc: just those sections (and no companion benches);
 *   --pg URL (default $BACKLOG_TEST_PG): also time the CLI commands against PostgreSQL (a database
 *   created on that server per checkout and dropped after), beside the same commands on SQLite.
 * Other benches (stress, web) live in their own scripts and are called at the end when present.
 */
import { parseArgs } from "node:util";
import { inTx, median, timeAsync } from "./bench_util.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string" },
    small: { type: "boolean" },
    json: { type: "boolean" },
    only: { type: "string" },
    before: { type: "string" },
    repeat: { type: "string" },
    pg: { type: "string" },
  },
});
const PG = values.pg ?? Deno.env.get("BACKLOG_TEST_PG");
const RUNS = Number(values.runs ?? 15);
const REPEAT = Math.max(1, Number(values.repeat ?? 1));
const N_CLI = values.small ? 1_000 : 10_000;
const N_FTS = values.small ? 10_000 : 100_000;
const actor = { kind: "ai", name: "bench" } as const;
const WORDS =
  "login token cache parser index query auth session upload render queue retry timeout schema export".split(
    " ",
  );

// deno-lint-ignore no-explicit-any
async function seed(root: URL, dbPath: string, n: number): Promise<{ app: any; seedMs: number }> {
  const { openApp } = await import(new URL("src/app.ts", root).href);
  const app = await openApp({ dbPath });
  await app.projects.create({ alias: "bench", name: "Bench" }, actor);
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1000) {
    // One transaction per 1,000 tasks, on the async store and on a synchronous pre-port checkout alike.
    await inTx(app, function* () {
      for (let j = i; j < Math.min(n, i + 1000); j++) {
        const w = (k: number) => WORDS[(j * 7 + k * 13) % WORDS.length];
        yield app.tasks.create({
          project: "bench",
          title: `${w(1)} ${w(2)} task ${j}`,
          description: `Investigate the ${w(3)} path when ${w(4)} fails under ${w(5)} load (#${j}).`,
          priority: (j % 5) + 1,
          labels: j % 10 === 0 ? ["hot"] : [],
        }, actor);
      }
    });
  }
  const seedMs = performance.now() - t0;
  return { app, seedMs };
}

/** One wall time of `deno run -A <script> args` from `cwd`. */
async function runOnce(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<number> {
  const t = performance.now();
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    env,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t;
  if (!r.success) throw new Error(`${args.join(" ")} failed: ${new TextDecoder().decode(r.stderr)}`);
  return ms;
}

/**
 * Median wall time of a command and of bare `deno run` of a one-line script, runs interleaved so
 * both see the same load (the machine is shared): the ratio is the figure to compare. With `perf`,
 * as many runs again give their CPU time (task clock, every thread), which a busy machine disturbs
 * less than wall time.
 */
async function cliVsBare(
  script: string,
  args: string[],
  bare: string,
  env: Record<string, string>,
  cwd: string,
  cpu = PERF,
): Promise<{ ms: number; bare: number; cpu?: number; bareCpu?: number }> {
  const xs: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bs.push(await runOnce(bare, [], env, cwd));
    xs.push(await runOnce(script, args, env, cwd));
  }
  if (!cpu) return { ms: median(xs), bare: median(bs) };
  const cs: number[] = [];
  const bcs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bcs.push(await cpuOnce(bare, [], env, cwd));
    cs.push(await cpuOnce(script, args, env, cwd));
  }
  return { ms: median(xs), bare: median(bs), cpu: median(cs), bareCpu: median(bcs) };
}

/** `perf stat`, when the machine has it and may count a child's task clock (CPU rows are left out otherwise). */
const PERF = await (async () => {
  try {
    const r = await new Deno.Command("perf", {
      args: ["stat", "-x,", "-e", "task-clock", "true"],
      stdout: "null",
      stderr: "piped",
    }).output();
    return r.success && /task-clock/.test(new TextDecoder().decode(r.stderr));
  } catch {
    return false;
  }
})();

/** The CPU time (ms, every thread) of one `deno run -A <script> args`: perf's task clock. */
async function cpuOnce(script: string, args: string[], env: Record<string, string>, cwd: string) {
  const r = await new Deno.Command("perf", {
    args: ["stat", "-x,", "-e", "task-clock", Deno.execPath(), "run", "-A", script, ...args],
    env,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  const m = err.match(/^([\d.]+),msec,task-clock/m);
  if (!r.success || !m) throw new Error(`${args.join(" ")} failed: ${err}`);
  return Number(m[1]);
}

type Row = { name: string; ms: number; before?: number; target?: number; unit?: string };
const rows: Row[] = [];
const here = new URL("../", import.meta.url);
const dir = await Deno.makeTempDir({ prefix: "backlog-bench-" });
/** Where each measured checkout lives: this one, and the `--before` ref when given. */
const roots: { label: "after" | "before"; root: URL }[] = [{ label: "after", root: here }];
if (values.before) {
  const out = `${dir}/before`;
  await Deno.mkdir(out);
  const tar = await new Deno.Command("sh", {
    args: ["-c", `git -C "${here.pathname}" archive "${values.before}" | tar -x -C "${out}"`],
  }).output();
  if (!tar.success) throw new Error(`--before ${values.before}: ${new TextDecoder().decode(tar.stderr)}`);
  roots.push({ label: "before", root: new URL(`file://${out}/`) });
}
/** Every figure measured, per row and checkout; a row shows the median of its samples. */
const samples = new Map<string, { after: number[]; before: number[] }>();
function put(label: "after" | "before", r: Row): void {
  if (!rows.some((x) => x.name === r.name)) rows.push({ ...r, ms: NaN });
  const s = samples.get(r.name) ?? { after: [], before: [] };
  s[label].push(r.ms);
  samples.set(r.name, s);
  const row = rows.find((x) => x.name === r.name)!;
  row.ms = s.after.length ? median(s.after) : NaN;
  if (s.before.length) row.before = median(s.before);
}
let dbs = 0; // a fresh database per measured section
const want = (section: string) => !values.only || values.only.split(",").includes(section);

// Section by section, the checkouts take turns (after, before, then before, after with --repeat),
// so a change in the machine's load lands on both columns rather than on one.
try {
  const sections = [["cli", cliSection], ["queue", queueSection], ["svc", svcSection]] as const;
  for (const [name, section] of sections) {
    if (!want(name)) continue;
    for (let k = 0; k < REPEAT; k++) {
      for (const { label, root } of k % 2 ? [...roots].reverse() : roots) await section(label, root);
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

/** CLI processes at N_CLI tasks, from the project directory and from elsewhere, against bare Deno. */
async function cliSection(label: "after" | "before", root: URL) {
  const cliDb = `${dir}/cli-${label}-${++dbs}.db`;
  const s1 = await seed(root, cliDb, N_CLI);
  await s1.app.close();
  // HOME points elsewhere (no user config); Deno keeps using the real module cache.
  const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
  // The resident process the commands start exits 30 s after the bench instead of 5 minutes.
  const env = {
    BACKLOG_DB: cliDb,
    HOME: dir,
    NO_COLOR: "1",
    DENO_DIR: denoDir,
    BACKLOG_RESIDENT_IDLE_MS: "30000",
  };
  const main = new URL("main.ts", root).pathname;
  const elsewhere = await Deno.makeTempDir({ dir, prefix: "cwd-" });
  const oneLine = `${elsewhere}/hello.ts`;
  await Deno.writeTextFile(oneLine, 'console.log("hi");\n');
  put(label, { name: `seed ${N_CLI} tasks (in-process, per task)`, ms: s1.seedMs / N_CLI });
  const v = await cliVsBare(main, ["version"], oneLine, env, root.pathname);
  put(label, { name: "bare `deno run` of a one-line script (reference)", ms: v.bare });
  if (v.bareCpu !== undefined) put(label, { name: "bare `deno run`, cpu ms (reference)", ms: v.bareCpu });
  put(label, { name: "deno start + `backlog version` (no DB)", ms: v.ms });
  const cmds: [string, string[]][] = [
    [`task list (${N_CLI} tasks)`, ["task", "list", "-p", "bench"]],
    ["task add", ["task", "add", "-p", "bench", "-t", "bench add"]],
    ["task show", ["task", "show", "TASK-500"]],
    ["task list --search", ["task", "list", "--search", "token*"]],
  ];
  // Through the resident process (the default; `version` above started it), then each command in its
  // own process (BACKLOG_RESIDENT=off). CPU time is the client's alone through the resident: only the
  // own-process runs report it.
  const own = { ...env, BACKLOG_RESIDENT: "off" };
  for (const [name, args] of cmds) {
    for (const [where, cwd] of [["project dir", root.pathname], ["elsewhere", elsewhere]]) {
      const r = await cliVsBare(main, args, oneLine, env, cwd, false);
      put(label, { name: `cli: ${name}, from ${where} (ms)`, ms: r.ms });
      put(label, { name: `cli: ${name}, from ${where} (× bare)`, ms: r.ms / r.bare, target: 2, unit: "×" });
      const o = await cliVsBare(main, args, oneLine, own, cwd);
      put(label, { name: `cli, own process: ${name}, from ${where} (ms)`, ms: o.ms });
      put(label, { name: `cli, own process: ${name}, from ${where} (× bare)`, ms: o.ms / o.bare, unit: "×" });
      if (o.cpu !== undefined) {
        put(label, { name: `cli, own process: ${name}, from ${where} (cpu ms)`, ms: o.cpu });
        put(label, {
          name: `cli, own process: ${name}, from ${where} (cpu × bare's)`,
          ms: o.cpu / o.bareCpu!,
          unit: "×",
        });
      }
    }
  }
  if (PG) await cliPgSection(label, root, cmds, { ...own, BACKLOG_DB: cliDb }, main, elsewhere);
}

/**
 * The same commands on PostgreSQL and on SQLite, runs interleaved: median ms of each and their
 * difference (team mode's bar: ≤ 20 ms per command above SQLite's).
 */
async function cliPgSection(
  label: "after" | "before",
  root: URL,
  cmds: [string, string[]][],
  env: Record<string, string>,
  main: string,
  cwd: string,
) {
  const { openPgStore } = await import(new URL("src/db/pg/open.ts", here).href);
  const name = `backlog_bench_${label}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
  const admin = await openPgStore(PG!, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const u = new URL(PG!);
  u.pathname = `/${name}`;
  try {
    const s = await seed(root, u.href, N_CLI);
    // Planner statistics, as autovacuum leaves them within a minute (and `import` right away): without
    // them a `token*` search plans blind (35–40 ms on the server, against 3–9).
    await s.app.db.exec("ANALYZE");
    await s.app.close();
    // The connection keeper (src/db/pg/keeper.ts) in this run's directory; it exits a minute after.
    const pgEnv = {
      ...env,
      BACKLOG_DB: u.href,
      BACKLOG_PG_KEEPER_DIR: `${dir}/keeper`,
      BACKLOG_PG_KEEPER_IDLE_MS: "60000",
    };
    for (const [cmd, args] of cmds) {
      const [pg, lite, direct]: number[][] = [[], [], []];
      for (let i = 0; i < RUNS; i++) {
        lite.push(await runOnce(main, args, env, cwd));
        pg.push(await runOnce(main, args, pgEnv, cwd));
        direct.push(await runOnce(main, args, { ...pgEnv, BACKLOG_PG_KEEPER: "off" }, cwd));
      }
      put(label, { name: `cli pg: ${cmd} on postgres (ms)`, ms: median(pg) });
      put(label, { name: `cli pg: ${cmd} on postgres, no keeper (ms)`, ms: median(direct) });
      put(label, { name: `cli pg: ${cmd} on sqlite, same runs (ms)`, ms: median(lite) });
      put(label, {
        name: `cli pg: ${cmd}, postgres − sqlite (ms)`,
        ms: median(pg) - median(lite),
        target: 20,
      });
      put(label, {
        name: `cli pg: ${cmd}, postgres without keeper − sqlite (ms)`,
        ms: median(direct) - median(lite),
      });
    }
  } finally {
    const a = await openPgStore(PG!, { max: 1 });
    await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.close();
  }
}

/** The queue at 10,000 open tasks and 2,000 edges (its own process: a fresh heap per checkout). */
async function queueSection(label: "after" | "before", root: URL) {
  const args = ["run", "-A", new URL("bench_queue.ts", import.meta.url).pathname, "--src", root.pathname];
  if (values.small) args.push("--tasks", "4000", "--edges", "400"); // ≥ 2,700 ready: the rounds claim that many
  const r = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "inherit" }).output();
  if (!r.success) throw new Error(`bench_queue (${label}) failed`);
  const out = JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").at(-1)!);
  const targets: Record<string, number> = {
    "svc: task list --ready (page 50)": 10,
    "svc: next --claim (claims/s)": 5000,
    "mcp: task_show": 1,
    "mcp: task_list (page)": 1,
  };
  for (const x of out.rows as { name: string; ms?: number; per_s?: number }[]) {
    put(label, {
      name: `queue: ${x.name.replace(/^svc: /, "")}`,
      ms: x.ms ?? x.per_s!,
      unit: x.per_s !== undefined ? "/s" : undefined,
      target: targets[x.name],
    });
  }
}

/** In-process latencies at N_FTS tasks. */
async function svcSection(label: "after" | "before", root: URL) {
  const { app, seedMs } = await seed(root, `${dir}/fts-${label}-${++dbs}.db`, N_FTS);
  put(label, { name: `seed ${N_FTS} tasks (in-process, total s)`, ms: seedMs / 1000 });
  let k = 0;
  // Every call is awaited (a no-op on a synchronous checkout), so both columns pay the same harness.
  const m = async (name: string, fn: () => unknown, target?: number, runs = 200) =>
    put(label, { name, ms: await timeAsync(async () => await fn(), runs), target });
  await m("svc: task create", () => app.tasks.create({ project: "bench", title: `x ${k++}` }, actor), 1);
  await m("svc: task list page (50) + total", () => app.tasks.list({ project: "bench" }), 5);
  await m("svc: task list page, offset 5000", () => app.tasks.list({ project: "bench", offset: 5000 }), 5);
  await m(`svc: FTS search (${N_FTS} tasks)`, () => app.tasks.list({ search: "cache parser" }), 10, 50);
  await m("svc: FTS prefix search (a third match)", () => app.tasks.list({ search: "upl*" }), 10, 50);
  const inProject = () => app.tasks.list({ project: "bench", search: "upl*" });
  await m("svc: FTS prefix search, one project (CLI default)", inProject, 10, 50);
  await m("svc: task show", () => app.tasks.show("TASK-777"), 5);
  // A tenth of the tasks archived: a search's total is then its matches less the archived ones.
  for (let i = 0; i < N_FTS; i += 10_000) {
    await inTx(app, function* () {
      for (let s = i + 10; s <= Math.min(N_FTS, i + 10_000); s += 10) {
        yield app.tasks.archive(`TASK-${s}`, actor);
      }
    });
  }
  await m("svc: FTS prefix search, a tenth archived", () => app.tasks.list({ search: "upl*" }), 10, 50);
  await app.close();
}

const fmt = (r: Row, v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? "" : r.unit === "/s" ? v.toFixed(0) : v.toFixed(2);
const meets = (r: Row) => r.unit === "/s" ? r.ms >= r.target! : r.ms <= r.target!;
if (values.json) {
  console.log(JSON.stringify({ runs: RUNS, before: values.before, rows }, null, 2));
} else {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"measure".padEnd(w)}  ${values.before ? "   before  " : ""}    after  target`);
  for (const r of rows) {
    const op = r.unit === "/s" ? "≥" : "≤";
    const ok = r.target === undefined
      ? ""
      : `${op} ${r.target}${r.unit === "×" ? "×" : ""} ${meets(r) ? "ok" : "MISSED"}`;
    const before = values.before ? `${fmt(r, r.before).padStart(9)}  ` : "";
    console.log(`${r.name.padEnd(w)}  ${before}${fmt(r, r.ms).padStart(9)}  ${ok}`);
  }
  console.log(JSON.stringify({ runs: RUNS, before: values.before, rows }));
}

// Companion benches, when present: full-scale stress proof and the web UI numbers.
if (!values.small && !values.only) {
  for (const script of ["stress.ts", "bench_web.ts"]) {
    const path = new URL(script, import.meta.url).pathname;
    try {
      await Deno.stat(path);
    } catch {
      continue;
    }
    const args = script === "stress.ts" ? ["--full"] : [];
    await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path, ...args],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
  }
}
