// The original's JSON shapes (seed spec §2.6, its Go models' tags): every key it had, with the same
// type and the same omit-when-empty rule. Each shape is checked on a fully populated and a minimal
// instance from the services (what every surface prints), and both are kept as a golden file.
import assert from "node:assert/strict";
import type { App } from "../src/app.ts";
import { createHttpApp } from "../src/http/app.ts";
import { alice, bot } from "./helpers/app.ts";
import { assertGolden } from "./helpers/golden.ts";
import { fixedApp } from "./interchange/helpers.ts";
import { workspace } from "./helpers/cli.ts";
import { insertActivity } from "../src/db/repos/activity.ts";

/** `key:type` (`key?:` = omitted when empty); a type naming another shape is checked against it. */
const ORIGINAL: Record<string, string> = {
  Actor: "kind:string name:string",
  Project:
    "id:string alias:string name:string description:string repo_path:string archived_at?:number created_at:number updated_at:number",
  Task: "id:string seq:number project_id:string project?:ProjectRef title:string description:string " +
    "type:string status:string priority:number assignee?:string due_at?:number actor:Actor source?:string " +
    "external_ref?:string completed_at?:number archived_at?:number created_at:number updated_at:number " +
    "project_path?:string labels?:Label[] plans?:Plan[] comments?:Comment[]",
  ProjectRef: "id:string alias:string name:string",
  Label: "id:string project_id:string name:string color?:string",
  Plan:
    "id:string task_id:string current_version:number source?:string archived_at?:number created_at:number updated_at:number version?:PlanVersion",
  PlanVersion:
    "id:string plan_id:string version:number title:string body:string actor:Actor change_note?:string created_at:number",
  Comment: "id:string task_id:string body:string actor:Actor created_at:number",
  Activity:
    "id:string project_id?:string entity:string entity_id:string action:string summary:string actor:Actor payload:string created_at:number",
  Memory:
    "id:string project_id:string project?:ProjectRef body:string tags?:string actor:Actor created_at:number",
  Doc:
    "id:string project_id:string project?:ProjectRef title:string current_version:number actor:Actor archived_at?:number created_at:number updated_at:number version?:DocVersion",
  DocVersion:
    "id:string doc_id:string version:number title:string body:string actor:Actor change_note?:string created_at:number",
  Attachment:
    "id:string name:string mime_type:string size:number linked_type:string linked_id:string actor:Actor created_at:number",
  AttachmentMeta:
    "id:string name:string mime_type:string size:number linked_type:string linked_id:string actor:Actor created_at:number task_seq:number task_title:string doc_title:string project_alias?:string project_name?:string",
};

type Json = Record<string, unknown>;

function fields(shape: string) {
  return ORIGINAL[shape].split(" ").map((f) => {
    const [k, type] = f.split(":");
    return { key: k.replace("?", ""), optional: k.endsWith("?"), type };
  });
}

/** Keys no surface can set (the original exposes no plan or doc archive either). */
const NEVER_SET = new Set(["Plan.archived_at", "Doc.archived_at"]);

/** Every original key present (the full instance) with its type; nested shapes checked too. */
function checkFull(shape: string, v: Json, path = shape): void {
  for (const f of fields(shape)) {
    const x = v[f.key];
    if (x === undefined && NEVER_SET.has(`${shape}.${f.key}`)) continue;
    assert.ok(x !== undefined, `${path}.${f.key} is missing`);
    checkType(f.type, x, `${path}.${f.key}`);
  }
}

function checkType(type: string, x: unknown, path: string): void {
  if (type.endsWith("[]")) {
    assert.ok(Array.isArray(x) && x.length > 0, `${path} is not a non-empty array`);
    (x as Json[]).forEach((e, i) => checkType(type.slice(0, -2), e, `${path}[${i}]`));
  } else if (ORIGINAL[type]) {
    assert.equal(typeof x, "object", `${path} is not an object`);
    checkFull(type, x as Json, path);
  } else {
    assert.equal(typeof x, type, `${path} is a ${typeof x}, not a ${type}`);
  }
}

