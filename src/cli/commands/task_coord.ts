import { type CommandSpec, defineCommand, type Output } from "../spec.ts";
import { str } from "./num_flags.ts";
import { escapeControls, showBody, table, truncate } from "../format.ts";
import { noteLine, taskView } from "../views.ts";
import { formatDuration, formatLocal, formatUtc } from "../../domain/time.ts";
import { leaseOf } from "../../domain/claims.ts";
import { usageOf } from "../../domain/usage.ts";
import type { Task } from "../../domain/models.ts";
import type { Claim, NextResult } from "../../services/claims.ts";
import type { DepList } from "../../services/deps.ts";
import type { TaskContext } from "../../services/task_context.ts";
import { runLine } from "../../domain/usage.ts";
import { USAGE_FIELD_FLAGS, USAGE_FLAGS } from "./task_input.ts";
import { parseFlags } from "./op_flags.ts";

const REF = [{ name: "ref", required: true }];
const LEASE = str("how long the claim holds before others may take it (default 30m, max 7d)", {
  value: "<duration>",
});
const TOKEN = str("the claim token (default: the claim you hold as --as)", { value: "<token>" });
const BLOCKED_BY = str("the task it waits on", { value: "<ref>", required: true });

/** A lease the schema let through, in ns (the default when none was given). */
const leaseNs = (lease: string | undefined) => leaseOf(lease, "--lease");

/** `Token:` and `Lease until:` lines under a claim. */
function claimText(c: Claim, now = Date.now() * 1e6): string {
  const left = formatDuration(c.lease_expires_at - now);
  return `Token:       ${c.token}\nLease until: ${formatLocal(c.lease_expires_at)} (${left} from now)`;
}

function claimOutput(c: Claim, verb: string): Output {
  return {
    data: c,
    text: claimText(c),
    ok: `${verb} ${c.task.ref} until ${formatUtc(c.lease_expires_at)} UTC`,
    written: c.task.ref,
  };
}

/** `next` is a read unless --claim (then --quiet prints the claimed ref, or nothing when none was ready). */
function nextOutput(r: NextResult, claim: boolean): Output {
  const out: string[] = [];
  if (r.task) out.push(taskView(r.task));
  if (r.task && r.token) out.push("", claimText(r as Claim));
  if (!r.task && !r.explain?.length) out.push("no ready task");
  if (r.explain?.length) out.push(...(r.task ? ["", "--- Why ---"] : []), ...r.explain);
  const ok = r.token ? `claimed ${r.task!.ref}` : undefined;
  return { data: r, text: out.join("\n"), ok, written: claim ? (r.token ? r.task!.ref : "") : undefined };
}

function depTable(
  tasks: { ref: string; status: string; priority: number; title: string; assignee?: string }[],
) {
  return table(
    ["ref", "status", "p", "title", "assignee"],
    tasks.map((t) => [t.ref, t.status, `P${t.priority}`, truncate(t.title, 50), t.assignee ?? ""]),
  );
}

function depOutput(ref: string, d: DepList): Output {
  const part = (
    title: string,
    ts: Task[],
  ) => [`--- ${title} (${ts.length}) ---`, ts.length ? depTable(ts) : "none"];
  return {
    data: d,
    text: [...part(`${ref} is blocked by`, d.blocked_by), "", ...part(`${ref} blocks`, d.blocks)].join("\n"),
  };
}

function contextText(c: TaskContext): string {
  const out = [taskView(c.task)];
  const more = (shown: number, total: number) => total > shown ? ` (latest ${shown} of ${total})` : "";
  if (c.totals.blocked_by) {
    out.push("", `--- Blocked by (${c.totals.blocked_by}) ---`, depTable(c.blocked_by));
  }
  if (c.totals.blocks) out.push("", `--- Blocks (${c.totals.blocks}) ---`, depTable(c.blocks));
  if (c.plan?.version) {
    const v = c.plan.version;
    out.push(
      "",
      escapeControls(`--- Plan: ${v.title} [v${v.version}]${more(1, c.totals.plans)} ---`),
      showBody(v.body),
    );
  }
  if (c.comments.length) {
    out.push("", `--- Comments${more(c.comments.length, c.totals.comments)} ---`);
    for (const m of c.comments) out.push(noteLine(formatLocal(m.created_at), m));
  }
  if (c.memory.length) {
    out.push("", `--- Project memory${more(c.memory.length, c.totals.memory)} ---`);
    for (const m of c.memory) out.push(noteLine(formatUtc(m.created_at), m));
  }
  if (c.runs.length) {
    out.push("", `--- Runs${more(c.runs.length, c.totals.runs)} ---`, ...c.runs.map(runLine));
  }
  return out.join("\n");
}

