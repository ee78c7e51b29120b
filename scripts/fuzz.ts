// deno-lint-ignore-file no-console
/**
 * Fuzzer (issue 7): random argv vectors to the in-process CLI (`runCli` with a captured Io), random
 * requests with random JSON to the HTTP API (`createHttpApp(...).request`) and random tool calls
 * to the MCP server (SDK Client over an in-memory transport), all on one temp workspace.
 * Passes (the contract) when nothing crashes or hangs, no output carries a stack trace, the
 * CLI exits only with documented codes (0-4), the servers answer only with documented statuses and
 * `integrity_check` is ok at the end. Internal errors (exit 1 / 500 / isError "internal") caused by
 * bad input are listed too, as bugs to fix; `--strict` makes them fail the run.
 *
 *   deno run -A scripts/fuzz.ts [--cli 10000] [--http 2000] [--mcp 1000] [--seed N] [--json]
 */
import { parseArgs } from "node:util";
import { openApp } from "../src/app.ts";
import { runCli } from "../src/cli/run.ts";
import { loadRoot } from "../src/cli/registry.ts";

const ROOT = await loadRoot();
import type { Io } from "../src/cli/spec.ts";
import { DoctorService } from "../src/services/doctor.ts";
import { collector, type Finding, randomArgv, rng, STACK } from "./fuzz_gen.ts";
import { fuzzHttp, fuzzMcp } from "./fuzz_surfaces.ts";

export interface FuzzReport {
  ok: boolean;
  seed: number;
  cli: { runs: number; exits: Record<string, number>; ms: number };
  http: { requests: number; statuses: Record<string, number>; ms: number };
  mcp: { calls: number; results: Record<string, number>; ms: number };
  integrity: string[];
  /** Contract violations and internal errors (the first few of each kind). */
  findings: Finding[];
  /** Findings per surface and kind. */
  counts: Record<string, number>;
  /** Internal errors among the findings (bad input should be a usage/invalid error instead). */
  internal: number;
}

const clip = (argv: string[]) =>
  JSON.stringify(argv.map((a) => a.length > 40 ? `${a.slice(0, 40)}…(${a.length})` : a));

/** Seeds a workspace with a few projects, tasks, a dependency and a claim, so refs resolve. */
async function seed(dbPath: string) {
  const app = await openApp({ dbPath });
  const a = { kind: "human" as const, name: "fuzz" };
  await app.projects.create({ alias: "api", name: "API" }, a);
  await app.projects.create({ alias: "web", name: "Web" }, a);
  for (let i = 1; i <= 6; i++) {
    await app.tasks.create({ project: i % 2 ? "api" : "web", title: `Task ${i}`, labels: ["x"] }, a);
  }
  await app.deps.add("TASK-2", "TASK-1", a);
  await app.claims.claim("TASK-3", {}, a);
  await app.close();
}

async function fuzzCli(
  n: number,
  r: Awaited<ReturnType<typeof rng>>,
  home: string,
  out: Awaited<ReturnType<typeof collector>>,
) {
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: `${home}/.config`,
    BACKLOG_DB: `${home}/backlog.db`,
    USER: "fuzz",
    NO_COLOR: "1",
  };
  const cwd = `${home}/cwd`;
  Deno.mkdirSync(cwd, { recursive: true });
  const aborted = AbortSignal.abort();
  const exits: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const argv = randomArgv(r, ROOT);
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      writeBytes: () => {},
      readStdin: () =>
        Promise.resolve(new TextEncoder().encode(r.chance(0.5) ? "" : '{"title":"from stdin"}')),
      env: { get: (k) => env[k] },
      cwd,
      isTTY: false,
      signal: aborted,
    };
    let code: number;
    try {
      const run = runCli(argv, io);
      const timeout = new Promise<"hang">((res) => setTimeout(() => res("hang"), 10_000));
      const got = await Promise.race([run, timeout]);
      if (got === "hang") {
        out.add({ surface: "cli", kind: "hang", input: clip(argv), output: "" });
        continue;
      }
      code = got;
    } catch (err) {
      out.add({
        surface: "cli",
        kind: "crash",
        input: clip(argv),
        output: String((err as Error)?.stack ?? err),
      });
      continue;
    }
    exits[code] = (exits[code] ?? 0) + 1;
    if (!Number.isInteger(code) || code < 0 || code > 4) {
      out.add({
        surface: "cli",
        kind: "undocumented exit",
        input: clip(argv),
        output: `exit ${code}: ${stderr}`,
      });
    }
    if (STACK.test(stderr) || STACK.test(stdout.slice(0, 20_000))) {
      out.add({
        surface: "cli",
        kind: "stack trace",
        input: clip(argv),
        output: stderr || stdout.slice(0, 2000),
      });
    }
    const jsonErr = stderr.startsWith("{") ? safeJson(stderr)?.error : undefined;
    if (code === 1 && jsonErr?.code === "internal") {
      out.add({ surface: "cli", kind: "internal error", input: clip(argv), output: jsonErr.message ?? "" });
    }
  }
  return exits;
}

