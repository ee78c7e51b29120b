import assert from "node:assert/strict";
import { seeded } from "./client.ts";
import { contentDisposition } from "../../src/http/routes/attachments.ts";

Deno.test("memory: add, list by project and tag, show, update, append, delete", async () => {
  const t = await seeded();
  const m = await t.post("/api/memory", { project: "api", body: "use pnpm", tags: "build,tools" });
  assert.equal(m.status, 200);
  assert.equal(m.json.tags, "build,tools");
  await t.post("/api/memory", { project: "web", body: "other", tags: ["ui"] });
  let r = await t.get("/api/memory?project=api");
  assert.equal(r.json.entries.length, 1);
  assert.equal(r.json.page.total, 1);
  assert.equal((await t.get("/api/memory")).json.page.total, 2);
  assert.equal((await t.get("/api/memory?tag=ui")).json.entries[0].body, "other");
  assert.equal((await t.get(`/api/memory/${m.json.id}`)).json.body, "use pnpm");
  r = await t.patch(`/api/memory/${m.json.id}`, { tags: "" });
  assert.equal(r.json.body, "use pnpm");
  assert.ok(!r.json.tags);
  r = await t.patch(`/api/memory/${m.json.id}/append`, { value: "and node 22" });
  assert.equal(r.json.body, "use pnpm\nand node 22");
  assert.equal((await t.patch(`/api/memory/${m.json.id}/append`, {})).status, 400);
  assert.equal((await t.post("/api/memory", { project: "api", body: "" })).status, 400);
  assert.equal((await t.del(`/api/memory/${m.json.id}`)).status, 204);
  assert.equal((await t.del(`/api/memory/${m.json.id}`)).status, 404);
  await t.close();
});

Deno.test("docs: create, list, show a version, update, append, history, delete", async () => {
  const t = await seeded();
  const d = await t.post("/api/docs", { project: "api", title: "Runbook", body: "step 1" });
  assert.equal(d.status, 200);
  assert.equal(d.json.version.version, 1);
  let r = await t.patch(`/api/docs/${d.json.id}`, { body: "step 2", change_note: "fix" });
  assert.equal(r.json.current_version, 2);
  r = await t.patch(`/api/docs/${d.json.id}/append`, { content: "step 3" });
  assert.equal(r.json.version.body, "step 2\nstep 3");
  assert.equal((await t.get(`/api/docs/${d.json.id}?version=1`)).json.version.body, "step 1");
  r = await t.get(`/api/docs/${d.json.id}/history`);
  assert.deepEqual(r.json.versions.map((v: { version: number }) => v.version), [1, 2, 3]);
  r = await t.get("/api/docs?project=api");
  assert.equal(r.json.docs.length, 1);
  assert.equal(r.json.page.total, 1);
  assert.equal((await t.get("/api/docs")).json.docs[0].project.alias, "api");
  assert.equal((await t.post("/api/docs", { project: "api", title: "" })).status, 400);
  assert.equal((await t.patch(`/api/docs/${d.json.id}`, {})).status, 400);
  assert.equal((await t.del(`/api/docs/${d.json.id}`)).status, 204);
  assert.equal((await t.get(`/api/docs/${d.json.id}`)).status, 404);
  await t.close();
});

function upload(
  fields: Record<string, string>,
  file?: { name: string; data: Uint8Array | string; type?: string },
) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set("file", new File([file.data as BlobPart], file.name, { type: file.type ?? "" }));
  return f;
}

