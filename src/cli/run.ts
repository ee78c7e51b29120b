import { type AppError, type HintWords, toAppError } from "../domain/errors.ts";
import type { App } from "../app.ts";
import type { Effective } from "../config/config.ts";
import type { Workspace } from "../config/workspace.ts";
import { parseArgv } from "./parse.ts";
import { makeContext } from "./context.ts";
import { rootFor, routeFor, routeOf, wordsOf } from "./registry.ts";
import type { Io, Output } from "./spec.ts";
import { escapeControls, terminalText } from "./format.ts";

/**
 * Opens the workspace app with the config's task defaults; each service is built when the command
 * first calls it. The app (store, services) loads here, so commands without a database never load it.
 */
async function appFor(w: Workspace, cfg: Effective, solo: boolean, read: boolean): Promise<App> {
  const { openApp } = await import("../app.ts");
  return await openApp({
    dbPath: w.dbPath,
    taskDefaults: { type: cfg.type, status: cfg.status, priority: cfg.priority },
    lazy: true,
    solo,
    existing: read,
  });
}

/** Runs one CLI invocation; the only place errors become exit codes. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let json = argv.includes("--json");
  let ctx: Awaited<ReturnType<typeof makeContext>> | undefined;
  try {
    const route = routeFor(argv);
    // The group with the app and services its command calls, as one graph (a failure shows below).
    if (route?.warm) await route.warm(wordsOf(argv, 2)[1]).catch(() => {});
    const root = rootFor(argv);
    // A command that opens the workspace needs the store next: it loads while the command group does.
    if (route && !route.noDb && !route.warm) void import("../app.ts").catch(() => {});
    const p = parseArgv(await root, argv);
    json = p.globals.json;
    if (p.globals.help || !p.cmd.run) {
      io.stdout((await import("./help.ts")).helpText(p.cmd, p.path));
      return 0;
    }
    const solo = routeOf(p.path)?.solo ?? false;
    ctx = makeContext(p, io, (w, cfg, read) => appFor(w, cfg, solo, read));
    await ctx.loadConfigFormat(routeOf(p.path)?.writesConfig ?? false);
    if (p.cmd.db !== false && !p.globals.json && !p.given.has("json")) {
      // output.default_format = "json" turns JSON on unless --json was given explicitly.
      try {
        if (ctx.config().format === "json") ctx.json = json = true;
      } catch { /* the command itself reports workspace problems */ }
    }
    if (p.cmd.db !== false) {
      ctx.actor(); // a bad --as / $BACKLOG_ACTOR is a usage error before anything is opened or written
      await ctx.open();
    }
    const out = await p.cmd.run(ctx);
    // Only once the command succeeded: a failed one removes the new file again (below).
    if (ctx.createdDb && !ctx.json && !ctx.quiet) {
      io.stderr(`note: created a new workspace database at ${ctx.createdDb}\n`);
    }
    render(out ?? {}, io, ctx.json, ctx.quiet);
    return out?.exitCode ?? 0;
  } catch (err) {
    const e = toAppError(err);
    // The CLI's words for hints and messages load only when a command fails.
    reportError(e, io, json, (await import("./hints.ts")).CLI_HINTS);
    // A mistyped --db that created a new file for a command that then failed leaves nothing behind.
    if (ctx?.createdDb) await discardNewDb(ctx);
    return e.exitCode;
  } finally {
    await ctx?.close();
  }
}

async function discardNewDb(ctx: { createdDb?: string; close(): Promise<void> }): Promise<void> {
  await ctx.close();
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    try {
      Deno.removeSync(`${ctx.createdDb}${suffix}`);
    } catch { /* not there */ }
  }
}

/**
 * Prints a command's output: JSON on --json, otherwise text and the ✓ line; under --quiet a write
 * prints only what it wrote and notes are dropped (unless the command failed without an error).
 * Text passes `terminalText`, so nothing a user stored reaches the terminal raw.
 */
export function render(out: Output, io: Io, json: boolean, quiet: boolean): void {
  if (out.bytes) io.writeBytes(out.bytes);
  const line = (s: string) => s.endsWith("\n") ? s : s + "\n";
  if (json) {
    if (out.data !== undefined) io.stdout(JSON.stringify(out.data, null, 2) + "\n");
  } else if (quiet && out.written !== undefined) {
    if (out.written) io.stdout(line(terminalText(out.written, io)));
  } else {
    if (out.text !== undefined && out.text !== "") io.stdout(line(terminalText(out.text, io)));
    if (out.ok && !quiet) io.stdout(`✓ ${terminalText(out.ok, io)}\n`);
  }
  for (const e of out.errors ?? []) io.stderr(line(terminalText(e, io)));
  if (quiet && !json && !out.exitCode) return;
  for (const n of out.notes ?? []) io.stderr(line(terminalText(n, io)));
}

/** `error: <message>` (+ hint) on stderr, or the JSON error object with --json. */
export function reportError(e: AppError, io: Io, json: boolean, words: HintWords): void {
  const hint = e.hintIn(words);
  if (json) {
    const error: Record<string, unknown> = { code: e.code, message: e.messageIn(words) };
    if (hint) error.hint = hint;
    if (e.details) Object.assign(error, e.details);
    io.stderr(JSON.stringify({ error }) + "\n");
    return;
  }
  io.stderr(`error: ${escapeControls(e.messageIn(words))}\n`);
  if (hint) io.stderr(`hint: ${escapeControls(hint)}\n`);
}
