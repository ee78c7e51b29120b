/**
 * One run of scripts/stress.ts on one database: seed, start the servers (team mode), spawn the agents
 * and editors (scripts/stress_agent.ts), kill K agents mid-claim, wait, stop everything, verify
 * (scripts/stress_verify.ts). Leaves no process behind, whether it ends well or throws.
 */
import { openApp } from "../src/app.ts";
import type { Actor } from "../src/domain/actor.ts";
import { redactUrl } from "../src/db/url.ts";
import { type StressReport, verify } from "./stress_verify.ts";
import { urlFrom } from "./bench_util.ts";

export type Kind = "http" | "cli" | "services";

export interface Params {
  agents: number;
  editors: number;
  tasks: number;
  kill: number;
  leaseMs: number;
  deps: number;
  timeoutS: number;
  /** `backlog web` processes on the database (team mode); 0: none. */
  servers: number;
  /** Team mode: how agents reach the queue, in turn (agent i takes via[i % via.length]). */
  via: Kind[];
  /** Without servers: agents drive real `backlog` processes instead of in-process services. */
  cli: boolean;
  requireCli: boolean;
  /** An agent's pause between claiming and moving done (the killed ones work longer). */
  workMs: number;
  /** The share of an editor's steps that create a task (the rest edit a field). */
  creates: number;
}

export const modeOf = (P: Params) => (P.servers ? "team" : P.cli ? "cli" : "services");

