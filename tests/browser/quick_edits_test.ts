// Quick successive edits of one task in headless Chromium: the second edit, made while the first one's
// answer is still on its way and before the page has refreshed the task, waits for that answer and
// carries the version it returned (no 409 on the user's own edit), on the detail page, the grid and the
// board. A write by someone else in between is still reported as a conflict, and not overwritten.
import assert from "node:assert/strict";
import type { Page, Route } from "playwright-core";
import type { Task } from "../../src/domain/models.ts";
import {
  browserTest,
  expectPoll,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  waitLive,
} from "../helpers/browser.ts";
import { call } from "../helpers/web_seed.ts";

/**
 * Slows the page's next write of a task down, the way a loaded server or network would: the first PATCH
 * whose path matches `write` reaches the server at once, but its answer is held (`applied` resolves once
 * the server has answered), and every GET whose path matches `read` (the page refreshing the task) waits
 * before it is sent, all until release().
 */
async function holdAnswer(page: Page, write: RegExp, read: RegExp) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let applied!: () => void;
  const answered = new Promise<void>((r) => (applied = r));
  let held = false;
  let active = true;
  await page.route(/\/api\//, async (route: Route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    if (active && !held && req.method() === "PATCH" && write.test(path)) {
      held = true;
      const res = await route.fetch();
      applied();
      await released;
      await route.fulfill({ response: res }).catch(() => {}); // the page may be gone
    } else if (active && req.method() === "GET" && read.test(path)) {
      await released;
      await route.continue().catch(() => {});
    } else await route.fallback();
  });
  return {
    applied: answered,
    release: () => {
      active = false;
      release();
    },
  };
}

browserTest({
  name: "quick edits: a second edit waits for the first's answer; someone else's write is a conflict",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb(async (cli) => {
      await cli("project", "add", "Alpha", "--alias", "alpha");
      for (const title of ["Detail edits", "Grid edits", "Board moves"]) {
        await cli("task", "add", "-p", "alpha", "-t", title, "--priority", "P3");
      }
    });
    const show = (ref: string) => srv.json<Task>("task", "show", ref);
    const browser = await launchBrowser();
    const page = await openPage(browser);
    try {
      await t.step("task detail: status then priority, the first answer still held", async () => {
        await page.goto(`${srv.url}/tasks/TASK-1`);
        await waitLive(page);
        const version = page.locator(".props .prop", { hasText: "Version" }).locator(".prop-value");
        await expectText(version, "v1");
        const hold = await holdAnswer(page, /^\/api\/tasks\/TASK-1\//, /^\/api\/tasks\/TASK-1$/);
        await page.getByLabel("Status", { exact: true }).selectOption("doing");
        await hold.applied; // the server is at v2; the page does not know yet
        await page.getByLabel("Priority", { exact: true }).selectOption("1");
        hold.release();
        await expectText(version, "v3");
        const task = await show("TASK-1");
        assert.equal(task.status, "doing");
        assert.equal(task.priority, 1);
        assert.equal(task.version, 3);
        await screenshot(page, "quick-edits-detail");
      });

      await t.step("task detail: a write by someone else in between is shown as a conflict", async () => {
        const hold = await holdAnswer(page, /^\/api\/tasks\/TASK-1\//, /^\/api\/tasks\/TASK-1$/);
        await page.getByLabel("Status", { exact: true }).selectOption("done");
        await hold.applied; // v4, the page's own write
        await call(srv.url, "PATCH", "/api/tasks/TASK-1", { title: "Renamed elsewhere" }, "human:dana");
        page.expectConsoleError(/status of 409/);
        await page.getByLabel("Priority", { exact: true }).selectOption("2");
        hold.release();
        await page.locator(".toast.error", { hasText: "TASK-1 changed elsewhere; reloaded" }).waitFor({
          timeout: 10_000,
        });
        await page.locator("h1.task-title", { hasText: "Renamed elsewhere" }).waitFor({ timeout: 10_000 });
        await screenshot(page, "quick-edits-conflict");
        const task = await show("TASK-1");
        assert.equal(task.title, "Renamed elsewhere");
        assert.equal(task.status, "done");
        assert.equal(task.priority, 1, "the stale edit was refused, not written over the other one");
        assert.equal(task.version, 5);
        const conflicts = page.errors.splice(0).filter((e) => !/status of 409/.test(e));
        assert.deepEqual(conflicts, []);
      });

      await t.step("grid: two edits of one row in a row", async () => {
        await page.goto(`${srv.url}/tasks`);
        await page.getByRole("tab", { name: "Grid" }).click();
        await page.getByLabel("Status of TASK-2").waitFor();
        await waitLive(page);
        const hold = await holdAnswer(page, /^\/api\/tasks\/TASK-2/, /^\/api\/tasks$/);
        await page.getByLabel("Status of TASK-2").selectOption("doing");
        await hold.applied;
        await page.getByLabel("Priority of TASK-2").selectOption("1");
        hold.release();
        // The second edit lands once the first one's answer is in: the row shows both, at v3.
        await expectPoll(() => page.getByLabel("Priority of TASK-2").inputValue(), "1");
        const task = await expectPoll(() => show("TASK-2"), (x) => x.version === 3);
        assert.equal(task.status, "doing");
        assert.equal(task.priority, 1);
        await expectPoll(() => page.getByLabel("Status of TASK-2").inputValue(), "doing");
        await screenshot(page, "quick-edits-grid");
      });

      await t.step("board: two moves of one card in a row", async () => {
        await page.getByRole("tab", { name: "Board" }).click();
        const card = page.locator('[data-column="todo"] .card[data-ref="TASK-3"]');
        await card.waitFor();
        const hold = await holdAnswer(page, /^\/api\/tasks\/TASK-3\//, /^\/api\/tasks$/);
        await card.getByRole("button", { name: "→ Doing" }).click();
        await hold.applied;
        await card.getByRole("button", { name: "→ Done" }).click();
        hold.release();
        await page.locator('[data-column="done"] .card[data-ref="TASK-3"]').waitFor({ timeout: 10_000 });
        const task = await expectPoll(() => show("TASK-3"), (x) => x.version === 3);
        assert.equal(task.status, "done");
        await screenshot(page, "quick-edits-board");
      });
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