function safeJson(s: string): { error?: { code?: string; message?: string } } | undefined {
  try {
    return JSON.parse(s.split("\n")[0]);
  } catch {
    return undefined;
  }
}

/** Runs every fuzzer on one fresh workspace and checks the file at the end. */
export async function fuzz(o: { cli: number; http: number; mcp: number; seed: number }): Promise<FuzzReport> {
  const home = await Deno.makeTempDir({ prefix: "backlog-fuzz-" });
  const dbPath = `${home}/backlog.db`;
  await seed(dbPath);
  const r = rng(o.seed);
  const out = collector();
  try {
    let t = performance.now();
    const exits = await fuzzCli(o.cli, r, home, out);
    const cliMs = performance.now() - t;
    const app = await openApp({ dbPath });
    t = performance.now();
    const statuses = await fuzzHttp(app, o.http, r, out);
    const httpMs = performance.now() - t;
    t = performance.now();
    const results = await fuzzMcp(app, o.mcp, r, out);
    const mcpMs = performance.now() - t;
    const health = await new DoctorService(app.ctx, app.projects).check();
    await app.close();
    return {
      ok: out.findings.every((f) => f.kind === "internal error") && health.ok,
      internal: Object.entries(out.counts).filter(([k]) => k.endsWith("internal error")).reduce(
        (n, [, c]) => n + c,
        0,
      ),
      seed: o.seed,
      cli: { runs: o.cli, exits, ms: cliMs },
      http: { requests: o.http, statuses, ms: httpMs },
      mcp: { calls: o.mcp, results, ms: mcpMs },
      integrity: health.ok
        ? ["ok"]
        : [...health.integrity, ...health.foreign_key_violations.map((f) => f.table)],
      findings: out.findings,
      counts: out.counts,
    };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) {
  const { values: v } = parseArgs({
    args: Deno.args,
    options: {
      cli: { type: "string", default: "10000" },
      http: { type: "string", default: "2000" },
      mcp: { type: "string", default: "1000" },
      seed: { type: "string" },
      json: { type: "boolean" },
      strict: { type: "boolean" },
    },
  });
  const seedValue = v.seed ? Number(v.seed) : Math.floor(Math.random() * 2 ** 31);
  const rep = await fuzz({ cli: Number(v.cli), http: Number(v.http), mcp: Number(v.mcp), seed: seedValue });
  if (!v.json) {
    const fmt = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => `${k}×${n}`).join(" ");
    console.log(`seed ${rep.seed}`);
    console.log(
      `cli   ${rep.cli.runs} argv vectors in ${(rep.cli.ms / 1000).toFixed(1)} s, exits ${
        fmt(rep.cli.exits)
      }`,
    );
    console.log(
      `http  ${rep.http.requests} requests in ${(rep.http.ms / 1000).toFixed(1)} s, statuses ${
        fmt(rep.http.statuses)
      }`,
    );
    console.log(
      `mcp   ${rep.mcp.calls} calls in ${(rep.mcp.ms / 1000).toFixed(1)} s, results ${fmt(rep.mcp.results)}`,
    );
    console.log(`integrity_check ${rep.integrity.join("; ")}`);
    console.log(rep.findings.length ? `FINDINGS ${fmt(rep.counts)}` : "no findings");
    console.log(rep.ok ? "contract ok" : "CONTRACT VIOLATED");
    for (const f of rep.findings) {
      console.log(`- [${f.surface}] ${f.kind}: ${f.input}\n    ${f.output.split("\n")[0]}`);
    }
  }
  console.log(JSON.stringify(rep));
  Deno.exit(rep.ok && !(v.strict && rep.internal) ? 0 : 1);
}
