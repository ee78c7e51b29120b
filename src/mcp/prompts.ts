import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, type GetPromptResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.ts";
import { toAppError } from "../domain/errors.ts";
import { contextText, reportText } from "./render.ts";

/** Longest embedded text in one prompt (characters): the task context is already bounded. */
const EMBED_MAX = 12_000;

const USAGE = "input_tokens, output_tokens, cost_usd and model (what you spent since your last report)";

/** The loop's steps (the backlog-loop skill, pick → plan → ship → report) as prompt texts. */
const STEPS = {
  pick: (project?: string) =>
    [
      `Pick one task from the Backlog queue${project ? ` of project ${project}` : ""} and claim it.`,
      `1. Call task_claim with no id${
        project ? ` and project "${project}"` : ""
      } (add lease "45m" for long work). It claims the best ready task: priority, then what it unblocks, then age.`,
      '2. {"task":null} means nothing is ready: say "queue empty" and stop. A conflict means someone else holds it: try again.',
      "3. Keep task.ref and token from the reply: every write under the claim needs the token.",
      "4. Read the task with task_show context=true (deps, current plan, recent comments, memory, runs).",
      "5. If the description has no judgeable acceptance criteria, comment that, release the claim " +
      "(task_claim id, token, release=true) and stop. Otherwise continue with the backlog_plan prompt.",
    ].join("\n"),
  plan: (ref: string) =>
    [
      `Write the plan for ${ref} before changing code.`,
      "- Steps, the files you expect to touch, and the checks that prove each acceptance criterion.",
      `- Save it with plan_add (task_id "${ref}"); on a later attempt, plan_update with a change_note.`,
      "- Work beyond the task's scope becomes a new task (task_create), linked with task_dep when it blocks this one.",
      "- Running long? Renew the lease: task_claim with id and token.",
    ].join("\n"),
  ship: (ref: string) =>
    [
      `Ship ${ref}: implement the smallest change that meets the criteria, then verify and close.`,
      "1. Run the verification commands the criteria name (tests, linters); fix until they pass.",
      "2. comment_add a receipt: what changed, the commands you ran and their result.",
      `3. task_move "${ref}" to done with your claim_token and your usage: ${USAGE}.`,
      "4. A conflict means your claim was lost (the lease ran out and someone took it): do not force it; " +
      "comment what you found and stop.",
      '5. Stuck? comment "[BLOCKED] <diagnosis>" and task_move to todo with the token and your usage (this releases the claim).',
      "6. Record a durable learning once with memory_add.",
    ].join("\n"),
  report: () =>
    [
      "Summarize how the agents did, from the runs report below (every claim is a run).",
      "- Per agent: done, success rate, median and p90 claim-to-done, tokens and cost per done task.",
      "- Call out expired or taken-over runs (abandoned claims) and the most expensive task types.",
      "- Suggest one change that would make the loop cheaper or faster.",
    ].join("\n"),
};

type Msg = GetPromptResult["messages"][number];
const user = (text: string): Msg => ({ role: "user", content: { type: "text", text } });
const embed = (title: string, text: string): Msg =>
  user(`--- ${title} ---\n${text.length > EMBED_MAX ? `${text.slice(0, EMBED_MAX)}\n… [cut]` : text}`);

/** Runs a prompt builder; a Backlog error (unknown task or project) becomes a protocol error. */
async function build(description: string, fn: () => Msg[] | Promise<Msg[]>): Promise<GetPromptResult> {
  try {
    return { description, messages: await fn() };
  } catch (err) {
    throw new McpError(ErrorCode.InvalidParams, toAppError(err).message);
  }
}

/**
 * The agentic loop as MCP prompts: backlog_pick, backlog_plan and backlog_ship (with the task's
 * context embedded) and backlog_report (with the runs report embedded). Each is bounded.
 */
export function registerPrompts(app: App, server: McpServer): void {
  const task = { task: z.string().describe("TASK-N") };
  server.registerPrompt("backlog_pick", {
    title: "Pick a task",
    description: "Claim the best ready task and read its context.",
    argsSchema: { project: z.string().optional().describe("project alias") },
  }, (a: { project?: string }) => build("pick", () => [user(STEPS.pick(a.project || undefined))]));
  const taskSteps = [
    ["backlog_plan", "Plan a task", "Write the plan for a claimed task (its context included).", STEPS.plan],
    [
      "backlog_ship",
      "Ship a task",
      "Implement, verify and close a claimed task, reporting usage.",
      STEPS.ship,
    ],
  ] as const;
  for (const [name, title, description, step] of taskSteps) {
    server.registerPrompt(
      name,
      { title, description, argsSchema: task },
      (a: { task: string }) =>
        build(name, async () => {
          const c = await app.tasks.context(a.task);
          return [user(step(c.task.ref)), embed(`${c.task.ref} context`, contextText(c))];
        }),
    );
  }
  server.registerPrompt("backlog_report", {
    title: "Report on agents",
    description: "Summarize runs: done, time and cost per agent.",
    argsSchema: {
      since: z.string().optional().describe("7d, 24h, all"),
      project: z.string().optional().describe("project alias"),
    },
  }, (a: { since?: string; project?: string }) =>
    build("report", async () => {
      const r = await app.runs.report({ since: a.since || undefined, project: a.project || undefined });
      return [user(STEPS.report()), embed("runs report", reportText(r))];
    }));
  server.server.registerCapabilities({ prompts: { listChanged: false } });
}