/** Claims, the ready queue, dependencies and task context; spread into the `task` group. */
export const taskCoordCommands: CommandSpec[] = [
  defineCommand({
    name: "claim",
    summary:
      "Take a task: doing, assigned to you, with a lease and a token (exit 4 if someone else holds it)",
    args: REF,
    flags: { lease: LEASE },
    examples: ["backlog task claim TASK-3 --lease 45m --as ai:claude", "backlog task claim TASK-3 --json"],
    async run(ctx) {
      const q = parseFlags(ctx, "claim_input", { lease: "lease" }, { extra: { id: ctx.args[0] } });
      return claimOutput(
        await ctx.app().claims.claim(q.id, { lease: leaseNs(q.lease) }, ctx.actor()),
        "claimed",
      );
    },
  }),
  defineCommand({
    name: "next",
    db: "read",
    summary: "Show the best ready task (priority, then tasks it unblocks, then age); --claim takes it",
    flags: {
      claim: { type: "boolean", desc: "claim it in the same transaction" },
      project: str("project alias (default: the default project)", { short: "p" }),
      type: str("task type (repeatable or comma-separated)", { multiple: true }),
      label: str("label name (any of them; repeatable or comma-separated)", { multiple: true }),
      lease: LEASE,
      explain: { type: "boolean", desc: "say why this task and not the others" },
    },
    examples: [
      "backlog task next --claim --json --as ai:claude",
      "backlog task next -p api --type bug --explain",
    ],
    async run(ctx) {
      const map = {
        type: "type",
        label: "label",
        lease: "lease",
        claim: "claim",
        explain: "explain",
      } as const;
      const q = parseFlags(ctx, "next_input", map, { extra: { project: ctx.project() || undefined } });
      const r = await ctx.app().claims.next({ ...q, lease: leaseNs(q.lease) }, ctx.actor());
      return nextOutput(r, !!q.claim);
    },
  }),
  defineCommand({
    name: "renew",
    summary: "Extend the lease of a claim you hold",
    args: REF,
    flags: { lease: LEASE, token: TOKEN, ...USAGE_FLAGS },
    examples: [
      "backlog task renew TASK-3 --lease 30m --token $TOKEN",
      "backlog task renew TASK-3 --token $TOKEN --input-tokens 20000 --output-tokens 3000 --cost-usd 0.12",
    ],
    async run(ctx) {
      // Without --token the service renews the claim you hold as --as (as HTTP does without one).
      const map = { token: "token", lease: "lease", ...USAGE_FIELD_FLAGS } as const;
      const { id, token, lease, ...q } = parseFlags(ctx, "renew_input", map, { extra: { id: ctx.args[0] } });
      const opts = { token, lease: leaseNs(lease), usage: usageOf(q) };
      const c = await ctx.app().claims.renew(id, opts, ctx.actor());
      return claimOutput(c, "renewed claim on");
    },
  }),
  defineCommand({
    name: "release",
    summary:
      "Give a claimed task back to the queue (todo, unassigned); --force: a human frees another's claim",
    args: REF,
    flags: {
      token: TOKEN,
      force: {
        type: "boolean",
        desc: "release a claim someone else holds (humans only; the run ends released)",
      },
      ...USAGE_FLAGS,
    },
    examples: [
      "backlog task release TASK-3 --token $TOKEN --input-tokens 5000 --cost-usd 0.03",
      "backlog task release TASK-3 --force --as human:alice",
    ],
    async run(ctx) {
      const map = { token: "token", force: "force", ...USAGE_FIELD_FLAGS } as const;
      const { id, token, force, ...q } = parseFlags(ctx, "release_input", map, {
        extra: { id: ctx.args[0] },
      });
      const { task } = await ctx.app().claims.release(id, { token, force, usage: usageOf(q) }, ctx.actor());
      const message = `claim released: ${task.ref}`;
      return {
        data: { ok: true, action: "release", entity: "task", id: task.id, ref: task.ref, message },
        ok: message,
        written: task.ref,
      };
    },
  }),
  {
    name: "dep",
    summary: "Dependencies: which task waits on which",
    subcommands: [
      defineCommand({
        name: "add",
        summary: "Record that a task waits on another (cycles are rejected)",
        args: REF,
        flags: { "blocked-by": BLOCKED_BY },
        examples: ["backlog task dep add TASK-5 --blocked-by TASK-3"],
        async run(ctx) {
          const q = parseFlags(ctx, "dep_input", { blocked_by: "blocked-by" }, {
            extra: { id: ctx.args[0] },
          });
          const by = q.blocked_by;
          const d = await ctx.app().deps.add(q.id, by, ctx.actor());
          const t = await ctx.app().tasks.getTask(ctx.args[0]);
          return {
            data: d,
            ok: `${t.ref} is blocked by ${(await ctx.app().tasks.getTask(by)).ref}`,
            written: t.ref,
          };
        },
      }),
      defineCommand({
        name: "rm",
        aliases: ["remove"],
        summary: "Remove a dependency",
        args: REF,
        flags: { "blocked-by": BLOCKED_BY },
        examples: ["backlog task dep rm TASK-5 --blocked-by TASK-3"],
        async run(ctx) {
          const q = parseFlags(ctx, "dep_input", { blocked_by: "blocked-by" }, {
            extra: { id: ctx.args[0] },
          });
          const by = q.blocked_by;
          const d = await ctx.app().deps.remove(q.id, by, ctx.actor());
          const t = await ctx.app().tasks.getTask(q.id);
          const ok = `${t.ref} is no longer blocked by ${(await ctx.app().tasks.getTask(by)).ref}`;
          return { data: d, ok, written: t.ref };
        },
      }),
      defineCommand({
        name: "list",
        db: "read",
        aliases: ["ls"],
        summary: "What a task waits on and what waits on it",
        args: REF,
        async run(ctx) {
          const t = await ctx.app().tasks.getTask(ctx.args[0]);
          return depOutput(t.ref, await ctx.app().deps.list(t.id));
        },
      }),
    ],
  },
  defineCommand({
    name: "context",
    db: "read",
    summary: "Everything a fresh agent needs for one task, bounded: deps, plan, comments, memory",
    args: REF,
    examples: ["backlog task context TASK-3 --json"],
    async run(ctx) {
      const c = await ctx.app().tasks.context(ctx.args[0]);
      return { data: c, text: contextText(c) };
    },
  }),
];
