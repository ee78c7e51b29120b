// Task detail's coordination sections, the board/list marks and the timeline in headless Chromium:
// dependencies (add both ways, remove, a cycle refused with its message), the current claim with a
// ticking lease countdown and a release, blocked/held/overdue badges, bars with due markers and zoom.
import assert from "node:assert/strict";
import {
  browserTest,
  expectCount,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  waitLive,
} from "../helpers/browser.ts";
import { addTask, call, dayFromNow, seedBulk, until } from "../helpers/web_seed.ts";

browserTest({
  name: "task detail: dependencies, a refused cycle, the claim with a live countdown, and release",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb();
    const u = srv.url;
    await call(u, "POST", "/api/projects", { alias: "alpha", name: "Alpha service" });
    await addTask(u, "alpha", "Design the schema");
    await addTask(u, "alpha", "Write the migration", { priority: 2 });
    await addTask(u, "alpha", "Ship the release", { due_date: dayFromNow(-2) });
    const browser = await launchBrowser();
    const page = await openPage(browser);
    const deps = page.getByRole("region", { name: "Dependencies" });
    try {
      await t.step("a blocker is added from the form and listed under Blocked by", async () => {
        await page.goto(`${u}/tasks/TASK-2`);
        await deps.waitFor();
        await deps.getByLabel("Other task").fill("TASK-1");
        await deps.getByRole("button", { name: "Add" }).click();
        await deps.getByRole("group", { name: "Blocked by" }).locator('[data-ref="TASK-1"]').waitFor();
        const d = await call<{ blocked_by: { ref: string }[] }>(u, "GET", "/api/tasks/TASK-2/deps");
        assert.deepEqual(d.blocked_by.map((x) => x.ref), ["TASK-1"]);
        await expectText(deps.locator("h2"), /Blocked by 1 open/);
      });

      await t.step("the other direction: TASK-2 blocks TASK-3", async () => {
        await deps.getByLabel("Dependency direction").selectOption("blocks");
        await deps.getByLabel("Other task").fill("TASK-3");
        await deps.getByRole("button", { name: "Add" }).click();
        await deps.getByRole("group", { name: "Blocks" }).locator('[data-ref="TASK-3"]').waitFor();
      });

      await t.step("an edge that would close a cycle is refused with the server's message", async () => {
        await deps.getByLabel("Dependency direction").selectOption("blocks");
        page.expectConsoleError(/status of 400 \(Bad Request\) \(http:\S+\/api\/tasks\/TASK-\d+\/deps\)$/);
        await deps.getByLabel("Other task").fill("TASK-1");
        await deps.getByRole("button", { name: "Add" }).click();
        const alert = deps.getByRole("alert");
        await expectText(alert, /TASK-1 cannot be blocked by TASK-2: that would close a cycle/);
        const d = await call<{ blocked_by: unknown[] }>(u, "GET", "/api/tasks/TASK-1/deps");
        assert.equal(d.blocked_by.length, 0);
        await screenshot(page, "task-deps");
      });

      await t.step("removing a dependency deletes the edge", async () => {
        await deps.getByRole("button", { name: "Remove: TASK-2 is blocked by TASK-1" }).click();
        await deps.getByRole("group", { name: "Blocked by" }).locator('[data-ref="TASK-1"]')
          .waitFor({ state: "detached" });
        const d = await call<{ blocked_by: unknown[] }>(u, "GET", "/api/tasks/TASK-2/deps");
        assert.equal(d.blocked_by.length, 0);
      });

      await t.step("a claim made elsewhere appears live with a ticking lease countdown", async () => {
        const claim = page.getByTestId("claim");
        assert.equal(await claim.count(), 0);
        await waitLive(page);
        await call(u, "POST", "/api/tasks/TASK-2/claim", { lease: "10m" }, "ai:claude");
        await claim.waitFor();
        // The holder's kind comes with the task's runs, fetched right after the task itself.
        await page.waitForFunction(
          () => /ai:claude/.test(document.querySelector("[data-testid=claim]")?.textContent ?? ""),
          undefined,
          { timeout: 5000 },
        );
        const cd = claim.locator(".countdown");
        const first = await expectText(cd, /^(9m \d\ds|10m 00s) left$/);
        // The countdown moves on by itself (a bounded wait on the text, no fixed sleep).
        await page.waitForFunction(
          (was) => document.querySelector("[data-testid=claim] .countdown")?.textContent !== was,
          first,
          { timeout: 5000 },
        );
        await screenshot(page, "task-claim");
        const dark = await openPage(browser, { colorScheme: "dark" });
        await dark.goto(`${u}/tasks/TASK-2`);
        await dark.getByTestId("claim").locator(".countdown").waitFor();
        await screenshot(dark, "task-claim-dark");
        assert.deepEqual(dark.errors, []);
        await dark.context().close();
      });

      await t.step("a human releases the claim; the activity names the web's actor", async () => {
        await page.getByTestId("claim").getByRole("button", { name: "Release" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Release" }).click();
        await page.getByTestId("claim").waitFor({ state: "detached" });
        const task = await call<{ status: string; assignee?: string }>(u, "GET", "/api/tasks/TASK-2");
        assert.equal(task.status, "todo");
        const act = await call<{ events: { action: string; actor: { kind: string; name: string } }[] }>(
          u,
          "GET",
          "/api/activity?limit=5",
        );
        const released = act.events.find((e) => e.action === "released");
        assert.deepEqual(released?.actor, { kind: "human", name: "web" });
      });

      await t.step("the runs section lists the claim with its outcome", async () => {
        const runs = page.getByRole("region", { name: "Runs" });
        await runs.locator("tbody tr").first().waitFor();
        await expectText(runs, /ai:claude/);
        await screenshot(page, "task-work");
      });
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});

browserTest({
  name: "board, list and timeline mark blocked, held and overdue tasks; the timeline zooms by week",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb();
    const u = srv.url;
    await call(u, "POST", "/api/projects", { alias: "alpha", name: "Alpha service" });
    await addTask(u, "alpha", "Design the schema", { due_date: dayFromNow(5) });
    await addTask(u, "alpha", "Write the migration", { due_date: dayFromNow(-3) });
    await addTask(u, "alpha", "Run the backfill");
    await call(u, "POST", "/api/tasks/TASK-3/deps", { blocked_by: "TASK-2" });
    await call(u, "POST", "/api/tasks/TASK-2/claim", { lease: "30m" }, "ai:claude");
    const browser = await launchBrowser();
    try {
      for (const scheme of ["light", "dark"] as const) {
        const page = await openPage(browser, { colorScheme: scheme });
        await t.step(`list marks (${scheme})`, async () => {
          await page.goto(`${u}/tasks?project=alpha`);
          const row = (ref: string) => page.locator(`.list-body [data-ref="${ref}"]`);
          // The list draws its rows before the blocked marks land: it is busy until both have.
          await page.locator('.list-view[aria-busy="false"]').waitFor();
          await expectText(row("TASK-3").locator(".mark.blocked"), "Blocked");
          await expectText(row("TASK-2").locator(".mark.held"), "Held by claude");
          await expectText(row("TASK-2").locator(".mark.due"), /^Overdue: /);
          await expectText(row("TASK-1").locator(".mark.due"), /^Due /);
          assert.equal(await row("TASK-1").locator(".mark.overdue").count(), 0);
          await screenshot(page, `cockpit-list-${scheme}`);
        });
        await t.step(`board marks (${scheme})`, async () => {
          await page.getByRole("tab", { name: "Board" }).click();
          const card = (ref: string) => page.locator(`.card[data-ref="${ref}"]`);
          await card("TASK-3").locator(".mark.blocked").waitFor();
          await card("TASK-2").locator(".mark.held").waitFor();
          await card("TASK-2").locator(".mark.overdue").waitFor();
          await screenshot(page, `cockpit-board-${scheme}`);
        });
        await t.step(`timeline bars, due markers, today line and zoom (${scheme})`, async () => {
          await page.getByRole("tab", { name: "Timeline" }).click();
          // The axis and today line draw before the tasks arrive: wait for the loaded timeline.
          await page.locator('.timeline[aria-busy="false"]').waitFor();
          await expectCount(page.locator(".tl-row"), 3);
          await expectCount(page.locator(".tl-due"), 2);
          await expectCount(page.locator(".tl-due.overdue"), 1);
          await expectCount(page.locator('.tl-row[data-ref="TASK-3"] .mark.blocked'), 1);
          const bar = page.locator('.tl-row[data-ref="TASK-2"] .tl-bar');
          assert.match(await bar.getAttribute("aria-label") ?? "", /TASK-2 Write the migration: .*due /);
          // How far TASK-1's due marker (in 5 days) sits from the today line: the width of ~5 days.
          const ahead = () =>
            page.evaluate(() => {
              const x = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().left;
              return x('.tl-row[data-ref="TASK-1"] .tl-due') - x(".tl-today");
            });
          const dayGap = await ahead();
          assert.ok(dayGap > 0, `TASK-1's due marker is right of today (${dayGap})`);
          await page.getByRole("button", { name: "Weeks" }).click();
          await until(page, () => document.querySelector(".timeline")?.getAttribute("data-zoom") === "week");
          const weekGap = await ahead();
          assert.ok(weekGap > 0 && weekGap < dayGap, `week zoom narrows the days (${weekGap} < ${dayGap})`);
          await screenshot(page, `cockpit-timeline-week-${scheme}`);
          await page.getByRole("button", { name: "Days" }).click();
          await screenshot(page, `cockpit-timeline-${scheme}`);
          // A row opens its task from the keyboard too.
          await page.locator('.tl-row[data-ref="TASK-1"]').focus();
          await page.keyboard.press("Enter");
          await page.locator("h1.task-title", { hasText: "Design the schema" }).waitFor();
        });
        assert.deepEqual(page.errors, []);
        await page.context().close();
      }
    } finally {
      await browser.close();
    }
  },
});

browserTest({
  name: "the timeline draws the 1,000 newest of 1,200 tasks with a note, keeping the DOM small",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using srv = await startWeb(undefined, {
      prepare: async (dbPath) => await seedBulk(dbPath, "big", 1200, (i) => (i % 3 ? "todo" : "done")),
    });
    const browser = await launchBrowser();
    const page = await openPage(browser);
    try {
      await page.goto(`${srv.url}/tasks?view=timeline`);
      await page.locator(".tl-row").first().waitFor();
      await expectText(page.getByTestId("timeline-cap"), /Showing the 1,000 newest of 1,200 tasks/);
      const rows = await page.locator(".tl-row").count();
      assert.ok(rows < 100, `${rows} timeline rows in the DOM`);
      await page.evaluate(() => {
        const el = document.querySelector(".timeline")!;
        el.scrollTop = el.scrollHeight;
      });
      // The oldest of the 1,000 newest is TASK-201 ("Bulk task 200").
      await page.locator('.tl-row[data-ref="TASK-201"]').waitFor();
      assert.ok(await page.locator(".tl-row").count() < 100);
      await screenshot(page, "timeline-1000");
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  },
});
