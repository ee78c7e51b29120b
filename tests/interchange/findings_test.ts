import assert from "node:assert/strict";
import { importFindings } from "../../src/services/interchange/findings.ts";
import type { AppError } from "../../src/domain/errors.ts";
import { labelNames } from "../../src/domain/models.ts";
import { alice, bot } from "../helpers/app.ts";
import { workspace } from "../helpers/cli.ts";
import { dump, fixedApp } from "./helpers.ts";

const file = (items: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, project: "api", items, ...extra });

const semgrep = [
  {
    title: "SQL injection in /search",
    description: "markdown",
    type: "vulnerability",
    priority: "P1",
    status: "todo",
    assignee: "alice",
    source: "semgrep",
    external_ref: "SEMGREP-001",
    labels: ["security", "sqli"],
    plans: [{ title: "Remediation", body: "Use parameterized queries." }],
    due_date: "2026-03-01",
    project_path: "src/search.ts:42",
  },
  { title: "XSS in profile", priority: 2, source: "semgrep", labels: null },
  { title: "Weak hash", priority: "p3", type: "bug" },
];

async function app() {
  const a = await fixedApp();
  await a.projects.create({ alias: "api", name: "API" }, alice);
  return a;
}

Deno.test("import-findings creates tasks with labels, plans, due date and project path", async () => {
  const a = await app();
  try {
    const r = await importFindings(a, file(semgrep), {}, bot);
    assert.deepEqual([r.created, r.updated, r.unchanged, r.skipped, r.plans, r.tasks], [3, 0, 0, 0, 1, 3]);
    const t = await a.tasks.show(r.items[0].ref!);
    assert.equal(t.type, "vulnerability");
    assert.equal(t.priority, 1);
    assert.deepEqual(labelNames(t), ["security", "sqli"]);
    assert.equal(t.plans?.[0].version?.body, "Use parameterized queries.");
    assert.equal(t.due_at, Date.UTC(2026, 2, 1) * 1e6);
    assert.equal(t.project_path, "src/search.ts:42");
    assert.deepEqual(t.actor, bot);
  } finally {
    await a.close();
  }
});

Deno.test("re-importing the same file creates nothing and reports unchanged; edits are updates", async () => {
  const a = await app();
  try {
    await importFindings(a, file(semgrep), {}, bot);
    const again = await importFindings(a, file(semgrep), {}, bot);
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 3]);
    const changed = structuredClone(semgrep) as Record<string, unknown>[];
    changed[0].title = "SQL injection in /search (renamed)";
    changed[0].labels = ["security", "sqli", "p1"];
    changed[0].plans = [{ title: "Remediation", body: "Use prepared statements." }];
    changed[0].status = "done"; // status only applies to new tasks
    changed[2].description = "md5 is used for passwords";
    const third = await importFindings(a, file(changed), {}, bot);
    assert.deepEqual([third.created, third.updated, third.unchanged, third.plans], [0, 2, 1, 1]);
    const t = await a.tasks.show(third.items[0].ref!);
    assert.equal(t.title, "SQL injection in /search (renamed)");
    assert.equal(t.status, "todo");
    assert.deepEqual(labelNames(t), ["p1", "security", "sqli"]);
    assert.equal(t.plans?.length, 1);
    assert.equal(t.plans?.[0].current_version, 2);
    assert.equal((await a.tasks.list({ project: "api" })).page.total, 3);
  } finally {
    await a.close();
  }
});

Deno.test("findings match on (source, external_ref), else on (source, title); archived tasks count", async () => {
  const a = await app();
  try {
    const first = await importFindings(
      a,
      file([{ title: "A", source: "s", external_ref: "R1" }, { title: "B" }]),
      {},
      bot,
    );
    await a.tasks.archive(first.items[1].ref!, alice);
    const r = await importFindings(
      a,
      file([
        { title: "A renamed", source: "s", external_ref: "R1" },
        { title: "A renamed", source: "s", external_ref: "R2" }, // another finding, same title
        { title: "B" },
        { title: "B", source: "other" },
      ]),
      {},
      bot,
    );
    assert.deepEqual(r.items.map((i) => i.action), ["updated", "created", "unchanged", "created"]);
  } finally {
    await a.close();
  }
});

Deno.test("duplicate items in one file become one task", async () => {
  const a = await app();
  try {
    const r = await importFindings(
      a,
      file([{ title: "Same", external_ref: "X" }, { title: "Same", external_ref: "X" }]),
      {},
      bot,
    );
    assert.deepEqual(r.items.map((i) => i.action), ["created", "unchanged"]);
  } finally {
    await a.close();
  }
});

