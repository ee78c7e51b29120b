// The Agents and Reports pages in headless Chromium against a real `backlog web`: live claims with
// ticking countdowns, a claim made elsewhere appearing live, a human releasing an agent's claim,
// expired claims, per-agent rows, the ready queue with its reasons, blocked tasks with their blockers,
// and the report's charts with text alternatives. Screenshots in light and dark.
import assert from "node:assert/strict";
import {
  browserTest,
  expectCount,
  expectPoll,
  expectText,
  launchBrowser,
  openPage,
  screenshot,
  startWeb,
  waitLive,
} from "../helpers/browser.ts";
import { addTask, call, eventually } from "../helpers/web_seed.ts";

/** Three agents at work in two projects: one finished with usage, one holding, one whose lease ran out. */
async function seed(u: string): Promise<void> {
  await call(u, "POST", "/api/projects", { alias: "alpha", name: "Alpha service" });
  await call(u, "POST", "/api/projects", { alias: "beta", name: "Beta" });
  await addTask(u, "alpha", "Design the schema", { priority: 1 });
  await addTask(u, "alpha", "Write the migration", { priority: 2 });
  await addTask(u, "alpha", "Run the backfill");
  await addTask(u, "beta", "Update the onboarding docs", { type: "chore" });
  await addTask(u, "beta", "Fix the flaky login test", { type: "bug", priority: 1 });
  await addTask(u, "alpha", "Tidy the admin page", { priority: 4 });
  await call(u, "POST", "/api/tasks/TASK-3/deps", { blocked_by: "TASK-2" });
  await call(u, "POST", "/api/tasks/TASK-1/claim", { lease: "10m" }, "ai:claude");
  const usage = { input_tokens: 12_000, output_tokens: 3_000, cost_usd: 0.42, model: "claude-sonnet-4" };
  await call(u, "PATCH", "/api/tasks/TASK-1/status", { status: "done", ...usage }, "ai:claude");
  await call(u, "POST", "/api/tasks/TASK-2/claim", { lease: "20m" }, "ai:codex");
  await call(u, "POST", "/api/tasks/TASK-2/renew", { input_tokens: 800, cost_usd: 0.05 }, "ai:codex");
  await call(u, "POST", "/api/tasks/TASK-4/claim", { lease: "1s" }, "ai:gemini");
}

