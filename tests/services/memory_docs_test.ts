import assert from "node:assert/strict";
import { alice, bot, testApp } from "../helpers/app.ts";
import type { AppError } from "../../src/domain/errors.ts";
import type { App } from "../../src/app.ts";

const err = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
};

function setup(): App {
  const app = testApp();
  app.projects.create({ alias: "api", name: "API" }, alice);
  app.projects.create({ alias: "web", name: "Web" }, alice);
  return app;
}

const lastEvent = (app: App) => app.activity.list({ limit: 1 }).events[0];

Deno.test("memory add trims and dedupes tags and logs the creator", () => {
  const app = setup();
  const m = app.memory.add("api", "use pnpm", " build , tooling,,build ", bot);
  assert.equal(m.tags, "build,tooling");
  assert.equal(m.body, "use pnpm");
  assert.deepEqual(m.actor, bot);
  const e = lastEvent(app);
  assert.equal(e.entity, "memory");
  assert.equal(e.action, "created");
  assert.equal(e.summary, "Created memory entry");
  assert.deepEqual(e.actor, bot);
  assert.equal(e.project_id, m.project_id);
});

Deno.test("memory add rejects an empty body and an unknown project without writing", () => {
  const app = setup();
  const before = app.activity.list().page.total;
  assert.equal(err(() => app.memory.add("api", "  ", "", alice)).code, "invalid");
  assert.equal(err(() => app.memory.add("nope", "x", "", alice)).code, "not_found");
  assert.equal(app.memory.list().page.total, 0);
  assert.equal(app.activity.list().page.total, before);
});

Deno.test("memory tag filter matches whole tags, trimmed and case-insensitively", () => {
  const app = setup();
  app.memory.add("api", "a", "build,ci", alice);
  app.memory.add("api", "b", "builder", alice);
  app.memory.add("api", "c", "", alice);
  // Rows written by the original keep spaces after commas.
  app.db.run("UPDATE project_memory SET tags = 'x, Build , y' WHERE body = 'c'");
  app.memory.add("api", "d", "100%,a_b", alice);
  const bodies = (tag: string) => app.memory.list({ tag }).entries.map((e) => e.body).sort();
  assert.deepEqual(bodies("build"), ["a", "c"]);
  assert.deepEqual(bodies(" BUILD "), ["a", "c"]);
  assert.deepEqual(bodies("buil"), []);
  assert.deepEqual(bodies("100%"), ["d"]);
  assert.deepEqual(bodies("1%"), []);
  assert.deepEqual(bodies("a_b"), ["d"]);
  assert.deepEqual(bodies("axb"), []);
});

Deno.test("memory list is newest first, bounded, and spans non-archived projects without a project", () => {
  const app = setup();
  app.projects.create({ alias: "old", name: "Old" }, alice);
  app.memory.add("api", "one", "", alice);
  app.memory.add("web", "two", "", alice);
  app.memory.add("old", "three", "", alice);
  app.projects.archive("old", alice);
  const all = app.memory.list();
  assert.deepEqual(all.entries.map((e) => e.body), ["two", "one"]);
  assert.deepEqual(all.entries.map((e) => e.project?.alias), ["web", "api"]);
  assert.equal(all.page.total, 2);
  const scoped = app.memory.list({ project: "old" });
  assert.deepEqual(scoped.entries.map((e) => e.body), ["three"]);
  assert.equal(scoped.entries[0].project, undefined);
  const page = app.memory.list({ limit: 1, offset: 1 });
  assert.deepEqual(page.entries.map((e) => e.body), ["one"]);
  assert.deepEqual(page.page, { total: 2, count: 1, limit: 1, offset: 1, has_more: false });
});

Deno.test("memory append joins with a newline unless one side has one", () => {
  const app = setup();
  const m = app.memory.add("api", "line1", "", alice);
  assert.equal(app.memory.append(m.id, "line2", bot).body, "line1\nline2");
  assert.equal(app.memory.append(m.id, "\nline3", bot).body, "line1\nline2\nline3");
  assert.equal(lastEvent(app).action, "appended");
  assert.deepEqual(lastEvent(app).actor, bot);
  assert.equal(err(() => app.memory.append(m.id, " ", bot)).code, "invalid");
});

