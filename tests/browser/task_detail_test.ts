// The task detail page in headless Chromium: inline title, properties, labels, description,
// plans with versions, comments, attachments (upload, preview, download) and activity.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { labelNames, type Task } from "../../src/domain/models.ts";
import {
  browserTest,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  type WebServer,
} from "../helpers/browser.ts";

// A 2×2 PNG (red, green / blue, white).
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC",
  "base64",
);

async function seed(cli: WebServer["cli"]): Promise<void> {
  await cli("project", "add", "Alpha service", "--alias", "alpha");
  await cli(
    "task",
    "add",
    "-p",
    "alpha",
    "-t",
    "Fix login timeout",
    "--type",
    "bug",
    "--label",
    "auth",
    "-d",
    "Users are **logged out** after 5 minutes.\n\n<script>window.__xss = 1</script>\n\n[bad](javascript:alert(1))",
  );
}

browserTest({
  name: "task detail: title, properties, labels, description, plans, comments, files and activity work",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb(seed);
    const browser = await launchBrowser();
    const page = await openPage(browser);
    const show = () => srv.json<Task>("task", "show", "TASK-1");
    try {
      await page.goto(`${srv.url}/tasks/TASK-1`);
      await page.locator("h1.task-title").waitFor();

      await t.step("markdown renders, raw HTML and javascript: links do not", async () => {
        const md = page.locator(".detail-main .md").first();
        await expectText(md.locator("strong"), "logged out");
        assert.equal(await md.locator("script").count(), 0);
        await expectText(md, /<script>window.__xss = 1<\/script>/);
        assert.equal(await md.locator("a").count(), 0);
        assert.equal(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined);
      });

      await t.step("clicking the title edits it inline: Enter saves, Escape cancels", async () => {
        await page.locator("h1.task-title").click();
        await page.getByLabel("Title", { exact: true }).fill("Fix the login timeout");
        await page.keyboard.press("Enter");
        await page.locator("h1.task-title", { hasText: "Fix the login timeout" }).waitFor();
        assert.equal((await show()).title, "Fix the login timeout");
        await page.locator("h1.task-title").click();
        await page.getByLabel("Title", { exact: true }).fill("This edit is abandoned");
        await page.keyboard.press("Escape");
        await page.locator("h1.task-title", { hasText: "Fix the login timeout" }).waitFor();
        await page.waitForTimeout(300);
        assert.equal((await show()).title, "Fix the login timeout");
      });

      await t.step("the properties panel changes status, priority and assignee", async () => {
        // Each edit carries the version the page holds: the next one waits until the page has the task
        // the last one saved (the server having it is not enough; the page may not have the answer yet).
        const version = page.locator(".props .prop", { hasText: "Version" }).locator(".prop-value");
        const saved = async (edit: () => Promise<unknown>) => {
          const v = Number((await expectText(version, /^v\d+$/)).slice(1));
          await edit();
          await expectText(version, `v${v + 1}`);
        };
        await saved(() => page.getByLabel("Status", { exact: true }).selectOption("doing"));
        await saved(() => page.getByLabel("Priority", { exact: true }).selectOption("1"));
        const assignee = page.getByLabel("Assignee", { exact: true });
        await saved(async () => {
          await assignee.fill("dana");
          await assignee.press("Enter");
        });
        const task = await show();
        assert.equal(task.status, "doing");
        assert.equal(task.priority, 1);
        assert.equal(task.assignee, "dana");
      });

      await t.step("labels are added and removed", async () => {
        await page.getByRole("button", { name: "+ Label" }).click();
        await page.getByLabel("Label name").fill("frontend");
        await page.getByLabel("Label name").press("Enter");
        await page.locator(".props .pill", { hasText: "frontend" }).waitFor();
        assert.deepEqual(labelNames(await show()).sort(), ["auth", "frontend"]);
        await page.getByRole("button", { name: "Remove label auth" }).click();
        await page.locator(".props .pill", { hasText: "auth" }).waitFor({ state: "detached" });
        assert.deepEqual(labelNames(await show()), ["frontend"]);
      });

      await t.step("the description is edited in place and Ctrl+Enter saves", async () => {
        await page.locator(".block", { hasText: "Description" }).getByRole("button", { name: "Edit" })
          .click();
        await page.getByRole("textbox", { name: "Description" }).fill("Now with a list:\n\n- one\n- two");
        await page.keyboard.press("Control+Enter");
        await page.locator(".detail-main .md li", { hasText: "two" }).waitFor();
        assert.match((await show()).description, /- two/);
      });

      await t.step("a plan is added, edited into v2, and its history lists both versions", async () => {
        await page.getByRole("button", { name: "+ Add plan" }).click();
        await page.locator("input[name=title]").fill("Raise the cookie lifetime");
        await page.getByRole("textbox", { name: "Body" }).fill("1. find the config\n2. raise maxAge");
        await page.keyboard.press("Control+Enter");
        const plan = page.locator(".plan", { hasText: "Raise the cookie lifetime" });
        await expectText(plan, /v1/);
        await plan.getByRole("button", { name: "Edit" }).click();
        await page.getByRole("textbox", { name: "Body" }).fill(
          "1. find the config\n2. raise maxAge\n3. test it",
        );
        await page.locator("input[name=change_note]").fill("add a test step");
        await page.getByRole("button", { name: "Save" }).click();
        await plan.locator(".badge", { hasText: "v2" }).waitFor();
        await plan.getByRole("button", { name: "History" }).click();
        const dialog = page.getByRole("dialog");
        await dialog.locator(".history li").nth(1).waitFor();
        await expectText(dialog, /add a test step/);
        await screenshot(page, "task-plan-history");
        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "detached" });
      });

      await t.step("a comment is posted with Ctrl+Enter", async () => {
        const box = page.getByLabel("New comment");
        await box.fill("Reproduced on **staging**.");
        await box.press("Control+Enter");
        await page.locator(".comment strong", { hasText: "staging" }).waitFor();
        assert.equal((await show()).comments?.[0]?.body, "Reproduced on **staging**.");
      });

      await t.step("an image is uploaded, previewed and offered for download", async () => {
        await page.getByLabel("Upload files").setInputFiles({
          name: "screen.png",
          mimeType: "image/png",
          buffer: PNG,
        });
        const file = page.locator('.files [data-file="screen.png"]');
        await file.waitFor();
        const href = await file.getByRole("link", { name: "Download" }).getAttribute("href");
        assert.ok(href?.startsWith("/api/attachments/"));
        const res = await page.evaluate(async (u) => {
          const r = await fetch(u);
          return {
            status: r.status,
            type: r.headers.get("content-type"),
            size: (await r.arrayBuffer()).byteLength,
          };
        }, href!);
        assert.deepEqual(res, { status: 200, type: "image/png", size: PNG.length });
        await file.getByRole("button", { name: "screen.png" }).click();
        const img = page.getByRole("dialog").locator("img");
        await img.waitFor();
        await page.waitForFunction(() => {
          const i = document.querySelector<HTMLImageElement>(".preview img");
          return !!i && i.complete && i.naturalWidth === 2;
        });
        await page.keyboard.press("Escape");
      });

      await t.step("the activity section lists this task's history", async () => {
        await page.reload();
        await page.locator(".activity-list li").nth(2).waitFor();
        await expectText(page.locator(".activity-list"), /created/);
        await expectText(page.locator(".activity-list"), /status_changed|doing/);
        await screenshot(page, "task-detail");
      });

      await t.step("the CLI bar shows the equivalent command", async () => {
        await expectText(page.getByTestId("cli-command"), "backlog task show TASK-1 --json");
      });

      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