browserTest({
  name: "agents page: live claims count down, update live, and a human releases one; queue and blocked",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb();
    const u = srv.url;
    await seed(u);
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      const live = page.getByRole("region", { name: "Live claims" });
      const liveRow = (ref: string) => live.locator(`tr[data-ref="${ref}"]`);

      await t.step("live claims show holder, task, time held and a ticking lease countdown", async () => {
        await page.goto(`${u}/agents`);
        await liveRow("TASK-2").waitFor();
        await expectText(liveRow("TASK-2"), /ai:codex.*Write the migration/);
        const cd = liveRow("TASK-2").locator(".countdown");
        // The renewal (without --lease) took the default 30m, longer than the 20m claimed.
        const before = await expectText(cd, /^(29m \d\ds|30m 00s) left$/);
        await page.waitForFunction(
          (was) => document.querySelector('tr[data-ref="TASK-2"] .countdown')?.textContent !== was,
          before,
          { timeout: 5000 },
        );
      });

      await t.step("a lapsed lease is listed among recently ended claims as expired", async () => {
        const recent = page.getByRole("region", { name: "Recently ended claims" });
        // The 1 s lease runs out with no write at all: the page looks again when it does.
        await recent.locator('tr[data-ref="TASK-4"][data-outcome="expired"]').waitFor();
        await recent.locator('tr[data-ref="TASK-1"][data-outcome="done"]').waitFor();
        await expectCount(liveRow("TASK-4"), 0);
      });

      await t.step("per-agent rows: current task, done today, median claim to done", async () => {
        const agents = page.getByRole("region", { name: "Agents", exact: true });
        const claude = agents.locator('tr[data-holder="ai:claude"]');
        await expectText(claude, /idle/);
        await expectText(claude.locator("td.num").first(), "1");
        await expectText(agents.locator('tr[data-holder="ai:codex"]'), /TASK-2/);
      });

      await t.step(
        "the ready queue is in next order with reasons; blocked tasks name their blockers",
        async () => {
          const queue = page.getByRole("region", { name: "Ready queue" });
          // The queue is loaded apart from the claims, and again once TASK-4's lease has run out.
          await expectPoll(
            async () =>
              (await queue.locator("li").evaluateAll((els) => els.map((e) => e.getAttribute("data-ref"))))
                .slice(0, 2),
            ["TASK-5", "TASK-4"],
            { message: "the first two of the ready queue" },
          );
          await expectText(queue.locator("li").first(), /first in order/);
          const blocked = page.getByRole("region", { name: "Blocked tasks" });
          await expectText(blocked.locator('li[data-ref="TASK-3"]'), /waits on.*TASK-2/);
          await screenshot(page, "agents-light");
        },
      );

      await t.step("a claim made elsewhere appears without a reload", async () => {
        await waitLive(page);
        await call(u, "POST", "/api/tasks/TASK-5/claim", { lease: "15m" }, "ai:claude");
        await expectText(liveRow("TASK-5"), /ai:claude/);
      });

      await t.step("a human releases an agent's claim, attributed to the web's actor", async () => {
        await liveRow("TASK-2").getByRole("button", { name: "Release TASK-2" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Release" }).click();
        await liveRow("TASK-2").waitFor({ state: "detached" });
        const task = await call<{ status: string }>(u, "GET", "/api/tasks/TASK-2");
        assert.equal(task.status, "todo");
        const act = await call<{ events: { action: string; actor: { kind: string; name: string } }[] }>(
          u,
          "GET",
          "/api/activity?limit=10",
        );
        assert.deepEqual(act.events.find((e) => e.action === "released")?.actor, {
          kind: "human",
          name: "web",
        });
        await page.getByRole("region", { name: "Recently ended claims" })
          .locator('tr[data-ref="TASK-2"][data-outcome="released"]').waitFor();
      });

      await t.step(
        "a deleted task's claims stay listed, named from the run, with nothing to open",
        async () => {
          await call(u, "DELETE", "/api/tasks/TASK-1");
          const row = page.getByRole("region", { name: "Recently ended claims" })
            .locator('tr[data-ref="TASK-1"][data-outcome="done"]');
          await expectText(row.locator(".task-link"), /TASK-1.*(deleted)/);
          await expectCount(row.locator("a"), 0);
        },
      );
      assert.deepEqual(page.errors, []);

      const dark = await openPage(browser, { colorScheme: "dark" });
      await dark.goto(`${u}/agents`);
      await dark.getByRole("region", { name: "Live claims" }).locator('tr[data-ref="TASK-5"]').waitFor();
      await screenshot(dark, "agents-dark");
      assert.deepEqual(dark.errors, []);
    } finally {
      await browser.close();
    }
  },
});

browserTest({
  name: "reports page: done per day, claim-to-done and cost per done by agent, each with a text alternative",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using srv = await startWeb();
    const u = srv.url;
    await seed(u);
    await call(u, "POST", "/api/tasks/TASK-5/claim", {}, "ai:codex");
    await call(u, "PATCH", "/api/tasks/TASK-5/status", { status: "done", cost_usd: 0.1 }, "ai:codex");
    // gemini's 1 s lease has to have run out before the report counts it as expired.
    await eventually("TASK-4's lease to run out", async () => {
      const c = await call<{ recent: { ref: string; outcome: string }[] }>(u, "GET", "/api/claims");
      return c.recent.some((r) => r.ref === "TASK-4" && r.outcome === "expired");
    });
    const browser = await launchBrowser();
    try {
      for (const scheme of ["light", "dark"] as const) {
        const page = await openPage(browser, { colorScheme: scheme });
        await t.step(`charts and tables (${scheme})`, async () => {
          await page.goto(`${u}/reports`);
          const done = page.locator("figure", { hasText: "Done per day" });
          await done.locator("svg").waitFor();
          await expectPoll(
            () => done.locator("svg").getAttribute("aria-label"),
            /^Done per day: 2 done over 8 days/,
            { message: "the done chart's text alternative" },
          );
          await expectCount(done.locator("rect.col"), 8);
          const cost = page.getByRole("table", { name: "Cost per done task" });
          await expectText(cost.locator("tr", { hasText: "ai:claude" }), /\$0\.420/);
          await expectText(cost.locator("tr", { hasText: "ai:codex" }), /\$0\.150/);
          const ctd = page.getByRole("table", { name: /Claim to done/ });
          await expectCount(ctd.locator("tbody tr"), 3);
          const byAgent = page.getByRole("region", { name: "By agent" });
          await expectText(byAgent.locator("tr", { hasText: "ai:gemini" }), /ai:gemini1001/);
          await expectText(page.getByTestId("cli-command"), "backlog report --since 7d --json");
          await screenshot(page, `reports-${scheme}`);
        });
        assert.deepEqual(page.errors, []);
      }
    } finally {
      await browser.close();
    }
  },
});