const WORKER = new URL("stress_agent.ts", import.meta.url).pathname;
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const actor: Actor = { kind: "human", name: "stress" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Child = { child: Deno.ChildProcess };
/** SIGKILL, for a process that may already be gone. */
const kill = (c: Child, sig: Deno.Signal = "SIGKILL") => {
  try {
    c.child.kill(sig);
  } catch { /* already gone */ }
};

/**
 * Runs the workload on dbPath (a SQLite file in dir, or an empty or freshly migrated PostgreSQL
 * database) and returns the verified report. `say` prints progress.
 */
export async function runOnce(P: Params, dbPath: string, dir: string, say: (s: string) => void) {
  const mode = modeOf(P);
  const servers: (Child & { url: string; kind: string })[] = [];
  const workers: Child[] = [];
  const notes: string[] = [];
  // Killed itself (a test's timeout, ^C), the driver takes its workers and servers along.
  const onSignal = () => {
    for (const c of [...workers, ...servers]) kill(c);
    Deno.exit(130);
  };
  const signals: Deno.Signal[] = ["SIGTERM", "SIGINT"];
  signals.forEach((s) => Deno.addSignalListener(s, onSignal));
  try {
    await seed(P, dbPath);
    say(
      `seeded ${P.tasks} tasks in ${redactUrl(dbPath)}; ${P.agents} agents (${mode}), ${P.editors} editors`,
    );

    // Team mode: the servers, and whether `backlog --db <this database>` works for CLI agents.
    let cliOk = P.cli || P.via.includes("cli");
    if (P.servers && cliOk) {
      const probe = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, "--db", dbPath, "task", "list", "--limit", "1", "--json"],
        env: { NO_COLOR: "1" },
        stdout: "null",
        stderr: "piped",
      }).output();
      cliOk = probe.success;
      if (!cliOk) {
        const why = new TextDecoder().decode(probe.stderr).trim().split("\n")[0].slice(0, 200);
        if (P.requireCli) throw new Error(`backlog --db ${redactUrl(dbPath)} does not work: ${why}`);
        notes.push(`CLI agents ran as HTTP agents: \`backlog --db …\` failed (${why})`);
      }
    }
    for (let i = 0; i < P.servers; i++) servers.push(await startWeb(P, dbPath, dir, i, notes, servers));

    const kindOf = (i: number): Kind => {
      if (!P.servers) return P.cli ? "cli" : "services";
      const k = P.via[i % P.via.length];
      return k === "cli" && !cliOk ? "http" : k;
    };
    const stopFile = `${dir}/stop`;
    const spawn = (role: string, name: string, extra: string[]) => {
      const log = `${dir}/${name}.jsonl`;
      const args = ["run", "-A", WORKER, "--role", role, "--db", dbPath, "--name", name, "--log", log];
      args.push("--lease-ms", String(P.leaseMs), "--stop", stopFile, "--tasks", String(P.tasks), ...extra);
      const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).spawn();
      const w = { name, log, child, stderr: new Response(child.stderr).text(), killed: false };
      workers.push(w);
      return w;
    };

    const t0 = performance.now();
    // The agents to be killed work slowly, so the kill reliably lands while they hold a claim.
    const doomed = new Set([...Array(P.agents).keys()].sort(() => Math.random() - 0.5).slice(0, P.kill));
    // HTTP agents take the servers in turn, and so do HTTP editors.
    const perServer = servers.map(() => 0);
    let httpAgents = 0;
    const agents = Array.from({ length: P.agents }, (_, i) => {
      const kind = kindOf(i);
      const extra = kind === "cli" ? ["--cli"] : [];
      if (kind === "http") {
        const s = httpAgents++ % servers.length;
        perServer[s]++;
        extra.push("--http", servers[s].url);
      }
      extra.push("--work-ms", String(doomed.has(i) ? (kind === "cli" ? 1500 : 400) : P.workMs));
      return { ...spawn("agent", `agent-${i + 1}`, extra), kind };
    });
    // With servers, every other editor writes through one of them.
    const editors = Array.from({ length: P.editors }, (_, i) => {
      const http = servers.length && i % 2 ? ["--http", servers[(i >> 1) % servers.length].url] : [];
      return spawn("editor", `editor-${i + 1}`, [...http, "--creates", String(P.creates)]);
    });

    const watcher = await openApp({ dbPath, lazy: true });
    const deadline = t0 + P.timeoutS * 1000;
    let timedOut = false;
    try {
      const doneCount = async () =>
        (await watcher.tasks.list({ project: "stress", status: ["done"], limit: 1 })).page.total;
      // Kill K agents, spread over the first 60% of the run, each while it holds a claim (its last
      // log line says "working": claimed, commented, nothing in flight).
      for (const [k, a] of agents.filter((_, i) => doomed.has(i)).entries()) {
        const at = Math.floor(P.tasks * 0.6 * (k + 1) / (P.kill + 1));
        while (await doneCount() < at && performance.now() < deadline) await sleep(20);
        for (let n = 0; n < 2000 && lastOp(a.log) !== "working"; n++) await sleep(5); // 10 s at most
        const last = lastOp(a.log);
        try {
          a.child.kill("SIGKILL");
          a.killed = true;
        } catch {
          continue; // it already finished
        }
        // A CLI agent's `backlog` child in flight (its last record) dies with it; an older pid may
        // belong to another process by now.
        const final = records(a.log).at(-1);
        if (final?.op === "spawn" && final.pid) {
          try {
            Deno.kill(final.pid, "SIGKILL");
          } catch { /* that call already ended */ }
        }
        say(`killed ${a.name} (last op: ${last || "none"}) at ${await doneCount()} done`);
      }
      const survivors = agents.filter((a) => !a.killed);
      const timer = setTimeout(() => {
        timedOut = true;
        survivors.forEach((a) => kill(a));
      }, Math.max(0, deadline - performance.now()));
      await Promise.all(survivors.map((a) => a.child.status));
      clearTimeout(timer);
    } finally {
      await watcher.close();
    }
    const wallS = (performance.now() - t0) / 1000;
    // Editors stop at the stop file; on a timeout they get 10 s to finish the write in flight.
    Deno.writeTextFileSync(stopFile, "");
    const quit = setTimeout(() => editors.forEach((e) => kill(e)), timedOut ? 10_000 : 60_000);
    await Promise.all(editors.map((e) => e.child.status));
    clearTimeout(quit);
    await stopServers(servers);
    const stderr =
      (await Promise.all([...agents, ...editors].map(async (w) => [w.name, (await w.stderr).trim()])))
        .filter(([, s]) => s).map(([n, s]) => `${n}: ${s.split("\n")[0]}`);

    const report: StressReport = await verify({
      dbPath,
      P: { ...P, mode },
      wallS,
      timedOut,
      agentLogs: agents.map((a) => ({ name: a.name, path: a.log, killed: a.killed, kind: a.kind })),
      editorLogs: editors.map((e) => ({ name: e.name, path: e.log })),
      stderr,
      notes,
      team: P.servers
        ? {
          servers: servers.map((s) => s.kind),
          http_agents_per_server: perServer,
          agents: Object.fromEntries(
            (["http", "cli", "services"] as const).map((k) => [k, agents.filter((a) => a.kind === k).length]),
          ),
        }
        : undefined,
    });
    return report;
  } finally {
    // Whatever happened: no worker or server outlives the run.
    for (const w of workers) kill(w);
    await Promise.all(workers.map((w) => w.child.status));
    await stopServers(servers);
    signals.forEach((s) => Deno.removeSignalListener(s, onSignal));
  }
}

