import assert from "node:assert/strict";
import { alice, appError, bot, testApp } from "../helpers/app.ts";
import type { App } from "../../src/app.ts";

async function setup(): Promise<App> {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  return app;
}

const lastEvent = async (app: App) => (await app.activity.list({ limit: 1 })).events[0];

Deno.test("memory add trims and dedupes tags and logs the creator", async () => {
  const app = await setup();
  const m = await app.memory.add("api", "use pnpm", " build , tooling,,build ", bot);
  assert.equal(m.tags, "build,tooling");
  assert.equal(m.body, "use pnpm");
  assert.deepEqual(m.actor, bot);
  const e = await lastEvent(app);
  assert.equal(e.entity, "memory");
  assert.equal(e.action, "created");
  assert.equal(e.summary, "Created memory entry");
  assert.deepEqual(e.actor, bot);
  assert.equal(e.project_id, m.project_id);
});

Deno.test("memory add rejects an empty body and an unknown project without writing", async () => {
  const app = await setup();
  const before = (await app.activity.list()).page.total;
  assert.equal((await appError(async () => await app.memory.add("api", "  ", "", alice))).code, "invalid");
  assert.equal((await appError(async () => await app.memory.add("nope", "x", "", alice))).code, "not_found");
  assert.equal((await app.memory.list()).page.total, 0);
  assert.equal((await app.activity.list()).page.total, before);
});

Deno.test("memory tag filter matches whole tags, trimmed and case-insensitively", async () => {
  const app = await setup();
  await app.memory.add("api", "a", "build,ci", alice);
  await app.memory.add("api", "b", "builder", alice);
  await app.memory.add("api", "c", "", alice);
  // Rows written by the original keep spaces after commas.
  await app.db.run("UPDATE project_memory SET tags = 'x, Build , y' WHERE body = 'c'");
  await app.memory.add("api", "d", "100%,a_b", alice);
  const bodies = async (tag: string) => (await app.memory.list({ tag })).entries.map((e) => e.body).sort();
  assert.deepEqual(await bodies("build"), ["a", "c"]);
  assert.deepEqual(await bodies(" BUILD "), ["a", "c"]);
  assert.deepEqual(await bodies("buil"), []);
  assert.deepEqual(await bodies("100%"), ["d"]);
  assert.deepEqual(await bodies("1%"), []);
  assert.deepEqual(await bodies("a_b"), ["d"]);
  assert.deepEqual(await bodies("axb"), []);
});

Deno.test("memory tag filter folds ASCII letters only, the same on both engines", async () => {
  const app = await setup();
  await app.memory.add("api", "a", "Été,CAFÉ", alice);
  const bodies = async (tag: string) => (await app.memory.list({ tag })).entries.map((e) => e.body);
  assert.deepEqual(await bodies("Été"), ["a"]);
  assert.deepEqual(await bodies("ÉTé"), ["a"]);
  assert.deepEqual(await bodies("ÉTÉ"), []);
  assert.deepEqual(await bodies("été"), []);
  assert.deepEqual(await bodies("cafÉ"), ["a"]);
  assert.deepEqual(await bodies("café"), []);
  await app.close();
});

Deno.test("memory list is newest first, bounded, and spans non-archived projects without a project", async () => {
  const app = await setup();
  await app.projects.create({ alias: "old", name: "Old" }, alice);
  await app.memory.add("api", "one", "", alice);
  await app.memory.add("web", "two", "", alice);
  await app.memory.add("old", "three", "", alice);
  await app.projects.archive("old", alice);
  const all = await app.memory.list();
  assert.deepEqual(all.entries.map((e) => e.body), ["two", "one"]);
  assert.deepEqual(all.entries.map((e) => e.project?.alias), ["web", "api"]);
  assert.equal(all.page.total, 2);
  const scoped = await app.memory.list({ project: "old" });
  assert.deepEqual(scoped.entries.map((e) => e.body), ["three"]);
  assert.equal(scoped.entries[0].project, undefined);
  const page = await app.memory.list({ limit: 1, offset: 1 });
  assert.deepEqual(page.entries.map((e) => e.body), ["one"]);
  assert.deepEqual(page.page, { total: 2, count: 1, limit: 1, offset: 1, has_more: false });
});

Deno.test("memory append joins with a newline unless one side has one", async () => {
  const app = await setup();
  const m = await app.memory.add("api", "line1", "", alice);
  assert.equal((await app.memory.append(m.id, "line2", bot)).body, "line1\nline2");
  assert.equal((await app.memory.append(m.id, "\nline3", bot)).body, "line1\nline2\nline3");
  assert.equal((await lastEvent(app)).action, "appended");
  assert.deepEqual((await lastEvent(app)).actor, bot);
  assert.equal((await appError(async () => await app.memory.append(m.id, " ", bot))).code, "invalid");
});

