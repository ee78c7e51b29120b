// The other pages in headless Chromium: Docs, Plans, Memory, Attachments, Projects, Activity, the
// theme toggle, and a screenshot of each page in light and dark.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  browserTest,
  expectPoll,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  waitLive,
  type WebServer,
} from "../helpers/browser.ts";

async function seed(cli: WebServer["cli"]): Promise<void> {
  await cli("project", "add", "Alpha service", "--alias", "alpha", "--description", "Login and accounts");
  await cli("project", "add", "Beta", "--alias", "beta");
  await cli(
    "task",
    "add",
    "-p",
    "alpha",
    "-t",
    "Fix login timeout",
    "--type",
    "bug",
    "--priority",
    "P1",
    "--label",
    "auth",
  );
  await cli(
    "task",
    "add",
    "-p",
    "beta",
    "-t",
    "Write onboarding docs",
    "--type",
    "chore",
    "--status",
    "doing",
  );
  await cli(
    "plan",
    "add",
    "--task",
    "TASK-1",
    "--title",
    "Raise the cookie lifetime",
    "--content",
    "1. find it\n2. fix it",
  );
  await cli("memory", "add", "-p", "alpha", "Sessions live in **redis**", "--tag", "infra,auth");
  await cli(
    "doc",
    "add",
    "-p",
    "alpha",
    "--title",
    "Architecture",
    "--content",
    "# Overview\n\nThe API talks to `redis`.",
  );
}

