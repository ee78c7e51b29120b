// A fixed project history for the report tests and golden files: a settable clock and
// deterministic IDs make every number and ID in the reports reproducible.
import type { App } from "../../src/app.ts";
import { alice, bot, openTestApp } from "../helpers/app.ts";

export const T0 = Date.UTC(2026, 2, 1); // 2026-03-01T00:00:00Z, in ms
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encode(n: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    s = CROCKFORD[n % 32] + s;
    n = Math.floor(n / 32);
  }
  return s;
}

/** An app whose clock reads `at` (ms; +32 µs per call so rows stay ordered) and whose IDs are ULID-shaped counters. */
export async function scenarioApp(): Promise<{ app: App; at(ms: number): void }> {
  let ms = T0;
  let tick = 0;
  let n = 0;
  // 32 µs steps keep every value an exact double (see systemClock).
  const clock = () => ms * 1_000_000 + (tick++) * 32_000;
  const ids = () => encode(ms, 10) + encode(++n, 16);
  const app = await openTestApp({ clock, ids });
  return {
    app,
    at(t: number) {
      ms = t;
      tick = 0;
    },
  };
}

/** Builds the history; the report "now" is T0 + 10 days. */
export async function buildScenario(): Promise<App> {
  const { app, at } = await scenarioApp();
  at(T0);
  await app.projects.create({ alias: "api", name: "API" }, alice);
  await app.projects.create({ alias: "web", name: "Web" }, alice);
  const t1 = await app.tasks.create(
    { project: "api", title: "Login times out", type: "bug", labels: ["auth"] },
    alice,
  );
  at(T0 + MIN);
  const t2 = await app.tasks.create({ project: "api", title: "Write docs" }, bot);
  at(T0 + 2 * MIN);
  const t3 = await app.tasks.create({ project: "api", title: "Flaky test", type: "chore" }, bot);
  at(T0 + 3 * MIN);
  const t4 = await app.tasks.create(
    { project: "api", title: "Refactor session store", type: "feature" },
    bot,
  );
  at(T0 + 4 * MIN);
  const t5 = await app.tasks.create({ project: "api", title: "Final audit", priority: 1 }, alice);
  at(T0 + 5 * MIN);
  const t6 = await app.tasks.create({ project: "api", title: "Old idea", type: "spike", priority: 5 }, alice);
  at(T0 + 6 * MIN);
  const gone = await app.tasks.create({ project: "api", title: "Archived", type: "bug" }, alice);
  await app.tasks.archive(gone.ref, alice);
  await app.tasks.create({ project: "web", title: "Other project" }, alice);

  at(T0 + HOUR);
  await app.tasks.move(t1.ref, "doing", bot);
  at(T0 + 2 * HOUR);
  await app.tasks.move(t2.ref, "done", alice);
  at(T0 + 3 * HOUR);
  await app.tasks.move(t1.ref, "done", bot);
  await app.comments.add(t1.ref, "Fixed and tested on staging", bot);
  await app.comments.add(t1.ref, "LGTM", alice);
  await app.comments.add(t1.ref, "LGTM", alice);

  at(T0 + DAY);
  await app.tasks.move(t3.ref, "doing", bot);
  at(T0 + DAY + 2 * HOUR);
  await app.tasks.move(t3.ref, "done", bot);
  at(T0 + 2 * DAY);
  await app.tasks.move(t3.ref, "doing", alice);

  at(T0 + 4 * DAY);
  await app.tasks.move(t4.ref, "doing", bot);
  await app.plans.create({ task_id: t4.ref, title: "Approach", body: "one" }, bot);
  await app.plans.create({ task_id: t4.ref, title: "approach", body: "two" }, bot);

  at(T0 + 6 * DAY);
  await app.labels.create("api", "Auth", undefined, alice);
  await app.labels.attach(t6.ref, "Auth", alice);
  at(T0 + 6 * DAY + MIN);
  await app.labels.detach(t6.ref, "Auth", bot);
  at(T0 + 6 * DAY + 2 * MIN);
  await app.labels.attach(t6.ref, "Auth", bot);

  at(T0 + 8 * DAY);
  await app.tasks.move(t5.ref, "done", alice);
  await app.comments.add(t5.ref, "Verified every item", alice);
  at(T0 + 9 * DAY);
  await app.tasks.create({ project: "api", title: "New bug", type: "bug" }, bot);

  at(T0 + 10 * DAY);
  return app;
}
