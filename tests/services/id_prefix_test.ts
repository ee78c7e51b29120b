import assert from "node:assert/strict";
import { alice, appError, openTestApp } from "../helpers/app.ts";
import { displayId } from "../../src/domain/refs.ts";

// Things made in one burst: IDs that share their first 10 characters (the millisecond) as an import
// writes them, pinned so the test does not depend on timing.
const burstIds = () => {
  let n = 0;
  return () => `01M8Z8F0AB${String(++n).padStart(16, "0")}`;
};

Deno.test("an ID prefix shared by several is refused with the matches listed in full; one more character picks", async () => {
  const app = await openTestApp({ ids: burstIds() });
  try {
    await app.projects.create({ alias: "api", name: "API" }, alice);
    const m1 = await app.memory.add("api", "one", "", alice);
    const m2 = await app.memory.add("api", "two", "", alice);
    assert.equal(displayId(m1.id), "01M8Z8F0AB");
    assert.equal(displayId(m2.id), "01M8Z8F0AB");
    const e = await appError(async () => await app.memory.get(displayId(m1.id)));
    assert.equal(e.code, "invalid");
    assert.equal(e.message, `memory entry id prefix "01M8Z8F0AB" is ambiguous`);
    assert.equal(e.hint, `give more characters of the id: it matches ${m1.id}, ${m2.id}`);
    assert.equal((await app.memory.get(m2.id.toLowerCase())).body, "two");
    assert.equal((await app.memory.get(m1.id)).body, "one");
  } finally {
    await app.close();
  }
});

Deno.test("IDs made in different milliseconds differ in the 10 characters tables show", async () => {
  let now = 1_796_000_000_000_000_000; // ns
  const app = await openTestApp({ clock: () => (now += 1e6) }); // one millisecond apart
  try {
    await app.projects.create({ alias: "api", name: "API" }, alice);
    const a = await app.memory.add("api", "a", "", alice);
    const b = await app.memory.add("api", "b", "", alice);
    assert.equal(a.id.slice(0, 8), b.id.slice(0, 8)); // the original's 8 could not tell them apart
    assert.notEqual(displayId(a.id), displayId(b.id));
    assert.equal((await app.memory.get(displayId(a.id))).body, "a");
    assert.equal((await app.memory.get(displayId(b.id))).body, "b");
  } finally {
    await app.close();
  }
});