browserTest({
  name: "docs, plans, memory, attachments, projects and activity pages work and have screenshots",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb(seed);
    const browser = await launchBrowser();
    const page = await openPage(browser);
    const go = async (path: string) => {
      await page.goto(`${srv.url}${path}`);
      await page.locator("main .page").waitFor();
      await page.waitForLoadState("networkidle").catch(() => {});
    };
    try {
      await t.step("docs: read, create with n, edit into v2, delete after confirming", async () => {
        await go("/docs");
        await page.getByRole("button", { name: /Architecture/ }).click();
        await page.locator(".doc-body h1", { hasText: "Overview" }).waitFor();
        await screenshot(page, "docs");
        await page.locator("body").click({ position: { x: 5, y: 500 } });
        await page.keyboard.press("n");
        await page.locator("input[name=title]").fill("Runbook");
        await page.getByRole("textbox", { name: "Body" }).fill("Restart **everything**.");
        await page.keyboard.press("Control+Enter");
        await page.locator(".doc-body strong", { hasText: "everything" }).waitFor();
        await page.getByRole("button", { name: "Edit", exact: true }).click();
        await page.getByRole("textbox", { name: "Body" }).fill("Restart the API only.");
        await page.locator("input[name=change_note]").fill("narrower");
        await page.keyboard.press("Control+Enter");
        await page.locator(".doc-head", { hasText: "v2" }).waitFor();
        // The edit's live event reloads the reader 150 ms later; a delete sent in that instant races the
        // reload, which then gets a 404 (the reader closes either way). Nothing else may fail here.
        page.expectConsoleError(/status of 404 \(Not Found\) \(http:\/\/[^)]*\/api\/docs\/[0-9A-Z]{26}\)$/);
        await page.getByRole("button", { name: "Delete", exact: true }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
        await page.getByRole("button", { name: /Runbook/ }).waitFor({ state: "detached" });
        const docs = await srv.json<{ docs: { title: string }[] }>("doc", "list");
        assert.deepEqual(docs.docs.map((d) => d.title), ["Architecture"]);
      });

      await t.step("plans: the index lists the task's plan with its version", async () => {
        await go("/plans");
        const row = page.locator("tbody tr", { hasText: "Raise the cookie lifetime" });
        await expectText(row, /TASK-1.*v1/s);
        await screenshot(page, "plans");
      });

      await t.step("memory: tag chips filter, a new entry is added and one is appended to", async () => {
        await go("/memory");
        await page.locator(".memory strong", { hasText: "redis" }).waitFor();
        await page.getByRole("button", { name: "#infra" }).click();
        await page.locator(".subtitle", { hasText: 'tagged "infra"' }).waitFor();
        await page.getByRole("button", { name: "Clear tag" }).click();
        await page.getByRole("button", { name: /New memory/ }).click();
        await page.getByRole("textbox", { name: "Body" }).fill("Deploys happen on Tuesdays");
        await page.locator("input[name=tags]").fill("process");
        await page.keyboard.press("Control+Enter");
        await page.locator(".memory", { hasText: "Deploys happen on Tuesdays" }).waitFor();
        await page.locator(".memory", { hasText: "redis" }).getByRole("button", { name: "Append" }).click();
        await page.getByRole("textbox", { name: "Text to append" }).fill("and in memcached for tests");
        await page.keyboard.press("Control+Enter");
        await page.locator(".memory", { hasText: "memcached" }).waitFor();
        await screenshot(page, "memory");
      });

      await t.step("attachments: upload from the page, listed with its task", async () => {
        await go("/attachments");
        await page.getByRole("button", { name: /Upload/ }).click();
        await page.locator("select[name=project]").selectOption("alpha");
        await page.locator("select[name=target] option").first().waitFor({ state: "attached" });
        await page.locator("input[name=file]").setInputFiles({
          name: "release notes.txt",
          mimeType: "text/plain",
          buffer: Buffer.from("hello"),
        });
        await page.getByRole("dialog").getByRole("button", { name: "Upload" }).click();
        const row = page.locator("tbody tr", { hasText: "release notes.txt" });
        await expectText(row, /TASK-1/);
        await screenshot(page, "attachments");
      });

      await t.step("projects: create one, it appears in the project selector", async () => {
        await go("/projects");
        await page.getByRole("button", { name: /New project/ }).click();
        await page.locator("input[name=alias]").fill("gamma");
        await page.locator("input[name=name]").fill("Gamma");
        await page.keyboard.press("Control+Enter");
        await page.locator("tbody tr", { hasText: "gamma" }).waitFor();
        await page.locator('.project-select option[value="gamma"]').waitFor({ state: "attached" });
        await screenshot(page, "projects");
      });

      await t.step("activity: events grouped by day, filtered by kind, updated live", async () => {
        await go("/activity");
        await page.locator(".activity-rows li").first().waitFor();
        await page.getByLabel("Kind").selectOption("memory");
        await page.waitForFunction(() =>
          [...document.querySelectorAll(".activity-rows .badge")].every((b) => b.textContent === "memory")
        );
        await page.getByLabel("Kind").selectOption("");
        await waitLive(page);
        await srv.cli("comment", "add", "Seen live", "--task", "TASK-2");
        await page.locator(".activity-rows li", { hasText: /comment/ }).first().waitFor({ timeout: 5000 });
        await expectText(page.getByTestId("cli-command"), /^backlog activity/);
        await screenshot(page, "activity");
      });

      await t.step("the project selector scopes the task list and the CLI bar", async () => {
        await go("/tasks");
        await page.getByLabel("Project").first().selectOption("beta");
        await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 1);
        await expectText(page.getByTestId("cli-command"), /--project beta/);
        await page.getByLabel("Project").first().selectOption("");
      });

      await t.step("the theme toggle switches to dark; every page has a dark screenshot", async () => {
        await go("/tasks");
        await page.getByRole("button", { name: /Auto/ }).click(); // system → light
        await page.getByRole("button", { name: /Light/ }).click(); // light → dark
        // The theme is applied by an effect after the click's re-render: wait for it, bounded.
        await expectPoll(
          () =>
            page.evaluate(() => [
              document.documentElement.dataset.theme,
              getComputedStyle(document.body).backgroundColor,
            ]),
          ["dark", "rgb(25, 25, 25)"],
          { message: "the theme and the page's background" },
        );
        for (const p of ["/tasks", "/tasks?view=board", "/tasks/TASK-1", "/docs", "/memory", "/activity"]) {
          await go(p);
          await page.waitForTimeout(300);
          await screenshot(page, `dark-${p.slice(1).replace(/[^a-z0-9]+/gi, "-")}`);
        }
      });

      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
