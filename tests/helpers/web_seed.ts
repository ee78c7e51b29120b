// Seeding for browser tests: HTTP calls against the running `backlog web`, each as a chosen actor
// (X-Backlog-Actor), so agents can claim, renew and finish tasks as themselves; and bulk tasks in-process.
import type { Page } from "playwright-core";
import { openApp } from "../../src/app.ts";

/** Calls the API as `actor`; throws with the server's message on a non-2xx answer. */
export async function call<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  actor = "human:seed",
): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: { "Content-Type": "application/json", "X-Backlog-Actor": actor },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** A task in `project`; returns its ref. */
export async function addTask(
  url: string,
  project: string,
  title: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const t = await call<{ ref: string }>(url, "POST", "/api/tasks", { project, title, ...extra });
  return t.ref;
}

/** Waits (bounded) until `fn` in the page returns true: for state the UI reaches after a live event. */
export async function until(page: Page, fn: () => boolean, timeout = 10_000): Promise<void> {
  await page.waitForFunction(fn, undefined, { timeout });
}

/** A due date `days` from today as YYYY-MM-DD (UTC). */
export const dayFromNow = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * `n` tasks titled "Bulk task i" in a new project, written in-process in one transaction (for
 * startWeb's `prepare`: a CLI call per task would take minutes). `status(i)` picks each one's status.
 */
export async function seedBulk(
  dbPath: string,
  alias: string,
  n: number,
  status?: (i: number) => "todo" | "done",
) {
  const app = await openApp({ dbPath });
  const actor = { kind: "ai", name: "seed" } as const;
  await app.projects.create({ alias, name: alias[0].toUpperCase() + alias.slice(1) }, actor);
  await app.db.tx(async () => {
    for (let i = 0; i < n; i++) {
      await app.tasks.create(
        { project: alias, title: `Bulk task ${i}`, status: status?.(i) ?? "todo" },
        actor,
      );
    }
  });
  await app.close();
}

/** Polls `check` every 100 ms until it is true; throws naming `what` after `timeout` ms. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeout = 10_000,
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
