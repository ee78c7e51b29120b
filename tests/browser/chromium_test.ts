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
