/**
 * One worker process of scripts/stress.ts, appending one JSON line per operation to --log.
 *   --role agent:  loop `next --claim` → comment → move done (with the claim token) until no open
 *                  task is left; in-process through the services, with --cli through real
 *                  `deno run -A main.ts …` processes, or with --http URL through a `backlog web` server.
 *   --role editor: edit random fields of random tasks (half of them with --expect-version) and now and
 *                  then create a task in project `extra`, until the --stop file appears; every edit is
 *                  logged before it is sent (`try`), then its outcome: acknowledged (with the version it
 *                  made), refused, or ambiguous (may have committed). Creates are logged with the ref
 *                  they got. In-process, or with --http URL through a server.
 *   --role server: the HTTP server `backlog web` runs (openApp + startServer) on --db, printing its URL
 *                  on stdout: the stand-in for `backlog web --db URL` where that CLI path is missing.
 */
// deno-lint-ignore-file no-explicit-any no-console
import { parseArgs } from "node:util";
import { openApp } from "../src/app.ts";
import type { Actor } from "../src/domain/actor.ts";
import { toAppError } from "../src/domain/errors.ts";

const { values: o } = parseArgs({
  args: Deno.args,
  options: {
    role: { type: "string" },
    db: { type: "string" },
    name: { type: "string" },
    log: { type: "string" },
    stop: { type: "string" },
    tasks: { type: "string" },
    "lease-ms": { type: "string", default: "2000" },
    "work-ms": { type: "string" },
    "pause-ms": { type: "string", default: "10" },
    creates: { type: "string", default: "0.15" },
    cli: { type: "boolean" },
    http: { type: "string" },
  },
});

const dbPath = o.db!;
const actor: Actor = { kind: o.role === "editor" ? "human" : "ai", name: o.name! };
const leaseMs = Number(o["lease-ms"]);
const file = o.role === "server" ? undefined! : Deno.openSync(o.log!, { append: true, create: true });
const enc = new TextEncoder();
const log = (rec: Record<string, unknown>) =>
  file.writeSync(enc.encode(JSON.stringify({ ...rec, at: Date.now() }) + "\n"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A worker whose driver died (SIGKILL, a test's timeout) is adopted by another process: it quits. */
const parent = Deno.ppid;
Deno.unrefTimer(setInterval(() => Deno.ppid !== parent && Deno.exit(3), 500));
const rand = (n: number) => Math.floor(Math.random() * n);

/**
 * What counts as the engine's contention reaching a caller: SQLITE_BUSY / locked, or on PostgreSQL
 * a serialization failure or deadlock that the store's retries did not absorb.
 */
const BUSY = /busy|locked|could not serialize|deadlock|40001|40P01/i;

/** An error as the log records it; `busy` marks contention (see BUSY) reaching the caller. */
function failure(err: unknown, op: string, extra: Record<string, unknown> = {}) {
  const e = toAppError(err);
  const busy = BUSY.test(e.message);
  return { op, code: e.code, message: e.message, busy, ...extra };
}

// ---- CLI mode: every step is a real `deno run -A main.ts` process --------------------------------

const MAIN = new URL("../main.ts", import.meta.url).pathname;

async function backlog(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--db", dbPath, "--as", `${actor.kind}:${actor.name}`, ...args],
    stdout: "piped",
    stderr: "piped",
    // Each command in its own process: a kill must stop the command itself, not only a resident's client.
    env: { NO_COLOR: "1", BACKLOG_RESIDENT: "off" },
  }).spawn();
  // The parent kills this process *and* its in-flight CLI child, so a dead agent stays dead.
  log({ op: "spawn", pid: child.pid });
  const r = await child.output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

const cliErr = (r: { code: number; err: string }, op: string, extra: Record<string, unknown> = {}) => {
  let code = `exit ${r.code}`;
  let message = r.err.trim();
  try {
    const e = JSON.parse(r.err).error;
    code = e.code;
    message = e.message;
  } catch { /* not JSON */ }
  return { op, code, message, exit: r.code, busy: BUSY.test(message), ...extra };
};

// ---- HTTP mode: every step is a request to a `backlog web` server ---------------------------------

/** One JSON request as this worker's actor; a non-2xx answer throws a StepError with its error body. */
async function api(op: string, method: string, path: string, body?: unknown): Promise<any> {
  let res: Response;
  try {
    res = await fetch(`${o.http}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-backlog-actor": `${actor.kind}:${actor.name}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new StepError({ op, code: "network", message: String((err as Error).message ?? err), busy: false });
  }
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { error: { code: `http ${res.status}`, message: text.slice(0, 300) } };
  }
  if (!res.ok) {
    // The API's error body: { error: "<message>", code: "<code>", ... }.
    const e = typeof json?.error === "string" ? { message: json.error, code: json.code } : json?.error ?? {};
    const message = String(e.message ?? text.slice(0, 300));
    throw new StepError({
      op,
      code: e.code ?? `http ${res.status}`,
      message,
      status: res.status,
      busy: BUSY.test(message),
    });
  }
  return json;
}

function viaHttp(): Steps {
  return {
    async next() {
      const r = await api("next", "POST", "/api/tasks/next", { lease: `${leaseMs}ms` });
      return r.task ? { id: r.task.id, ref: r.task.ref, token: r.token } : null;
    },
    comment: async (ref) =>
      void await api("comment", "POST", `/api/tasks/${ref}/comments`, { body: `${actor.name} is on it` }),
    done: async (ref, token) =>
      void await api("done", "PATCH", `/api/tasks/${ref}/status`, { status: "done", claim_token: token }),
    async remaining() {
      const r = await api("remaining", "GET", "/api/tasks?status=todo,doing&limit=1");
      return r.page.total;
    },
  };
}

/** The agent's steps, in-process or through the CLI. */
interface Steps {
  next(): Promise<{ id: string; ref: string; token: string } | null>;
  comment(ref: string): Promise<void>;
  done(ref: string, token: string): Promise<void>;
  remaining(): Promise<number>;
}

class StepError extends Error {
  constructor(readonly rec: Record<string, unknown>) {
    super(String(rec.message));
  }
}

async function inProcess(): Promise<Steps> {
  // Lazy, like a CLI process: the services a worker calls load on first use (the rest of the app is
  // start-up CPU that 20 workers starting at once pay on the run's clock).
  const app = await openApp({ dbPath, lazy: true });
  // Load the services the loop calls before it starts (fbcf823's workers imported them statically), so
  // no agent's first claim times module loading. All reads: the peek claims nothing.
  await Promise.all([
    app.claims.next({ claim: false }, actor),
    app.tasks.list({ limit: 1 }),
    app.comments.list("TASK-1", 1),
  ]);
  const wrap = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new StepError(failure(err, op));
    }
  };
  return {
    next: () =>
      wrap("next", async () => {
        const r = await app.claims.next({ claim: true, lease: leaseMs * 1e6 }, actor);
        return r.task ? { id: r.task.id, ref: r.task.ref, token: r.token! } : null;
      }),
    comment: (ref) =>
      wrap("comment", async () => void await app.comments.add(ref, `${actor.name} is on it`, actor)),
    done: (ref, token) =>
      wrap("done", async () => void await app.tasks.move(ref, "done", actor, { claimToken: token })),
    remaining: () =>
      wrap(
        "remaining",
        async () => (await app.tasks.list({ status: ["todo", "doing"], limit: 1 })).page.total,
      ),
  };
}

