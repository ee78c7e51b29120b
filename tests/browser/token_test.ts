// With `backlog web --token`, the UI takes the token from the printed URL (#token=…) and uses it for
// API calls, the live stream and file links, while the API refuses requests without it.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  browserTest,
  expectPoll,
  launchBrowser,
  openPage,
  startWeb,
  waitLive,
  type WebServer,
} from "../helpers/browser.ts";

async function seed(cli: WebServer["cli"]): Promise<void> {
  await cli("project", "add", "Alpha", "--alias", "alpha");
  await cli("task", "add", "-p", "alpha", "-t", "Behind a token");
}

browserTest({
  name: "with a token the UI authenticates from #token=, live updates and file links included",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using srv = await startWeb(seed, { token: "s3cret-token" });
    assert.equal(
      await fetch(`${srv.url}/api/tasks`).then(async (r) => (await r.body?.cancel(), r.status)),
      401,
    );
    const browser = await launchBrowser();
    const page = await openPage(browser);
    try {
      await page.goto(`${srv.url}/tasks#token=s3cret-token`);
      await page.locator('.list-body [data-ref="TASK-1"]').waitFor();
      await expectPoll(() => new URL(page.url()).hash, "", { message: "the URL's hash" });
      // `.live.live` matched "live connecting" too: wait until the stream is really subscribed.
      await waitLive(page);
      await srv.cli("task", "add", "-p", "alpha", "-t", "Also live");
      await page.getByText("Also live").waitFor({ timeout: 5000 });
      await page.goto(`${srv.url}/tasks/TASK-1`);
      await page.getByLabel("Upload files").setInputFiles({
        name: "a.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("hi"),
      });
      const link = page.locator('.files [data-file="a.txt"]').getByRole("link", { name: "Download" });
      await link.waitFor();
      const href = await link.getAttribute("href");
      const status = await page.evaluate((u) => fetch(u).then((r) => r.status), href!);
      assert.equal(status, 200);
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