Deno.test("memory update changes only what is given and is logged", () => {
  const app = setup();
  const m = app.memory.add("api", "old", "a,b", alice);
  const u = app.memory.update(m.id, { body: "new" }, bot);
  assert.equal(u.body, "new");
  assert.equal(u.tags, "a,b");
  const t = app.memory.update(m.id, { tags: "" }, bot);
  assert.equal(t.body, "new");
  assert.equal(t.tags, undefined);
  const e = lastEvent(app);
  assert.deepEqual([e.entity, e.action, e.summary], ["memory", "updated", "Updated memory entry"]);
  assert.deepEqual(e.actor, bot);
  assert.equal(err(() => app.memory.update(m.id, {}, bot)).code, "invalid");
  assert.equal(err(() => app.memory.update(m.id, { body: "" }, bot)).code, "invalid");
});

Deno.test("memory delete is attributed to the deleter, and 8-character prefixes work", () => {
  const app = setup();
  const m = app.memory.add("api", "x", "", alice);
  const d = app.memory.delete(m.id.slice(0, 8), bot);
  assert.equal(d.id, m.id);
  const e = lastEvent(app);
  assert.deepEqual([e.action, e.summary], ["deleted", "Deleted memory entry"]);
  assert.deepEqual(e.actor, bot);
  assert.equal(err(() => app.memory.delete(m.id, bot)).code, "not_found");
  assert.equal(err(() => app.memory.get("ZZZZZZZZ")).code, "not_found");
});

Deno.test("doc create allows an empty body; update without a body keeps it", () => {
  const app = setup();
  const d = app.docs.create({ project: "api", title: "Runbook", body: "" }, alice);
  assert.equal(d.current_version, 1);
  assert.equal(d.version?.body, "");
  const d2 = app.docs.create({ project: "api", title: "Arch", body: "v1 body" }, alice);
  const u = app.docs.update(d2.id, { title: "Architecture" }, bot);
  assert.equal(u.current_version, 2);
  assert.equal(u.title, "Architecture");
  assert.equal(u.version?.body, "v1 body");
  const n = app.docs.update(d2.id, { change_note: "reviewed" }, bot);
  assert.equal(n.version?.body, "v1 body");
  assert.equal(n.version?.title, "Architecture");
  assert.equal(n.version?.change_note, "reviewed");
  const e = app.docs.update(d2.id, { body: "" }, bot);
  assert.equal(e.version?.body, "");
  assert.equal(lastEvent(app).summary, 'Added doc version v4 "Architecture"');
  assert.equal(err(() => app.docs.update(d2.id, {}, bot)).code, "invalid");
  assert.equal(err(() => app.docs.create({ project: "api", title: " " }, alice)).code, "invalid");
});

Deno.test("doc versions are immutable and history lists them in order", () => {
  const app = setup();
  const d = app.docs.create({ project: "api", title: "T", body: "a" }, alice);
  app.docs.append(d.id, "b", "more", bot);
  app.docs.update(d.id, { body: "c" }, alice);
  const h = app.docs.history(d.id.slice(0, 8));
  assert.deepEqual(h.map((v) => [v.version, v.body]), [[1, "a"], [2, "a\nb"], [3, "c"]]);
  assert.equal(h[1].change_note, "more");
  assert.deepEqual(h[1].actor, bot);
  assert.equal(app.docs.show(d.id, 1).version?.body, "a");
  assert.equal(app.docs.show(d.id).version?.body, "c");
  assert.equal(err(() => app.docs.show(d.id, 9)).code, "not_found");
  assert.equal(err(() => app.docs.append(d.id, "", undefined, bot)).code, "invalid");
});

Deno.test("doc list is most recently updated first and cross-project without a project", () => {
  const app = setup();
  const a = app.docs.create({ project: "api", title: "A" }, alice);
  app.docs.create({ project: "web", title: "B" }, alice);
  app.docs.update(a.id, { body: "x" }, alice);
  const all = app.docs.list();
  assert.deepEqual(all.docs.map((d) => d.title), ["A", "B"]);
  assert.equal(all.docs[0].project?.alias, "api");
  assert.equal(all.docs[0].version, undefined);
  assert.deepEqual(app.docs.list({ project: "web" }).docs.map((d) => d.title), ["B"]);
  assert.equal(app.docs.list({ project: "web" }).docs[0].project, undefined);
});

Deno.test("doc delete removes versions and attachments and names the deleter", () => {
  const app = setup();
  const d = app.docs.create({ project: "api", title: "T", body: "a" }, alice);
  app.attachments.add({ name: "x.txt", data: new Uint8Array([1]), doc: d.id }, alice);
  app.docs.delete(d.id, bot);
  assert.equal(app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM project_doc_versions")!.n, 0);
  assert.equal(app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM attachments")!.n, 0);
  const e = lastEvent(app);
  assert.deepEqual([e.entity, e.action, e.summary], ["doc", "deleted", 'Deleted doc "T"']);
  assert.deepEqual(e.actor, bot);
});