function viaCli(): Steps {
  const run = async (op: string, args: string[]) => {
    const r = await backlog([...args, "--json"]);
    if (r.code !== 0) throw new StepError(cliErr(r, op));
    return r.out;
  };
  return {
    async next() {
      const out = await run("next", ["task", "next", "--claim", "--lease", `${leaseMs}ms`]);
      const r = JSON.parse(out);
      return r.task ? { id: r.task.id, ref: r.task.ref, token: r.token } : null;
    },
    comment: async (ref) =>
      void await run("comment", ["comment", "add", `${actor.name} is on it`, "--task", ref]),
    done: async (ref, token) =>
      void await run("done", ["task", "move", ref, "--status", "done", "--token", token]),
    async remaining() {
      const out = await run("remaining", ["task", "list", "--status", "todo,doing", "--limit", "1"]);
      return JSON.parse(out).page.total;
    },
  };
}

async function agent() {
  const steps = o.http ? viaHttp() : o.cli ? viaCli() : await inProcess();
  const workMs = Number(o["work-ms"] ?? (o.cli ? 300 : 20));
  for (;;) {
    try {
      const t0 = performance.now();
      const got = await steps.next();
      const ms = performance.now() - t0;
      if (!got) {
        if (await steps.remaining() === 0) break;
        log({ op: "idle", ms });
        await sleep(25 + rand(50));
        continue;
      }
      log({ op: "claim", id: got.id, ref: got.ref, token: got.token, ms });
      await steps.comment(got.ref);
      log({ op: "working", id: got.id, ref: got.ref }); // holding the claim, nothing in flight
      await sleep(workMs / 2 + rand(workMs / 2 + 1));
      log({ op: "moving", id: got.id, ref: got.ref }); // from here the move may commit at any moment
      const t1 = performance.now();
      try {
        await steps.done(got.ref, got.token);
        log({ op: "done", id: got.id, ref: got.ref, ms: performance.now() - t1 });
      } catch (err) {
        if (err instanceof StepError && err.rec.code === "conflict" && !err.rec.busy) {
          log({ op: "lost", id: got.id, ref: got.ref, message: err.rec.message });
        } else throw err;
      }
    } catch (err) {
      log(err instanceof StepError ? { ...err.rec, op: "error", step: err.rec.op } : failure(err, "error"));
      await sleep(20);
    }
  }
  log({ op: "exit" });
}

