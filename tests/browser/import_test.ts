// The Projects page's Import… dialog: preview (dry run) first, nothing written, then the import.
import assert from "node:assert/strict";
import {
  browserTest,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
} from "../helpers/browser.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;

browserTest({
  name: "Import…: a Backlog.md folder and a tasks.json are previewed, then imported on confirmation",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using srv = await startWeb();
    const browser = await launchBrowser();
    const page = await openPage(browser);
    try {
      await page.goto(`${srv.url}/projects`);
      await page.locator("main .page").waitFor();
      await page.getByRole("button", { name: "Import…" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.locator("input[name=import-folder]").setInputFiles(`${FIX}backlogmd`);
      await dialog.getByRole("button", { name: "Preview" }).click();
      const report = dialog.locator(".import-report");
      await expectText(report, /backlog\.md into project fixture-project \(new\)/);
      await expectText(report.locator("tr", { hasText: "tasks" }), /tasks6000/);
      await screenshot(page, "import-preview");
      const before = await srv.json<{ projects: unknown[] }>("project", "list");
      assert.equal(before.projects.length, 0, "the preview wrote nothing");
      await dialog.getByRole("button", { name: "Import", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      await page.locator("tbody tr", { hasText: "fixture-project" }).waitFor();
      const tasks = await srv.json<{ tasks: unknown[] }>("task", "list", "-p", "fixture-project");
      assert.equal(tasks.tasks.length, 5, "six imported, one archived");

      // A single file into a chosen project; changing the file drops the old preview.
      await page.getByRole("button", { name: "Import…" }).click();
      await dialog.locator("input[name=import-file]").setInputFiles(`${FIX}taskmaster/tasks.json`);
      await dialog.locator("select[name=import-project]").selectOption("fixture-project");
      await dialog.getByRole("button", { name: "Preview" }).click();
      await expectText(report, /taskmaster into project fixture-project\./);
      await dialog.getByRole("button", { name: "Import", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      const all = await srv.json<{ page: { total: number } }>("task", "list", "-p", "fixture-project");
      assert.equal(all.page.total, 14);
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
