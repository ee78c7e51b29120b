import assert from "node:assert/strict";
import { alice, appError, bot, testApp } from "../helpers/app.ts";
import { MAX_ATTACHMENT_BYTES, mimeFromName, sanitizeFileName } from "../../src/domain/files.ts";

async function setup() {
  const app = await testApp();
  await app.projects.create({ alias: "api", name: "API" }, alice);
  const task = await app.tasks.create({ project: "api", title: "Fix" }, alice);
  const doc = await app.docs.create({ project: "api", title: "Spec", body: "" }, alice);
  return { app, task, doc };
}

const count = async (app: Awaited<ReturnType<typeof setup>>["app"], table: string) =>
  (await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

Deno.test("attachment round-trips binary bytes exactly, at the 10 MiB limit", async () => {
  const { app, task } = await setup();
  const data = new Uint8Array(MAX_ATTACHMENT_BYTES);
  for (let i = 0; i < data.length; i += 4096) crypto.getRandomValues(data.subarray(i, i + 4096));
  data[0] = 0;
  data[data.length - 1] = 255;
  const a = await app.attachments.add({ name: "blob.bin", data, task: task.ref }, bot);
  assert.equal(a.size, MAX_ATTACHMENT_BYTES);
  assert.equal(a.mime_type, "application/octet-stream");
  const back = await app.attachments.get(a.id.slice(0, 8));
  assert.equal(back.data.length, data.length);
  assert.ok(back.data.every((b, i) => b === data[i]));
});

Deno.test("an attachment one byte over 10 MiB is rejected and nothing is written", async () => {
  const { app, task } = await setup();
  const before = await count(app, "activity_log");
  const e = await appError(async () =>
    await app.attachments.add(
      { name: "big.bin", data: new Uint8Array(MAX_ATTACHMENT_BYTES + 1), task: task.id },
      bot,
    )
  );
  assert.equal(e.code, "invalid");
  assert.match(e.message, /exceeds max size of 10 MiB/);
  assert.equal(await count(app, "attachments"), 0);
  assert.equal(await count(app, "activity_log"), before);
});

Deno.test("attachments need an existing task or doc, exactly one of them", async () => {
  const { app, task, doc } = await setup();
  const data = new Uint8Array([1, 2, 3]);
  assert.equal(
    (await appError(async () => await app.attachments.add({ name: "a", data }, alice))).code,
    "usage",
  );
  assert.equal(
    (await appError(async () =>
      await app.attachments.add({ name: "a", data, task: task.id, doc: doc.id }, alice)
    )).code,
    "usage",
  );
  assert.equal(
    (await appError(async () => await app.attachments.add({ name: "a", data, task: "TASK-99" }, alice))).code,
    "not_found",
  );
  assert.equal(
    (await appError(async () => await app.attachments.add({ name: "a", data, doc: "01ZZZZZZ" }, alice))).code,
    "not_found",
  );
  assert.equal(
    (await appError(async () => await app.attachments.add({ name: "a", data, task: "ab" }, alice))).code,
    "invalid",
  );
  assert.equal(await count(app, "attachments"), 0);
});

Deno.test("attachment add sanitises the name, guesses the MIME type and logs with the project", async () => {
  const { app, task, doc } = await setup();
  const a = await app.attachments.add(
    { name: "../../etc/Report\n.PDF", data: new Uint8Array([1]), doc: doc.id },
    bot,
  );
  assert.equal(a.name, "Report_.PDF");
  assert.equal(a.mime_type, "application/pdf");
  assert.equal(a.linked_type, "doc");
  assert.equal(a.linked_id, doc.id);
  const e = (await app.activity.list({ limit: 1 })).events[0];
  assert.equal(e.summary, `Added attachment "Report_.PDF" to doc ${doc.id.slice(0, 8)}`);
  assert.equal(e.project_id, task.project_id);
  assert.deepEqual(e.actor, bot);
});

Deno.test("attachment list by task, doc, project and across projects", async () => {
  const { app, task, doc } = await setup();
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  const other = await app.tasks.create({ project: "web", title: "Other" }, alice);
  await app.attachments.add({ name: "t.txt", data: new Uint8Array([1]), task: task.ref }, alice);
  await app.attachments.add({ name: "d.md", data: new Uint8Array([2]), doc: doc.id }, alice);
  await app.attachments.add({ name: "o.png", data: new Uint8Array([3]), task: other.ref }, alice);
  assert.deepEqual((await app.attachments.list({ task: task.ref })).attachments.map((a) => a.name), [
    "t.txt",
  ]);
  assert.deepEqual((await app.attachments.list({ doc: doc.id.slice(0, 8) })).attachments.map((a) => a.name), [
    "d.md",
  ]);
  const proj = await app.attachments.list({ project: "api" });
  assert.deepEqual(proj.attachments.map((a) => a.name), ["d.md", "t.txt"]);
  assert.equal(proj.page.total, 2);
  const all = await app.attachments.list();
  assert.deepEqual(all.attachments.map((a) => a.name), ["o.png", "d.md", "t.txt"]);
  const meta = all.attachments[2] as { task_seq: number; task_title: string; project_alias?: string };
  assert.deepEqual([meta.task_seq, meta.task_title, meta.project_alias], [1, "Fix", "api"]);
});

Deno.test("attachment delete names the deleter and unknown ids are not found", async () => {
  const { app, task } = await setup();
  const a = await app.attachments.add({ name: "t.txt", data: new Uint8Array([1]), task: task.ref }, alice);
  await app.attachments.delete(a.id, bot);
  const e = (await app.activity.list({ limit: 1 })).events[0];
  assert.deepEqual([e.entity, e.action, e.summary], ["attachment", "deleted", 'Deleted attachment "t.txt"']);
  assert.deepEqual(e.actor, bot);
  assert.equal(e.project_id, task.project_id);
  assert.equal((await appError(async () => await app.attachments.get(a.id))).code, "not_found");
  assert.equal((await appError(async () => await app.attachments.delete(a.id, bot))).code, "not_found");
});

Deno.test("file names and MIME types", () => {
  assert.equal(mimeFromName("a.JSON"), "application/json");
  assert.equal(mimeFromName("noext"), "application/octet-stream");
  assert.equal(mimeFromName("x.tar.gz"), "application/gzip");
  assert.equal(sanitizeFileName("C:\\Users\\x\\notes.txt"), "notes.txt");
  assert.equal(sanitizeFileName("..hidden"), "hidden");
  assert.equal(sanitizeFileName('a"b<c>.txt'), "a_b_c_.txt");
  assert.throws(() => sanitizeFileName("../"), /invalid file name/);
  assert.throws(() => sanitizeFileName(".."), /invalid file name/);
  assert.ok(new TextEncoder().encode(sanitizeFileName("é".repeat(300))).length <= 255);
});

Deno.test("a malformed mime_type falls back to the extension's type; a well-formed one is kept", async () => {
  const { app, task } = await setup();
  const add = async (mime_type: string) =>
    (await app.attachments.add(
      { name: "a.png", data: new Uint8Array([1]), task: task.ref, mime_type },
      alice,
    ))
      .mime_type;
  assert.equal(await add("image/webp"), "image/webp");
  assert.equal(await add("Application/VND.api+JSON"), "application/vnd.api+json");
  for (
    const bad of ["text/html\r\nX-Evil: 1", "text/plain; charset=utf-8", "html", "a/b/c", "ünï/code", " "]
  ) {
    assert.equal(await add(bad), mimeFromName("a.png"), JSON.stringify(bad));
  }
  await app.close();
});