Deno.test("--dry-run validates and counts exactly, writing nothing", async () => {
  const a = await app();
  try {
    await importFindings(a, file(semgrep.slice(0, 1)), {}, bot);
    const total = async () => (await a.tasks.list({ project: "api" })).page.total;
    const before = await total();
    const r = await importFindings(a, file(semgrep), { dryRun: true }, bot);
    assert.deepEqual([r.dry_run, r.created, r.unchanged], [true, 2, 1]);
    assert.equal(await total(), before);
    await assert.rejects(
      async () => await importFindings(a, file([{ title: "x", type: "nope" }]), { dryRun: true }, bot),
      (e: AppError) => e.code === "invalid" && /items\[0\]\.type: invalid type "nope"/.test(e.message),
    );
  } finally {
    await a.close();
  }
});

Deno.test("invalid items name the index and field and fail the run; --allow-partial skips them", async () => {
  const a = await app();
  try {
    const items = [
      { title: "ok" },
      { title: "", type: "nope" },
      { title: "x", priority: 9, due_date: "tomorrow", labels: [1] },
      "not an object",
    ];
    await assert.rejects(async () => await importFindings(a, file(items), {}, bot), (e: AppError) => {
      assert.equal(e.exitCode, 2);
      const errors = e.details?.errors as { index: number; field: string }[];
      assert.deepEqual(errors.map((x) => `${x.index}:${x.field}`), [
        "1:title",
        "1:type",
        "2:priority",
        "2:due_date",
        "2:labels[0]",
        "3:",
      ]);
      assert.match(e.message, /items\[1\]\.title: title is required/);
      return true;
    });
    assert.equal((await a.tasks.list({ project: "api" })).page.total, 0);
    const r = await importFindings(a, file(items), { allowPartial: true }, bot);
    assert.deepEqual([r.created, r.skipped, r.errors.length], [1, 3, 6]);
  } finally {
    await a.close();
  }
});

Deno.test("project comes from -p, then the file, then the default; unknown project is not found", async () => {
  const a = await app();
  try {
    await a.projects.create({ alias: "web" }, alice);
    assert.equal((await importFindings(a, file([{ title: "x" }]), { project: "web" }, bot)).project, "web");
    assert.equal(
      (await importFindings(a, file([{ title: "y" }]), { defaultProject: "web" }, bot)).project,
      "api",
    );
    const noProject = JSON.stringify({ version: 1, items: [{ title: "z" }] });
    assert.equal((await importFindings(a, noProject, { defaultProject: "web" }, bot)).project, "web");
    await assert.rejects(
      async () => await importFindings(a, noProject, {}, bot),
      (e: AppError) => e.code === "usage",
    );
    await assert.rejects(
      async () => await importFindings(a, file([]), { project: "nope" }, bot),
      (e: AppError) => e.code === "not_found",
    );
  } finally {
    await a.close();
  }
});

Deno.test("import-findings CLI: snake_case JSON, exit codes, and the database unchanged on bad input", async () => {
  const ws = await workspace();
  try {
    await ws.run(["project", "add", "API", "--alias", "api"]);
    await Deno.writeTextFile(`${ws.home}/f.json`, file(semgrep));
    const dry = await ws.run(["import-findings", "f.json", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\[dry-run\] would import 3 tasks · 1 plans · 0 errors\n3 created/);
    const r = await ws.json<Record<string, unknown>>(["import-findings", "f.json", "--as", "ai:scanner"]);
    assert.deepEqual(Object.keys(r), [
      "dry_run",
      "project",
      "tasks",
      "created",
      "updated",
      "unchanged",
      "skipped",
      "plans",
      "errors",
      "items",
    ]);
    assert.deepEqual(r.errors, []);
    const before = await dump(ws.db);
    const cases: [string, string, RegExp][] = [
      ["syntax.json", '{\n  "version": 1,\n  "items": [\n    {"title": "a",}\n  ]\n}', /line 4, column 19/],
      ["v2.json", JSON.stringify({ version: 2, items: [] }), /version: unsupported version 2 \(expected 1\)/],
      ["enum.json", file([{ title: "x", status: "closed" }]), /items\[0\]\.status: invalid status "closed"/],
      ["items.json", JSON.stringify({ version: 1, items: {} }), /items: must be an array/],
    ];
    for (const [name, text, re] of cases) {
      await Deno.writeTextFile(`${ws.home}/${name}`, text);
      const bad = await ws.run(["import-findings", name, "-p", "api"]);
      assert.equal(bad.code, 2, name);
      assert.match(bad.stderr, re, name);
      const js = await ws.run(["import-findings", name, "-p", "api", "--json"]);
      assert.equal(JSON.parse(js.stderr).error.code, "invalid");
    }
    const missing = await ws.run(["import-findings", "nope.json"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /import-findings: cannot read "nope\.json": no such file/);
    assert.equal(await dump(ws.db), before);
    const again = await ws.json<{ created: number; unchanged: number }>(["import-findings", "f.json"]);
    assert.deepEqual([again.created, again.unchanged], [0, 3]);
  } finally {
    await ws.cleanup();
  }
});