Deno.test("memory update changes only what is given and is logged", async () => {
  const app = await setup();
  const m = await app.memory.add("api", "old", "a,b", alice);
  const u = await app.memory.update(m.id, { body: "new" }, bot);
  assert.equal(u.body, "new");
  assert.equal(u.tags, "a,b");
  const t = await app.memory.update(m.id, { tags: "" }, bot);
  assert.equal(t.body, "new");
  assert.equal(t.tags, undefined);
  const e = await lastEvent(app);
  assert.deepEqual([e.entity, e.action, e.summary], ["memory", "updated", "Updated memory entry"]);
  assert.deepEqual(e.actor, bot);
  assert.equal((await appError(async () => await app.memory.update(m.id, {}, bot))).code, "invalid");
  assert.equal(
    (await appError(async () => await app.memory.update(m.id, { body: "" }, bot))).code,
    "invalid",
  );
});

Deno.test("memory delete is attributed to the deleter, and 8-character prefixes work", async () => {
  const app = await setup();
  const m = await app.memory.add("api", "x", "", alice);
  const d = await app.memory.delete(m.id.slice(0, 8), bot);
  assert.equal(d.id, m.id);
  const e = await lastEvent(app);
  assert.deepEqual([e.action, e.summary], ["deleted", "Deleted memory entry"]);
  assert.deepEqual(e.actor, bot);
  assert.equal((await appError(async () => await app.memory.delete(m.id, bot))).code, "not_found");
  assert.equal((await appError(async () => await app.memory.get("ZZZZZZZZ"))).code, "not_found");
});

Deno.test("doc create allows an empty body; update without a body keeps it", async () => {
  const app = await setup();
  const d = await app.docs.create({ project: "api", title: "Runbook", body: "" }, alice);
  assert.equal(d.current_version, 1);
  assert.equal(d.version?.body, "");
  const d2 = await app.docs.create({ project: "api", title: "Arch", body: "v1 body" }, alice);
  const u = await app.docs.update(d2.id, { title: "Architecture" }, bot);
  assert.equal(u.current_version, 2);
  assert.equal(u.title, "Architecture");
  assert.equal(u.version?.body, "v1 body");
  const n = await app.docs.update(d2.id, { change_note: "reviewed" }, bot);
  assert.equal(n.version?.body, "v1 body");
  assert.equal(n.version?.title, "Architecture");
  assert.equal(n.version?.change_note, "reviewed");
  const e = await app.docs.update(d2.id, { body: "" }, bot);
  assert.equal(e.version?.body, "");
  assert.equal((await lastEvent(app)).summary, 'Added doc version v4 "Architecture"');
  assert.equal((await appError(async () => await app.docs.update(d2.id, {}, bot))).code, "invalid");
  assert.equal(
    (await appError(async () => await app.docs.create({ project: "api", title: " " }, alice))).code,
    "invalid",
  );
});

Deno.test("doc versions are immutable and history lists them in order", async () => {
  const app = await setup();
  const d = await app.docs.create({ project: "api", title: "T", body: "a" }, alice);
  await app.docs.append(d.id, "b", "more", bot);
  await app.docs.update(d.id, { body: "c" }, alice);
  const h = await app.docs.history(d.id.slice(0, 8));
  assert.deepEqual(h.map((v) => [v.version, v.body]), [[1, "a"], [2, "a\nb"], [3, "c"]]);
  assert.equal(h[1].change_note, "more");
  assert.deepEqual(h[1].actor, bot);
  assert.equal((await app.docs.show(d.id, 1)).version?.body, "a");
  assert.equal((await app.docs.show(d.id)).version?.body, "c");
  assert.equal((await appError(async () => await app.docs.show(d.id, 9))).code, "not_found");
  assert.equal((await appError(async () => await app.docs.append(d.id, "", undefined, bot))).code, "invalid");
});

Deno.test("doc list is most recently updated first and cross-project without a project", async () => {
  const app = await setup();
  const a = await app.docs.create({ project: "api", title: "A" }, alice);
  await app.docs.create({ project: "web", title: "B" }, alice);
  await app.docs.update(a.id, { body: "x" }, alice);
  const all = await app.docs.list();
  assert.deepEqual(all.docs.map((d) => d.title), ["A", "B"]);
  assert.equal(all.docs[0].project?.alias, "api");
  assert.equal(all.docs[0].version, undefined);
  assert.deepEqual((await app.docs.list({ project: "web" })).docs.map((d) => d.title), ["B"]);
  assert.equal((await app.docs.list({ project: "web" })).docs[0].project, undefined);
});

Deno.test("doc delete removes versions and attachments and names the deleter", async () => {
  const app = await setup();
  const d = await app.docs.create({ project: "api", title: "T", body: "a" }, alice);
  await app.attachments.add({ name: "x.txt", data: new Uint8Array([1]), doc: d.id }, alice);
  await app.docs.delete(d.id, bot);
  assert.equal((await app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM project_doc_versions"))!.n, 0);
  assert.equal((await app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM attachments"))!.n, 0);
  const e = await lastEvent(app);
  assert.deepEqual([e.entity, e.action, e.summary], ["doc", "deleted", 'Deleted doc "T"']);
  assert.deepEqual(e.actor, bot);
});
