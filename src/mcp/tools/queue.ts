import { z } from "zod";
import { ADD, type Kit, SET } from "../define.ts";
import { ok } from "../result.ts";
import { taskLine } from "../render.ts";
import { leaseOf } from "../../domain/claims.ts";
import {
  ClaimInputSchema,
  DepChangeSchema,
  NextInputSchema,
  ReleaseInputSchema,
  RenewInputSchema,
} from "../../domain/schemas.ts";
import { UsageFields } from "../../domain/schema_fields.ts";
import { invalid } from "../../domain/errors.ts";
import { usageOf } from "../../domain/usage.ts";
import type { Task } from "../../domain/models.ts";
import type { DepList } from "../../services/deps.ts";

/** task_claim (claim, next, renew, release in one tool) and task_dep. */
export function registerQueueTools(k: Kit): void {
  const { app } = k;

  k.tool("task_claim", {
    title: "Claim task",
    description: "Claim id or best ready; token renews, release frees (+usage).",
    // claim (id), next (no id: project, type, label), renew (id, token), release (id, release).
    input: {
      id: ClaimInputSchema.shape.id.optional(),
      ...NextInputSchema.pick({ project: true, type: true, label: true }).shape,
      lease: ClaimInputSchema.shape.lease,
      token: RenewInputSchema.shape.token.optional(),
      release: z.boolean().optional(),
      force: ReleaseInputSchema.shape.force,
      ...UsageFields,
    },
    hints: ADD,
    async run(a, actor) {
      const lease = leaseOf(a.lease, "lease");
      if (a.force && !(a.id && a.release)) throw invalid("force: only with id and release=true");
      const usage = usageOf(a);
      if (usage && !(a.id && (a.release || a.token))) {
        throw invalid("usage: only when renewing (id, token) or releasing (id, release=true) your claim");
      }
      if (a.id && a.release) {
        const opts = { token: a.token || undefined, force: a.force, usage };
        const { task } = await app.claims.release(a.id, opts, actor);
        return ok({ task }, `released ${taskLine(task)}`);
      }
      if (a.id && a.token) {
        const c = await app.claims.renew(a.id, { token: a.token, lease, usage }, actor);
        return ok({ ...c }, `renewed ${claimText(c)}`);
      }
      if (a.id) {
        const c = await app.claims.claim(a.id, { lease }, actor);
        return ok({ ...c }, `claimed ${claimText(c)}`);
      }
      const n = await app.claims.next(
        { project: a.project, type: a.type, label: a.label, lease, claim: true },
        actor,
      );
      if (!n.task) return ok({ task: null }, "no ready task");
      const c = { task: n.task, token: n.token!, lease_expires_at: n.lease_expires_at! };
      return ok({ ...c }, `claimed ${claimText(c)}`);
    },
  });

  k.tool("task_dep", {
    title: "Task deps",
    description: "List/add/remove what a task is blocked by.",
    input: DepChangeSchema.shape,
    hints: SET,
    async run(a, actor) {
      const deps = await app.deps.change(a.id, { add: a.blocked_by, remove: a.remove }, actor);
      const out = { blocked_by: deps.blocked_by.map(depRow), blocks: deps.blocks.map(depRow) };
      return ok(out, depText(deps));
    },
  });
}

function claimText(c: { task: Task; token: string }): string {
  return `${taskLine(c.task)}\ntoken: ${c.token}`;
}

const depRow = (t: Task) => ({ ref: t.ref, title: t.title, status: t.status, priority: t.priority });

/** Both directions, one task per line. */
export function depText(d: DepList): string {
  const lines = (ts: Task[]) => ts.length ? ts.map((t) => `  ${taskLine(t)}`) : ["  (none)"];
  return ["blocked by:", ...lines(d.blocked_by), "blocks:", ...lines(d.blocks)].join("\n");
}
