// The one visible line of a run without Chromium: browser tests then register nothing (browserTest).
import assert from "node:assert/strict";
import {
  browserTest,
  expectPoll,
  launchBrowser,
  openPage,
  SKIP_BROWSER,
  SKIP_LINE,
} from "../helpers/browser.ts";

if (SKIP_BROWSER) Deno.test({ name: SKIP_LINE, ignore: true, fn() {} });

browserTest({
  name: "openPage fails a test on a console error",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      await page.goto("data:text/html,<p>hi</p><script>console.error('boom')</script>");
      // The console event comes over its own channel: it may land after the page is drawn.
      await expectPoll(() => page.errors.length, 1, { message: "errors recorded" });
      assert.match(page.errors[0], /^console error: boom/);
    } finally {
      await browser.close();
    }
  },
});

Deno.test("expectPoll returns once the value comes, and fails in bounded time when it never does", async () => {
  let n = 0;
  assert.equal(await expectPoll(() => ++n, (v) => v >= 3), 3);
  assert.equal(await expectPoll(() => "3 tasks", /^3 tasks$/), "3 tasks");
  const never = await expectPoll(() => 1, 2, { timeout: 200, message: "count of rows" }).catch((e) => e);
  assert.ok(never instanceof assert.AssertionError);
  assert.match(never.message, /^count of rows: wanted 2 within 200 ms; the last read gave 1$/);
  // A read that never settles (a locator waiting for an element that never comes) is cut off too.
  const hung = await expectPoll(() => new Promise<number>(() => {}), 1, { timeout: 200 }).catch((e) => e);
  assert.match(hung.message, /within 200 ms; the last read failed: the read itself did not finish/);
});
