// What every CLI run loads before its command group: main.ts's static import graph. The workspace
// app (store, services), the TOML parser, node:util and every npm package load only when a command
// needs them (see the README's performance notes); a static import of one of them here costs every
// command its start-up time.
import assert from "node:assert/strict";
import { ROUTES } from "../../src/cli/registry.ts";
import type { CommandSpec } from "../../src/cli/spec.ts";
import { ROOT, staticGraph as walkGraph } from "../helpers/graph.ts";
import { oneShotWithoutTimers } from "../helpers/cli.ts";

/** An entry's (main.ts's) static graph, the project's own modules as paths from its root. */
const staticGraph = async (entry?: string): Promise<string[]> =>
  (await walkGraph(entry)).map((s) => s.startsWith(ROOT.href) ? s.slice(ROOT.href.length) : s);

Deno.test("main.ts statically loads only the resident client; run.ts only argv parsing, config and workspace", async () => {
  // What a command through the resident process loads (src/cli/resident/client.ts), and nothing more.
  assert.deepEqual((await staticGraph()).sort(), [
    "main.ts",
    "src/cli/resident/client.ts",
    "src/cli/resident/wire.ts",
    "src/runtime_dir.ts",
  ]);
  const graph = await staticGraph("src/cli/run.ts");
  assert.ok(graph.includes("src/cli/parse.ts"), graph.join(" "));
  const heavy = graph.filter((s) =>
    /^npm:|^node:|^src\/(app\.ts|services\/|cli\/commands\/|cli\/help\.ts|http\/|mcp\/)/.test(s) ||
    (s.startsWith("src/db/") && s !== "src/db/url.ts")
  );
  assert.deepEqual(heavy, []);
});

Deno.test("a command on PostgreSQL never loads node:sqlite: the SQLite store loads when a file is opened", async () => {
  // The app, the task commands' warm graphs and the services they call (~2.5 ms of node:sqlite).
  const entries = ["src/app.ts", "src/cli/warm/task.ts", "src/cli/warm/task_show.ts", "src/db/pg/open.ts"];
  for (const e of entries) {
    const graph = await walkGraph(e);
    assert.deepEqual(graph.filter((s) => s === "node:sqlite" || s.endsWith("src/db/connection.ts")), [], e);
  }
});

Deno.test("no CLI command loads zod: flags parse through the compiled schemas (domain/compiled_parse.ts)", async () => {
  // Every command group, the app and the services it wires (the interchange formats, which import
  // and sync read with their zod schemas, excepted); MCP, HTTP and `schema` load zod when they start.
  const dir = (d: string) =>
    [...Deno.readDirSync(new URL(d, ROOT))].filter((e) => e.isFile).map((e) => d + e.name);
  const entries = [...dir("src/cli/commands/"), "src/app.ts", ...dir("src/services/")];
  const loads = await Promise.all(entries.map(async (e) => {
    const zod = (await walkGraph(e)).filter((s) => /^npm:\/?zod@/.test(s));
    return zod.length ? [e] : [];
  }));
  assert.deepEqual(loads.flat(), []);
});

Deno.test("a command group marked noDb (the store is not loaded ahead for it) opens no workspace", async () => {
  const opens = (c: CommandSpec): string[] => [
    ...(c.run && c.db !== false ? [c.name] : []),
    ...(c.subcommands ?? []).flatMap(opens),
  ];
  const marked = ROUTES.filter((r) => r.noDb);
  assert.ok(marked.some((r) => r.names[0] === "version"));
  for (const r of marked) assert.deepEqual((await r.load()).flatMap(opens), [], r.names[0]);
});

Deno.test("a command group whose modules write config files is marked writesConfig (the TOML writer loads first)", () => {
  const dir = new URL("../../src/cli/commands/", import.meta.url);
  const writes = (entry: string, seen = new Set<string>()): boolean => {
    if (seen.has(entry)) return false;
    seen.add(entry);
    const text = Deno.readTextFileSync(new URL(entry, dir));
    if (/\bwriteConfig\(|\/config\/init\.ts"/.test(text)) return true;
    return [...text.matchAll(/from "\.\/([\w.]+\.ts)"/g)].some((m) => writes(m[1], seen));
  };
  const marked: string[] = [];
  for (const r of ROUTES) {
    const entry = r.load.toString().match(/import\("\.\/commands\/([\w.]+\.ts)"\)/)?.[1];
    assert.ok(entry, `route ${r.names[0]}: cannot find the module it loads`);
    if (writes(entry)) marked.push(r.names[0]);
  }
  assert.deepEqual(ROUTES.filter((r) => r.writesConfig).map((r) => r.names[0]), marked);
});

Deno.test("the task service loads what only show, delete and context read when they are called", async () => {
  // Every task command loads src/services/tasks.ts; these repos and task_context.ts load on demand.
  const graph = await staticGraph("src/services/tasks.ts");
  assert.ok(graph.includes("src/db/repos/tasks.ts"), graph.join(" "));
  const onDemand = [
    "src/services/task_context.ts",
    "src/db/repos/plans.ts",
    "src/db/repos/comments.ts",
    "src/db/repos/attachments.ts",
    "src/db/repos/memory.ts",
    "src/db/repos/deps.ts",
  ];
  assert.deepEqual(graph.filter((s) => onDemand.includes(s)), []);
});

Deno.test("only one-shot command groups open a solo store (no server or watcher shares it)", () => {
  const solo = ROUTES.filter((r) => r.solo).map((r) => r.names[0]);
  assert.ok(solo.includes("task"), solo.join(" "));
  for (const serving of ["web", "mcp", "watch"]) assert.ok(!solo.includes(serving), serving);
  // A group whose modules start a server, a watcher or a timer needs the store's async context.
  const dir = new URL("../../src/cli/commands/", import.meta.url);
  const serves = (entry: string, seen = new Set<string>()): boolean => {
    if (seen.has(entry)) return false;
    seen.add(entry);
    const text = Deno.readTextFileSync(new URL(entry, dir));
    if (/\bsetInterval\(|Deno\.serve\(|services\/events\.ts"|\/(http|mcp)\//.test(text)) return true;
    return [...text.matchAll(/from "\.\/([\w.]+\.ts)"/g)].some((m) => serves(m[1], seen));
  };
  for (const r of ROUTES.filter((r) => r.solo)) {
    const entry = r.load.toString().match(/import\("\.\/commands\/([\w.]+\.ts)"\)/)?.[1];
    assert.ok(entry && !serves(entry), r.names[0]);
  }
});

Deno.test("a group's warm import holds the group and the app in one graph (nothing loads twice)", async () => {
  const warmed = ROUTES.filter((r) => r.warm);
  assert.ok(warmed.some((r) => r.names[0] === "task"));
  for (const r of warmed) {
    const group = r.load.toString().match(/import\("\.\/(commands\/[\w.]+\.ts)"\)/)?.[1];
    const entries = [...r.warm!.toString().matchAll(/import\("\.\/(warm\/[\w.]+\.ts)"\)/g)].map((m) => m[1]);
    assert.ok(group && entries.length, r.names[0]);
    for (const entry of entries) {
      const graph = await staticGraph(`src/cli/${entry}`);
      assert.ok(
        graph.includes(`src/cli/${group}`) && graph.includes("src/app.ts"),
        `${entry}: ${graph.join(" ")}`,
      );
    }
  }
});

Deno.test("a one-shot command on SQLite never loads Deno's timers (their first call costs ~5 ms)", async () => {
  await oneShotWithoutTimers((home) => `${home}/backlog.db`);
});
