import assert from "node:assert/strict";
import type { App } from "../../src/app.ts";
import { type ExportFormat, exportTo, rfc3339Nano } from "../../src/services/interchange/export.ts";
import { alice, bot } from "../helpers/app.ts";
import { assertGolden } from "../helpers/golden.ts";
import { workspace } from "../helpers/cli.ts";
import { dump, fixedApp } from "./helpers.ts";
import { runCli } from "../../src/cli/run.ts";
import type { Io } from "../../src/cli/spec.ts";

const GOLDEN = new URL("../golden/", import.meta.url);

/** A small workspace with every field an export shows, including the awkward characters. */
async function seeded(): Promise<App> {
  const app = await fixedApp();
  await app.projects.create({ alias: "api", name: "API Service" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  await app.tasks.create({
    project: "api",
    title: 'Fix login, "timeout"',
    description: "Sessions expire early.\nSee the log.",
    type: "bug",
    priority: 1,
    assignee: "alice",
    source: "semgrep",
    external_ref: "SEM-1",
    project_path: "src/login.ts:84",
    due_at: Date.UTC(2026, 1, 1) * 1e6,
    labels: ["auth", "security"],
  }, alice);
  await app.tasks.create(
    { project: "api", title: "Tidy up", type: "chore", priority: 3, assignee: " lead" },
    bot,
  );
  await app.tasks.create({ project: "web", title: "Done already", status: "done", priority: 2 }, bot);
  const gone = await app.tasks.create({ project: "web", title: "Archived one", priority: 1 }, alice);
  await app.tasks.archive(gone.ref, alice);
  return app;
}

async function run(
  app: App,
  format: ExportFormat,
  extra: { project?: string; includeArchived?: boolean } = {},
) {
  const out: string[] = [];
  await exportTo(app, { format, ...extra }, (c) => void out.push(c));
  return out.join("");
}

const golden = (name: string, actual: string) => assertGolden(new URL(name, GOLDEN), actual);

for (const format of ["json", "csv", "md"] as const) {
  Deno.test(`export --format ${format} matches the golden file`, async () => {
    const app = await seeded();
    try {
      await golden(`export.${format}`, await run(app, format));
    } finally {
      await app.close();
    }
  });
}

Deno.test("json export is the envelope JSON.stringify would print, with [] when empty", async () => {
  const app = await seeded();
  try {
    const text = await run(app, "json");
    const parsed = JSON.parse(text);
    assert.equal(text, JSON.stringify(parsed, null, 2) + "\n");
    assert.deepEqual(parsed.tasks.map((t: { ref: string }) => t.ref), ["TASK-1", "TASK-3", "TASK-2"]);
    assert.deepEqual(parsed.tasks[0].project, {
      id: parsed.tasks[0].project_id,
      alias: "api",
      name: "API Service",
      description: "",
      repo_path: "",
      created_at: 0,
      updated_at: 0,
    });
  } finally {
    await app.close();
  }
  const empty = await fixedApp();
  try {
    assert.equal(await run(empty, "json"), '{\n  "tasks": []\n}\n');
    assert.equal((await run(empty, "csv")).trim().split("\n").length, 1);
    assert.equal(await run(empty, "md"), "# Backlog Export\n\n");
  } finally {
    await empty.close();
  }
});

Deno.test("export leaves archived tasks out unless asked, and filters by project", async () => {
  const app = await seeded();
  try {
    const all = JSON.parse(await run(app, "json", { includeArchived: true })).tasks;
    assert.equal(all.length, 4);
    assert.ok(all.some((t: { archived_at?: number }) => t.archived_at));
    const web = JSON.parse(await run(app, "json", { project: "web" })).tasks;
    assert.deepEqual(web.map((t: { title: string }) => t.title), ["Done already"]);
  } finally {
    await app.close();
  }
});

Deno.test("a large export streams in many chunks, none holding the whole output", async () => {
  const app = await fixedApp();
  try {
    await app.projects.create({ alias: "big" }, alice);
    await app.db.tx(async () => {
      for (let i = 0; i < 3000; i++) {
        await app.tasks.create({ project: "big", title: `task ${i}`, description: "x".repeat(200) }, bot);
      }
    });
    for (const format of ["json", "csv", "md"] as const) {
      const chunks: string[] = [];
      await exportTo(app, { format, chunkSize: 16 * 1024, batch: 100 }, (c) => void chunks.push(c));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      assert.ok(chunks.length >= 5, `${format}: ${chunks.length} chunks`);
      assert.ok(Math.max(...chunks.map((c) => c.length)) < total / 4);
      if (format === "json") assert.equal(JSON.parse(chunks.join("")).tasks.length, 3000);
      if (format === "csv") assert.equal(chunks.join("").trim().split("\n").length, 3001);
    }
  } finally {
    await app.close();
  }
});

Deno.test("RFC3339Nano drops trailing zeros like Go", () => {
  assert.equal(rfc3339Nano(Date.UTC(2026, 0, 1) * 1e6), "2026-01-01T00:00:00Z");
  assert.equal(rfc3339Nano(Date.UTC(2026, 0, 1) * 1e6 + 1_536_000), "2026-01-01T00:00:00.001536Z");
});

Deno.test("export -o writes the file; an unwritable path or unknown format fails with exit 2", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    await ws.run(["task", "add", "-p", "api", "-t", "One"]);
    const ok = await ws.run(["export", "-p", "api", "--format", "csv", "-o", "out.csv"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /✓ exported 1 task to out\.csv/);
    assert.match(await Deno.readTextFile(`${ws.home}/out.csv`), /^id,project,title,/);
    const before = await dump(ws.db);
    const bad = await ws.run(["export", "-o", `${ws.home}/missing/dir/out.json`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: -o: cannot write ".*missing\/dir\/out\.json": no such directory/);
    await Deno.mkdir(`${ws.home}/ro`, { mode: 0o555 });
    if (Deno.uid() !== 0) {
      const ro = await ws.run(["export", "-o", `${ws.home}/ro/out.json`]);
      assert.equal(ro.code, 2);
      assert.match(ro.stderr, /permission denied/);
    }
    const fmt = await ws.run(["export", "--format", "xml"]);
    assert.equal(fmt.code, 2);
    assert.equal(fmt.stderr, 'error: unknown format "xml" (use json|csv|md)\n');
    assert.equal(await dump(ws.db), before);
    const stdout = await ws.run(["export", "-p", "api", "--format", "md"]);
    assert.match(stdout.stdout, /^# Backlog Export\n\n## \[P3\]\[todo\] \[api\] One\n/);
    assert.equal(stdout.stderr, "");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("export -o on a terminal shows progress on stderr and clears it; stdout stays clean", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    for (let i = 0; i < 3; i++) await ws.run(["task", "add", "-p", "api", "-t", `t${i}`]);
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      writeBytes: () => {},
      readStdin: () => Promise.resolve(new Uint8Array()),
      env: { get: (k) => ({ ...ws.env, USER: "tester", NO_COLOR: "1" } as Record<string, string>)[k] },
      cwd: ws.home,
      isTTY: true,
    };
    const code = await runCli(["export", "-p", "api", "-o", "out.json"], io);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /exporting… 3\/3 tasks/);
    assert.ok(stderr.endsWith("\r\x1b[K"));
    assert.equal(stdout, "✓ exported 3 tasks to out.json\n");
  } finally {
    await ws.cleanup();
  }
});
