// A write landing between a page loading its data and its live stream (/api/events) being subscribed is
// shown without a reload. The window is made deterministic by holding the page's EventSource request
// (playwright routing) while the write is made.
import assert from "node:assert/strict";
import type { Page, Route } from "playwright-core";
import {
  browserTest,
  EXPECT_TIMEOUT,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  waitLive,
} from "../helpers/browser.ts";
import { addTask, call } from "../helpers/web_seed.ts";

/**
 * Holds the page's event stream request until release(); `requested` resolves once the page has asked
 * for it. With `meanwhile`, the handler runs it (a write) and then lets the request go on its own.
 */
async function holdStream(page: Page, meanwhile?: () => Promise<unknown>) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let asked!: () => void;
  const requested = new Promise<void>((r) => (asked = r));
  await page.route(/\/api\/events/, async (route: Route) => {
    asked();
    if (meanwhile) await meanwhile();
    else await released;
    await route.continue().catch(() => {}); // the page may be gone
  });
  return { requested, release };
}

browserTest({
  name: "live: a write made before the page's stream is subscribed still shows up",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb(async (cli) => {
      await cli("project", "add", "Alpha", "--alias", "alpha");
      await cli("task", "add", "-p", "alpha", "-t", "Here from the start");
    });
    const row = (page: Page, ref: string) => page.locator(`.list-body [data-ref="${ref}"]`);
    const browser = await launchBrowser();
    try {
      await t.step("written after the page drew its list, before its stream was subscribed", async () => {
        const page = await openPage(browser);
        const stream = await holdStream(page);
        await page.goto(`${srv.url}/tasks`);
        await stream.requested;
        // The list is drawn without the stream (the page stops waiting for it after a moment).
        await row(page, "TASK-1").waitFor({ timeout: EXPECT_TIMEOUT });
        await expectText(page.locator(".sidebar-foot .live"), /Connecting/);
        await addTask(srv.url, "alpha", "Written in the gap");
        stream.release();
        await waitLive(page);
        await row(page, "TASK-2").waitFor({ timeout: EXPECT_TIMEOUT });
        await screenshot(page, "live-gap-list");
        assert.deepEqual(page.errors, []);
        await page.context().close();
      });

      await t.step("written while the stream was being opened, the page still loading", async () => {
        const page = await openPage(browser);
        const stream = await holdStream(page, () => addTask(srv.url, "alpha", "Written while opening"));
        await page.goto(`${srv.url}/tasks`);
        await stream.requested;
        await waitLive(page);
        await row(page, "TASK-3").waitFor({ timeout: EXPECT_TIMEOUT });
        await row(page, "TASK-1").waitFor({ timeout: EXPECT_TIMEOUT });
        assert.deepEqual(page.errors, []);
        await page.context().close();
      });

      await t.step("a task's detail page too", async () => {
        const page = await openPage(browser);
        const stream = await holdStream(page);
        await page.goto(`${srv.url}/tasks/TASK-1`);
        await stream.requested;
        await page.locator("h1.task-title", { hasText: "Here from the start" }).waitFor({
          timeout: EXPECT_TIMEOUT,
        });
        await call(srv.url, "PATCH", "/api/tasks/TASK-1", { title: "Renamed in the gap" }, "human:dana");
        stream.release();
        await waitLive(page);
        await page.locator("h1.task-title", { hasText: "Renamed in the gap" }).waitFor({
          timeout: EXPECT_TIMEOUT,
        });
        await screenshot(page, "live-gap-detail");
        assert.deepEqual(page.errors, []);
        await page.context().close();
      });
    } finally {
      await browser.close();
    }
  },
});