Deno.test("attachments: upload to a task or doc, list, download with a safe name, delete", async () => {
  const t = await seeded();
  const task = (await t.post("/api/tasks", { project: "api", title: "x" })).json;
  const doc = (await t.post("/api/docs", { project: "api", title: "Doc" })).json;
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  let r = await t.post(
    "/api/attachments",
    upload({ linked_type: "task", linked_id: "TASK-1" }, { name: "shot.png", data: png }),
  );
  assert.equal(r.status, 200);
  const a = r.json;
  assert.equal(a.linked_id, task.id);
  assert.equal(a.mime_type, "image/png");
  assert.equal(a.size, 7);
  r = await t.post(
    "/api/attachments",
    upload({ doc: doc.id, name: '../évil"\r\nname.html' }, {
      name: "x.html",
      data: "<script>alert(1)</script>",
    }),
  );
  assert.equal(r.status, 200);
  const html = r.json;
  assert.equal((await t.get(`/api/attachments?task_id=${task.id}`)).json.attachments.length, 1);
  assert.equal((await t.get("/api/attachments?task=TASK-1")).json.attachments.length, 1);
  r = await t.get("/api/attachments?project=api");
  assert.equal(r.json.page.total, 2);

  const res = await t.h.request(`/api/attachments/${a.id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), png);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.equal(
    res.headers.get("content-disposition"),
    `attachment; filename="shot.png"; filename*=UTF-8''shot.png`,
  );
  const inline = await t.h.request(`/api/attachments/${a.id}?inline=1`);
  assert.match(inline.headers.get("content-disposition")!, /^inline;/);
  await inline.body?.cancel();

  const h = await t.h.request(`/api/attachments/${html.id}?inline=1`);
  assert.match(
    h.headers.get("content-disposition")!,
    /^attachment; filename="[^"\r\n]*"; filename\*=UTF-8''/,
  );
  assert.equal(h.headers.get("content-security-policy"), "default-src 'none'; sandbox");
  assert.equal(h.headers.get("x-content-type-options"), "nosniff");
  await h.body?.cancel();
  assert.equal((await t.get(`/api/attachments/${a.id}/meta`)).json.name, "shot.png");
  assert.equal((await t.del(`/api/attachments/${a.id}`)).status, 204);
  assert.equal((await t.get(`/api/attachments/${a.id}`)).status, 404);
  assert.equal((await t.del(`/api/attachments/${a.id}`)).status, 404);
  await t.close();
});

Deno.test("attachment upload errors: no file, bad link, missing target, too large, not multipart", async () => {
  const t = await seeded();
  await t.post("/api/tasks", { project: "api", title: "x" });
  const file = { name: "a.txt", data: "hi" };
  let r = await t.post("/api/attachments", upload({ linked_type: "task", linked_id: "1" }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error, "file field is required");
  r = await t.post("/api/attachments", upload({ linked_type: "project", linked_id: "1" }, file));
  assert.equal(r.json.error, 'linked_type must be "task" or "doc"');
  r = await t.post("/api/attachments", upload({ linked_type: "task" }, file));
  assert.equal(r.json.error, "linked_type and linked_id are required");
  r = await t.post("/api/attachments", upload({}, file));
  assert.equal(r.status, 400);
  r = await t.post("/api/attachments", upload({ linked_type: "task", linked_id: "TASK-9" }, file));
  assert.equal(r.status, 404);
  r = await t.post("/api/attachments", { file: "x" });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /multipart/);
  const big = new Uint8Array(10 * 1024 * 1024 + 1);
  r = await t.post(
    "/api/attachments",
    upload({ linked_type: "task", linked_id: "1" }, { name: "big.bin", data: big }),
  );
  assert.equal(r.status, 413);
  const huge = new Uint8Array(11 * 1024 * 1024);
  r = await t.post(
    "/api/attachments",
    upload({ linked_type: "task", linked_id: "1" }, { name: "huge.bin", data: huge }),
  );
  assert.equal(r.status, 413);
  assert.equal((await t.get("/api/attachments")).json.page.total, 0);
  await t.close();
});

Deno.test("Content-Disposition keeps header-breaking characters out of the ASCII file name", () => {
  assert.equal(contentDisposition(""), `attachment; filename="download"; filename*=UTF-8''`);
  assert.equal(
    contentDisposition('a"b\\c\r\nd é.txt'),
    `attachment; filename="a_b_c__d _.txt"; filename*=UTF-8''a%22b%5Cc%0D%0Ad%20%C3%A9.txt`,
  );
  assert.equal(
    contentDisposition("it's (1).png", true),
    `inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`,
  );
});
