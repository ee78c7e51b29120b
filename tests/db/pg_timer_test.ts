import assert from "node:assert/strict";
import { after, deadline } from "../../src/db/pg/timer.ts";

// The timers the PostgreSQL store uses on a one-shot command's path (src/db/pg/timer.ts).

Deno.test("deadline: fires once after its time while other work keeps the process alive", async () => {
  let fired = 0;
  deadline(30, () => fired++);
  // A pending timer of `after` holds the process, as a pending connect or read does for a deadline.
  await new Promise<void>((resolve) => after(200, resolve));
  assert.equal(fired, 1);
});

Deno.test("deadline: cancelled, it never fires", async () => {
  let fired = 0;
  const cancel = deadline(20, () => fired++);
  cancel();
  cancel(); // twice is harmless
  await new Promise<void>((resolve) => after(120, resolve));
  assert.equal(fired, 0);
});

Deno.test("after: cancelled, it never fires; otherwise once", async () => {
  let a = 0, b = 0;
  after(10, () => a++)();
  after(10, () => b++);
  await new Promise<void>((resolve) => after(100, resolve));
  assert.deepEqual([a, b], [0, 1]);
});
