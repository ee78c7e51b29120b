// The Tasks page in headless Chromium against a real `backlog web`: list, filters, dialog, board,
// grid, timeline, live updates from the CLI, and a script-shaped title rendered as text.
import assert from "node:assert/strict";
import type { Task } from "../../src/domain/models.ts";
import {
  browserTest,
  expectCount,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  waitLive,
  type WebServer,
} from "../helpers/browser.ts";
import { seedBulk } from "../helpers/web_seed.ts";

const XSS = `<img src=x onerror="window.__xss=1">`;

async function seed(cli: WebServer["cli"]): Promise<void> {
  await cli("project", "add", "Alpha service", "--alias", "alpha", "--description", "The first one");
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
  await cli("task", "add", "-p", "alpha", "-t", XSS);
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
    "task",
    "add",
    "-p",
    "beta",
    "-t",
    "Ship dark mode",
    "--type",
    "feature",
    "--status",
    "done",
    "--priority",
    "P2",
  );
}

browserTest({
  name:
    "tasks page: list, filters, new-task dialog, board, grid, timeline and live updates work in a browser",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb(seed);
    const browser = await launchBrowser();
    const page = await openPage(browser);
    const row = (ref: string) => page.locator(`.list-body [data-ref="${ref}"]`);
    const show = (ref: string) => srv.json<Task>("task", "show", ref);
    try {
      await t.step("the list shows every task and renders a script-shaped title as text", async () => {
        await page.goto(`${srv.url}/tasks`);
        await row("TASK-4").waitFor();
        await expectCount(page.locator(".list-body [role=row]"), 4);
        await expectText(row("TASK-2").locator(".title-link"), XSS);
        assert.equal(await page.locator('img[src="x"]').count(), 0);
        assert.equal(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined);
        await expectText(page.getByTestId("task-count"), /4 tasks/);
        await screenshot(page, "tasks-list");
      });

      await t.step(
        "two statuses filter with repeated params (OR), shown as a chip and in the CLI bar",
        async () => {
          await page.getByRole("button", { name: "+ Filter" }).click();
          const req = page.waitForRequest((r) => /status=todo&status=doing/.test(r.url()));
          await page.locator("input[name=status][value=todo]").check();
          await page.locator("input[name=status][value=doing]").check();
          await req;
          await page.keyboard.press("Escape");
          await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 3);
          assert.equal(await row("TASK-4").count(), 0);
          await expectText(page.getByTestId("chip-status"), /todo, doing/);
          await expectText(page.getByTestId("cli-command"), /--status todo --status doing/);
          await screenshot(page, "tasks-filtered");
          await page.getByTestId("chip-status").getByRole("button").click();
          await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 4);
        },
      );

      await t.step("search narrows the list through the server", async () => {
        await page.getByLabel("Search tasks").fill("onboarding");
        await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 1);
        assert.equal(await row("TASK-3").count(), 1);
        await page.getByLabel("Search tasks").fill("");
        await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 4);
      });

      await t.step("n opens the new-task dialog, Escape closes it, Ctrl+Enter creates the task", async () => {
        await page.locator("body").click({ position: { x: 5, y: 500 } });
        await page.keyboard.press("n");
        await page.getByRole("dialog").waitFor();
        await page.keyboard.press("Escape");
        await page.getByRole("dialog").waitFor({ state: "detached" });
        await page.keyboard.press("n");
        await page.locator("input[name=title]").fill("Made in the browser");
        await page.locator("select[name=project]").selectOption("beta");
        await page.locator("select[name=priority]").selectOption("2");
        await screenshot(page, "tasks-new-dialog");
        await page.keyboard.press("Control+Enter");
        await page.getByRole("dialog").waitFor({ state: "detached" });
        await row("TASK-5").waitFor();
        const t5 = await show("TASK-5");
        assert.equal(t5.title, "Made in the browser");
        assert.equal(t5.priority, 2);
        assert.equal(t5.actor.name, "web");
      });

      await t.step("a task added from the CLI appears without a reload", async () => {
        await page.evaluate(() => ((globalThis as { __stay?: number }).__stay = 1));
        await waitLive(page);
        await srv.cli("task", "add", "-p", "alpha", "-t", "Arrived live from the CLI");
        await page.getByText("Arrived live from the CLI").waitFor({ timeout: 5000 });
        assert.equal(await page.evaluate(() => (globalThis as { __stay?: number }).__stay), 1);
      });

      await t.step("the board moves a card with its button and by drag and drop", async () => {
        await page.getByRole("tab", { name: "Board" }).click();
        const card = (ref: string) => page.locator(`.card[data-ref="${ref}"]`);
        await card("TASK-1").waitFor();
        await screenshot(page, "tasks-board");
        await card("TASK-1").getByRole("button", { name: "→ Done" }).click();
        await page.locator('[data-column="done"] .card[data-ref="TASK-1"]').waitFor();
        assert.equal((await show("TASK-1")).status, "done");
        await card("TASK-2").dragTo(page.locator('[data-column="doing"]'));
        await page.locator('[data-column="doing"] .card[data-ref="TASK-2"]').waitFor();
        assert.equal((await show("TASK-2")).status, "doing");
        await page.getByLabel("Group by").selectOption("priority");
        await page.locator('[data-column="1"]').waitFor();
        await card("TASK-3").getByRole("button", { name: "→ P1" }).click();
        await page.locator('[data-column="1"] .card[data-ref="TASK-3"]').waitFor();
        assert.equal((await show("TASK-3")).priority, 1);
        await page.getByLabel("Group by").selectOption("status");
      });

      await t.step("the grid saves an inline title edit and a status change", async () => {
        await page.getByRole("tab", { name: "Grid" }).click();
        const title = page.getByLabel("Title of TASK-4");
        await title.fill("Ship dark mode everywhere");
        await title.press("Enter");
        // The row's next edit carries the version the page holds: wait until the page has the saved row
        // (it says so), not only the server.
        await page.locator(".toast", { hasText: "TASK-4 saved" }).waitFor();
        assert.equal((await show("TASK-4")).title, "Ship dark mode everywhere");
        await page.getByLabel("Status of TASK-4").selectOption("todo");
        await page.waitForFunction(async () =>
          (await (await fetch("/api/tasks/TASK-4")).json()).status === "todo"
        );
        await screenshot(page, "tasks-grid");
      });

      await t.step("the timeline draws a bar per task and a today line", async () => {
        await page.getByRole("tab", { name: "Timeline" }).click();
        // The axis and today line draw before the tasks arrive: wait for the loaded timeline.
        await page.locator('.timeline[aria-busy="false"]').waitFor();
        await expectCount(page.locator(".timeline .tl-row[data-ref]"), 6);
        await expectCount(page.locator(".timeline .tl-bar"), 6);
        await screenshot(page, "tasks-timeline");
      });

      await t.step("the archived toggle shows only archived tasks", async () => {
        await srv.cli("task", "archive", "TASK-3");
        await page.getByRole("tab", { name: "List" }).click();
        await page.getByRole("button", { name: "Archived" }).click();
        await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 1);
        assert.equal(await row("TASK-3").count(), 1);
        await row("TASK-3").getByRole("button", { name: "Restore" }).click();
        await page.waitForFunction(() => document.querySelectorAll(".list-body [role=row]").length === 0);
        assert.equal((await show("TASK-3")).archived_at, undefined);
        await page.getByRole("button", { name: "Archived" }).click();
      });

      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});