/** Required keys present, optional keys omitted (the minimal instance). */
function checkMinimal(shape: string, v: Json): void {
  for (const f of fields(shape)) {
    if (f.optional) assert.equal(v[f.key], undefined, `${shape}.${f.key} should be omitted when empty`);
    else checkType(f.type, v[f.key], `${shape}.${f.key}`);
  }
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as Json;

/** One workspace holding a full and a minimal instance of every shape, with fixed IDs and clock. */
async function instances(app: App): Promise<Record<string, [unknown, unknown]>> {
  const p = await app.projects.create(
    { alias: "api", name: "API", description: "d", repo_path: "/src/api" },
    alice,
  );
  await app.projects.create({ alias: "old", name: "Old" }, alice);
  const old = await app.projects.archive("old", alice);
  const bare = await app.tasks.create({ project: "api", title: "Bare" }, alice);
  const full = await app.tasks.create({
    project: "api",
    title: "Full",
    description: "all fields",
    assignee: "bob",
    due_at: Date.UTC(2026, 5, 1) * 1e6,
    source: "semgrep",
    external_ref: "GH-1",
    project_path: "src/a.ts:1",
    labels: ["auth"],
  }, bot);
  await app.labels.create("api", "auth", "#f00", bot);
  const plain_label = await app.labels.create("api", "plain", undefined, bot);
  const plan = await app.plans.create({ task_id: full.ref, title: "Plan", body: "v1", source: "agent" }, bot);
  await app.plans.update(plan.id, { body: "v2", change_note: "sharper" }, bot);
  const bareVersion = (await app.plans.history(plan.id)).find((v) => v.version === 1)!;
  await app.comments.add(full.ref, "looking", bot);
  await app.tasks.move(full.ref, "done", bot);
  await app.tasks.archive(full.ref, bot);
  const memFull = await app.memory.add("api", "note", ["a", "b"], bot);
  const memBare = await app.memory.add("api", "plain note", undefined, bot);
  const doc = await app.docs.create({ project: "api", title: "Doc", body: "x" }, bot);
  await app.docs.update(doc.id, { body: "y", change_note: "edited" }, bot);
  const docBare = await app.docs.create({ project: "api", title: "Doc 2" }, bot);
  const data = new TextEncoder().encode("hello");
  const att = await app.attachments.add({ name: "a.txt", data, task: full.ref }, bot);
  const attDoc = await app.attachments.add({ name: "b.txt", data, doc: doc.id }, bot);
  const metaAll = (await app.attachments.list({})).attachments.find((a) => a.id === att.id);
  const metaProject = (await app.attachments.list({ project: "api" })).attachments.find((a) =>
    a.id === attDoc.id
  );
  // A row without a project, as the original wrote for attachments (ours name the project).
  await insertActivity(app.db, {
    id: app.ctx.ids(),
    entity: "attachment",
    entity_id: att.id,
    action: "deleted",
    summary: 'Deleted attachment "a.txt"',
    actor: bot,
    created_at: app.ctx.clock(),
    project_id: "",
  });
  const events = (await app.activity.list({ limit: 0 })).events;
  const docs = (await app.docs.list({})).docs;
  return {
    Project: [old, p],
    Task: [await app.tasks.show(full.ref), bare],
    Label: [(await app.labels.list("api")).find((l) => l.name === "auth"), plain_label],
    Plan: [
      await app.plans.get(plan.id),
      (await app.plans.list(full.ref)).map(({ version: _, ...rest }) => rest)[0],
    ],
    PlanVersion: [(await app.plans.get(plan.id)).version, bareVersion],
    Comment: [(await app.comments.list(full.ref))[0], (await app.comments.list(full.ref))[0]],
    Activity: [events.find((e) => e.entity === "task"), events.find((e) => !e.project_id)],
    Memory: [(await app.memory.list({})).entries.find((m) => m.id === memFull.id), memBare],
    Doc: [{ ...docs.find((d) => d.id === doc.id), version: (await app.docs.show(doc.id)).version }, docBare],
    DocVersion: [(await app.docs.show(doc.id)).version, (await app.docs.history(docBare.id))[0]],
    Attachment: [att, attDoc],
    AttachmentMeta: [metaAll, metaProject],
  };
}

const MINIMAL_EXTRA: Record<string, (v: Json) => Json> = {
  // The original sets these only where a full instance has them; a minimal one is checked without.
  Task: ({ project: _, ...v }) => v,
  Plan: ({ archived_at: _a, source: _s, ...v }) => v,
  Doc: ({ version: _, ...v }) => v,
  AttachmentMeta: ({ project_alias: _a, project_name: _n, ...v }) => v,
};

const app = await fixedApp();
const all = await instances(app);
await app.close();

for (const [shape, [full, minimal]] of Object.entries(all)) {
  Deno.test(`the ${shape} JSON has the original's keys, types and omit-when-empty rules`, async () => {
    checkFull(shape, plain(full));
    const min = plain(minimal);
    checkMinimal(shape, (MINIMAL_EXTRA[shape] ?? ((v) => v))(min));
    const text = JSON.stringify({ full, minimal }, null, 2) + "\n";
    await assertGolden(new URL(`golden/shapes/${shape.toLowerCase()}.json`, import.meta.url), text);
  });
}

Deno.test("a task's labels are label objects on the CLI, HTTP and in task context, as label list shows them", async () => {
  const w = await workspace();
  try {
    await w.json(["project", "add", "API", "--alias", "api"]);
    await w.json(["label", "create", "auth", "--color", "#f00", "-p", "api"]);
    const labels = (await w.json<{ labels: Json[] }>(["label", "list", "-p", "api"])).labels;
    const added = await w.json<Json>(["task", "add", "-p", "api", "-t", "x", "--label", "auth,ui"]);
    const list = await w.json<{ tasks: Json[] }>(["task", "list", "-p", "api"]);
    const shown = await w.json<Json>(["task", "show", "TASK-1"]);
    const moved = await w.json<Json>(["task", "move", "TASK-1", "--status", "doing"]);
    const context = await w.json<{ task: Json }>(["task", "context", "TASK-1"]);
    const all = (await w.json<{ labels: Json[] }>(["label", "list", "-p", "api"])).labels;
    assert.deepEqual(labels.map((l) => l.name), ["auth"]);
    assert.equal(all.length, 2);
    for (const t of [added, list.tasks[0], shown, moved, context.task]) assert.deepEqual(t.labels, all);
    assert.deepEqual(all[0], { ...labels[0] }, "color kept");
    assert.equal("color" in all[1], false, "no colour: the key is omitted");
  } finally {
    await w.cleanup();
  }
});

Deno.test("HTTP task JSON carries the same label objects as /api/labels", async () => {
  const a = await fixedApp();
  const ac = new AbortController();
  const h = createHttpApp(a, { actor: alice, host: "127.0.0.1", port: 8080, signal: ac.signal });
  try {
    await a.projects.create({ alias: "api", name: "API" }, alice);
    await a.tasks.create({ project: "api", title: "x", labels: ["ui"] }, alice);
    const task = await (await h.request("/api/tasks/TASK-1")).json();
    const list = await (await h.request("/api/tasks?project=api")).json();
    const labels = await (await h.request("/api/labels?project=api")).json();
    assert.deepEqual(task.labels, labels.labels);
    assert.deepEqual(list.tasks[0].labels, labels.labels);
  } finally {
    ac.abort();
    await a.close();
  }
});
