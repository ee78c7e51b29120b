// Three pages that used to mislead: an unknown route, the grid's Type column and the new-task
// dialog's project under "All projects".
import assert from "node:assert/strict";
import type { Task } from "../../src/domain/models.ts";
import {
  browserTest,
  expectPoll,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
} from "../helpers/browser.ts";

browserTest({
  name: "web: unknown routes show not found, the grid shows whole types, new tasks ask for a project",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb(async (cli) => {
      await cli("project", "add", "Alpha", "--alias", "alpha");
      await cli("project", "add", "Beta", "--alias", "beta");
      await cli("task", "add", "-p", "alpha", "-t", "Harden TLS", "--type", "vulnerability");
      await cli("task", "add", "-p", "beta", "-t", "Faster list", "--type", "improvement");
      await cli("task", "add", "-p", "beta", "-t", "See the sea", "--type", "bucket-list");
    });
    const browser = await launchBrowser();
    const page = await openPage(browser);
    try {
      await t.step("an unknown route shows a not-found page, not the task list", async () => {
        await page.goto(`${srv.url}/nope`);
        await page.getByRole("heading", { name: "Page not found" }).waitFor();
        await expectText(page.locator(".not-found"), /There is no page at \/nope/);
        assert.equal(await page.locator(".list-body").count(), 0);
        // The title is set by an effect after the page renders.
        await expectPoll(() => page.title(), "Not found · Backlog", { message: "the document title" });
        await screenshot(page, "not-found");
        await page.getByRole("link", { name: "Go to the task list" }).click();
        await page.locator('.list-body [data-ref="TASK-1"]').waitFor();
      });

      await t.step("an unknown id under a known page says not found, not the page's list", async () => {
        for (const path of ["/projects/nope", "/plans/xyz", "/memory/a/b"]) {
          await page.goto(`${srv.url}${path}`);
          await page.getByRole("heading", { name: "Page not found" }).waitFor();
          await expectText(page.locator(".not-found"), new RegExp(`no page at ${path}`));
        }
        await screenshot(page, "not-found-under-page");
        for (const id of ["zzz", "01ZZZZZZZZZZZZZZZZZZZZZZZZ"]) {
          await page.goto(`${srv.url}/docs/${id}`);
          await page.getByRole("heading", { name: "Doc not found" }).waitFor();
          await expectText(page.locator(".doc-missing .error-note"), /zzz|not found/);
        }
        await screenshot(page, "doc-not-found");
        // The browser logs the two failed doc requests this step makes on purpose; nothing else.
        const expected = page.errors.splice(0).filter((e) =>
          !/status of 40[04] .*\/api\/docs\/(zzz|01Z+)\)$/.test(e)
        );
        assert.deepEqual(expected, []);
      });

      await t.step(
        "the grid's Type column shows improvement, vulnerability and bucket-list whole",
        async () => {
          await page.goto(`${srv.url}/tasks?view=grid`);
          await page.getByRole("tab", { name: "Grid" }).click();
          await page.getByLabel("Type of TASK-1").waitFor();
          for (const ref of ["TASK-1", "TASK-2", "TASK-3"]) {
            // The select's own width against the width it needs for its longest option.
            const [shown, needed] = await page.getByLabel(`Type of ${ref}`).evaluate((el) => {
              const probe = el.cloneNode(true) as HTMLSelectElement;
              probe.style.cssText = "position:absolute;visibility:hidden;width:auto;min-width:0";
              document.body.append(probe);
              const w = probe.getBoundingClientRect().width;
              probe.remove();
              return [el.getBoundingClientRect().width, w];
            });
            assert.ok(shown >= needed - 0.5, `${ref}: type select is ${shown}px, needs ${needed}px`);
          }
          await screenshot(page, "grid-types");
        },
      );

      await t.step(
        "under All projects the new-task dialog asks for the project; a selected one is the default",
        async () => {
          await page.goto(`${srv.url}/tasks`);
          await page.getByRole("tab", { name: "List" }).click();
          await page.locator('.list-body [data-ref="TASK-1"]').waitFor();
          await page.getByLabel("Project", { exact: true }).first().selectOption("");
          await page.locator("body").click({ position: { x: 5, y: 500 } });
          await page.keyboard.press("n");
          const dialog = page.getByRole("dialog");
          await dialog.waitFor();
          await expectPoll(() => dialog.locator("select[name=project]").inputValue(), "", {
            message: "the dialog's project",
          });
          await dialog.locator("input[name=title]").fill("Where does this go?");
          await page.keyboard.press("Control+Enter");
          await dialog.getByText("Choose a project for this task").waitFor();
          await screenshot(page, "new-task-asks-project");
          assert.equal(
            (await srv.json<{ tasks: Task[] }>("task", "list")).tasks.length,
            3,
            "nothing created",
          );
          await dialog.locator("select[name=project]").selectOption("beta");
          await page.keyboard.press("Control+Enter");
          await dialog.waitFor({ state: "detached" });
          assert.equal((await srv.json<Task>("task", "show", "TASK-4")).project?.alias, "beta");

          await page.goto(`${srv.url}/tasks?project=alpha`);
          await page.locator('.list-body [data-ref="TASK-1"]').waitFor();
          await page.locator("body").click({ position: { x: 5, y: 500 } });
          await page.keyboard.press("n");
          await dialog.waitFor();
          await expectPoll(() => dialog.locator("select[name=project]").inputValue(), "alpha", {
            message: "the dialog's project",
          });
          await page.keyboard.press("Escape");
        },
      );
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
