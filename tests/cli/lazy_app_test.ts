// The CLI opens a lazy app (src/app.ts `lazy`): each service is a stand-in that builds the real one on
// the first call of any of its methods. That is invisible only while every public member of a service
// is an async method, and a lazy app must answer exactly as an eager one does.
import assert from "node:assert/strict";
import { openApp, SERVICE_NAMES } from "../../src/app.ts";
import { fixedClock, freshDb } from "../helpers/app.ts";
import type { Actor } from "../../src/domain/actor.ts";

const SERVICES = new URL("../../src/services/", import.meta.url);

Deno.test("every public member of every service is an async method (a lazy stand-in forwards calls)", async () => {
  const problems: string[] = [];
  let classes = 0;
  for (const e of Deno.readDirSync(SERVICES)) {
    if (!e.isFile || !e.name.endsWith(".ts")) continue;
    const mod = await import(new URL(e.name, SERVICES).href);
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== "function" || !/Service$|^TaskReader$/.test(name)) continue;
      classes++;
      for (
        let proto = value.prototype;
        proto && proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto)
      ) {
        for (const key of Object.getOwnPropertyNames(proto)) {
          if (key === "constructor") continue;
          const d = Object.getOwnPropertyDescriptor(proto, key)!;
          if (typeof d.value !== "function" || d.value.constructor.name !== "AsyncFunction") {
            problems.push(`${e.name}: ${name}.${key} is not an async method`);
          }
        }
      }
    }
  }
  assert.ok(classes >= SERVICE_NAMES.length, `found ${classes} service classes`);
  assert.deepEqual(problems, []);
});

const ai: Actor = { kind: "ai", name: "bot" };

/** One sequence of calls across services; IDs and tokens replaced so two runs compare. */
async function script(lazy: boolean): Promise<string> {
  const db = await freshDb();
  const app = await openApp({ dbPath: db.path, clock: fixedClock(), lazy });
  try {
    const out: unknown[] = [];
    out.push(await app.projects.create({ alias: "api", name: "API" }, ai));
    const a = await app.tasks.create({ project: "api", title: "first", labels: ["x"] }, ai);
    const b = await app.tasks.create({ project: "api", title: "second" }, ai);
    out.push(a, b, await app.deps.add(b.ref, a.ref, ai));
    out.push(await app.claims.claim(a.ref, {}, ai), await app.tasks.list({ project: "api" }));
    out.push(await app.tasks.show(b.ref), await app.labels.list("api"));
    out.push(await app.tasks.show("TASK-404").catch((e) => `${e.code}: ${e.message}`));
    return JSON.stringify(out).replace(/"[0-9A-HJKMNP-TV-Z]{26}"/g, '"<ulid>"').replace(
      /"[0-9a-f]{32,}"/g,
      '"<tok>"',
    );
  } finally {
    await app.close();
    await db.drop();
  }
}

Deno.test("a lazy app answers exactly as an eager one", async () => {
  assert.equal(await script(true), await script(false));
});