browserTest({
  name: "the task list pages through 3,000 tasks with limit/offset and keeps the DOM small",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using srv = await startWeb(undefined, {
      prepare: async (dbPath) => await seedBulk(dbPath, "big", 3000),
    });
    const browser = await launchBrowser();
    const page = await openPage(browser);
    const urls: string[] = [];
    page.on("request", (r) => r.url().includes("/api/tasks") && urls.push(r.url()));
    try {
      await page.goto(`${srv.url}/tasks`);
      await page.locator(".list-body [role=row]").first().waitFor();
      await expectText(page.getByTestId("task-count"), /3,000 tasks/);
      await page.evaluate(() => {
        const el = document.querySelector(".list-scroll")!;
        el.scrollTop = el.scrollHeight;
      });
      await page.getByText("Bulk task 0", { exact: true }).waitFor();
      const rows = await page.locator(".list-body [role=row]").count();
      assert.ok(rows < 80, `${rows} rows in the DOM`);
      for (const u of urls) {
        const limit = Number(new URL(u).searchParams.get("limit"));
        assert.ok(limit > 0 && limit <= 100, `unbounded request ${u}`);
      }
      assert.ok(urls.some((u) => /offset=2900/.test(u)), urls.join("\n"));
      await screenshot(page, "tasks-list-scrolled");
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