/** The queue: P.tasks tasks in project `stress`, a share waiting on an earlier one (no cycles). */
async function seed(P: Params, dbPath: string) {
  const app = await openApp({ dbPath });
  try {
    await app.db.tx(async () => {
      await app.projects.create({ alias: "stress", name: "Stress" }, actor);
      await app.projects.create({ alias: "extra", name: "Created during the run" }, actor);
      for (let i = 1; i <= P.tasks; i++) {
        await app.tasks.create({ project: "stress", title: `Task ${i}`, priority: 1 + (i * 7) % 5 }, actor);
      }
      for (let i = 2; i <= P.tasks; i++) {
        if (Math.random() < P.deps) {
          await app.deps.add(`TASK-${i}`, `TASK-${1 + Math.floor(Math.random() * (i - 1))}`, actor);
        }
      }
    });
  } finally {
    await app.close();
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves when every server has exited (again: at once). */
async function stopServers(servers: Child[]) {
  await Promise.all(servers.map(async (s) => {
    kill(s, "SIGTERM");
    const t = setTimeout(() => kill(s), 10_000);
    await s.child.status;
    clearTimeout(t);
  }));
}

const records = (path: string): { op: string; pid?: number }[] => {
  try {
    return Deno.readTextFileSync(path).trimEnd().split("\n").map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};
/** The last record an agent logged (a CLI process spawn counts: something is in flight). */
const lastOp = (path: string) => records(path).at(-1)?.op ?? "";

/**
 * A real `backlog --db <database> web` process (pushed on `started` at once, so it is stopped even if
 * this throws); where it does not start, the same server run by scripts/stress_agent.ts --role server
 * (openApp + startServer), noted in the report, unless --require-cli.
 */
async function startWeb(
  P: Params,
  dbPath: string,
  dir: string,
  i: number,
  notes: string[],
  started: Child[],
): Promise<Child & { url: string; kind: string }> {
  const web = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", dbPath, "web", "--port", "0", "--no-browser"],
    env: { XDG_CONFIG_HOME: `${dir}/config`, BACKLOG_DB: "", CI: "1", NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  started.push({ child: web });
  const got = await urlFrom(web.stderr);
  started.pop();
  if (got.url) return { url: got.url, child: web, kind: "backlog web" };
  kill({ child: web });
  await web.status;
  const why = got.seen.trim().split("\n")[0].slice(0, 200);
  if (P.requireCli) throw new Error(`backlog web --db ${redactUrl(dbPath)} did not start: ${why}`);
  if (i === 0) {
    notes.push(`servers ran as in-process stand-ins: \`backlog web --db …\` did not start (${why})`);
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, "--role", "server", "--db", dbPath],
    stdin: "null",
    stdout: "piped",
    stderr: "null", // never the driver's own stderr: a pipe a killed driver's caller would wait on
  }).spawn();
  started.push({ child });
  const alt = await urlFrom(child.stdout);
  started.pop();
  if (!alt.url) throw new Error(`the stand-in server did not start: ${alt.seen}`);
  return { url: alt.url, child, kind: "stand-in server" };
}