/**
 * Whether a failed write may still have committed: no answer (network error, timeout: the server may
 * finish the request after the client gave up) or a server-side failure (HTTP 5xx, an internal error
 * in-process, which may come after the commit). A refusal (4xx: conflict, invalid, ...) wrote nothing.
 */
const ambiguous = (f: Record<string, unknown>) =>
  f.code === "network" || Number(f.status) >= 500 || (f.status === undefined && f.code === "internal");

const FIELDS = ["title", "description", "priority", "project_path", "external_ref", "source"] as const;

/** The editor's writes, in-process or through a server. */
interface Edits {
  version(ref: string): Promise<number>;
  update(ref: string, patch: Record<string, unknown>, expectVersion?: number): Promise<{ version: number }>;
  create(title: string): Promise<{ id: string; ref: string; seq: number }>;
}

async function editsInProcess(): Promise<Edits> {
  const app = await openApp({ dbPath, lazy: true });
  return {
    version: async (ref) => (await app.tasks.getTask(ref)).version,
    update: (ref, patch, expectVersion) => app.tasks.update(ref, patch, actor, { expectVersion }),
    create: (title) => app.tasks.create({ project: "extra", title, status: "done" }, actor),
  };
}

function editsViaHttp(): Edits {
  return {
    version: async (ref) => (await api("edit", "GET", `/api/tasks/${ref}`)).version,
    update: (ref, patch, expectVersion) =>
      api("edit", "PATCH", `/api/tasks/${ref}`, { ...patch, expected_version: expectVersion }),
    create: (title) => api("create", "POST", "/api/tasks", { project: "extra", title, status: "done" }),
  };
}

async function editor() {
  const w = o.http ? editsViaHttp() : await editsInProcess();
  const n = Number(o.tasks);
  const pause = Number(o["pause-ms"]);
  let i = 0;
  let attempt = 0;
  const stopped = () => {
    try {
      Deno.statSync(o.stop!);
      return true;
    } catch {
      return false;
    }
  };
  while (!stopped()) {
    const t0 = performance.now();
    if (Math.random() < Number(o.creates)) {
      // New tasks from several processes at once: each must get its own TASK-N. They are created
      // done, so the agents' queue stays the seeded project.
      try {
        const t = await w.create(`${actor.name} new ${++i}`);
        log({ op: "create", id: t.id, ref: t.ref, seq: t.seq, ms: performance.now() - t0 });
      } catch (err) {
        log(err instanceof StepError ? { ...err.rec, op: "error", step: "create" } : failure(err, "error"));
      }
      await sleep(rand(pause * 2 + 1));
      continue;
    }
    const seq = 1 + rand(n);
    const field = FIELDS[rand(FIELDS.length)];
    const value = field === "priority" ? 1 + rand(5) : `${actor.name}-${++i}`;
    const guarded = Math.random() < 0.5;
    const k = ++attempt;
    try {
      const expect = guarded ? await w.version(`TASK-${seq}`) : undefined;
      // The attempt is on record before the write leaves: a write killed mid-flight, or whose
      // answer never came, may still commit (scripts/stress_edits.ts weighs such writes).
      log({ op: "try", k, seq, field, value, expect });
      const t = await w.update(`TASK-${seq}`, { [field]: value }, expect);
      log({ op: "edit", k, seq, field, value, version: t.version, guarded, ms: performance.now() - t0 });
    } catch (err) {
      const f: Record<string, unknown> = err instanceof StepError
        ? { ...err.rec, op: "error", step: err.rec.op, k, seq, field }
        : failure(err, "error", { k, seq, field });
      // A version conflict is the guard working (someone wrote in between), not a failure.
      if (f.code === "conflict" && !f.busy && guarded) log({ op: "stale", k, seq, field });
      else log({ ...f, ambiguous: ambiguous(f) });
    }
    await sleep(rand(pause * 2 + 1));
  }
  log({ op: "exit" });
}

/** The server `backlog web` runs, on --db; prints its URL and serves until killed. */
async function server() {
  const app = await openApp({ dbPath });
  // Loaded here only: the HTTP stack (hono, routes) cost every agent and editor ~0.15 s of CPU at
  // start-up, 20 processes at once on the run's clock.
  const { startServer } = await import("../src/http/server.ts");
  const srv = startServer(app, {
    actor: { kind: "human", name: "stress-web" },
    host: "127.0.0.1",
    port: 0,
    webRoot: new URL("../no-web-ui/", import.meta.url).pathname, // none: the API is what is tested
  });
  console.log(srv.url);
  Deno.addSignalListener("SIGTERM", () => void srv.shutdown());
  await srv.finished;
  await app.close();
}

if (o.role === "server") await server();
else {
  await (o.role === "editor" ? editor() : agent());
  file.close();
}
