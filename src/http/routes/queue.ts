import type { Hono } from "hono";
import { leaseOf } from "../../domain/claims.ts";
import type { Claim } from "../../services/claims.ts";
import {
  ClaimInputSchema,
  DepInputSchema,
  NextInputSchema,
  QueueQuerySchema,
  ReleaseInputSchema,
  RenewInputSchema,
} from "../../domain/schemas.ts";
import { usageOf } from "../../domain/usage.ts";
import { actorOf, body, type Deps, type HttpContext, type HttpEnv, qParse } from "../request.ts";

// The shared inputs without `id` (it is in the path); the token may come as X-Claim-Token instead.
const ClaimBody = ClaimInputSchema.omit({ id: true });
const RenewBody = RenewInputSchema.omit({ id: true });
const ReleaseBody = ReleaseInputSchema.omit({ id: true });
const DepBody = DepInputSchema.omit({ id: true });
/** GET /api/tasks/next peeks: the next_input's scope and `explain` (claiming is POST). */
const NextPeek = NextInputSchema.pick({ project: true, type: true, label: true, explain: true });

const leaseNs = (v: string | undefined) => leaseOf(v, "lease");

function claimJson(c: HttpContext, claim: Claim): Response {
  return c.json(claim, 200, { ETag: `"${claim.task.version}"` });
}

/**
 * The coordination routes: the ready queue (`/api/queue`: a page in `next` order with each task's
 * reasons; `/api/tasks/next`: GET peeks, POST claims), claims
 * with leases (claim, renew, release; a second claimant gets 409 naming the holder), dependencies
 * and the bounded task context for agents.
 */
export function queueRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/queue", async (c) => c.json(await app.claims.queue(qParse(c, QueueQuerySchema))));
  r.get("/api/tasks/next", async (c) => c.json(await app.claims.next(qParse(c, NextPeek), actorOf(c))));
  r.post("/api/tasks/next", async (c) => {
    const b = await body(c, NextInputSchema, { optional: true });
    return c.json(
      await app.claims.next({ ...b, lease: leaseNs(b.lease), claim: b.claim ?? true }, actorOf(c)),
    );
  });
  r.post("/api/tasks/:id/claim", async (c) => {
    const b = await body(c, ClaimBody, { optional: true });
    return claimJson(c, await app.claims.claim(c.req.param("id"), { lease: leaseNs(b.lease) }, actorOf(c)));
  });
  r.post("/api/tasks/:id/renew", async (c) => {
    const b = await body(c, RenewBody, { optional: true });
    const token = b.token ?? c.req.header("x-claim-token");
    const opts = { token, lease: leaseNs(b.lease), usage: usageOf(b) };
    return claimJson(c, await app.claims.renew(c.req.param("id"), opts, actorOf(c)));
  });
  r.post("/api/tasks/:id/release", async (c) => {
    const b = await body(c, ReleaseBody, { optional: true });
    const token = b.token ?? c.req.header("x-claim-token");
    const opts = { token, force: b.force, usage: usageOf(b) };
    const { task } = await app.claims.release(c.req.param("id"), opts, actorOf(c));
    return c.json({ task }, 200, { ETag: `"${task.version}"` });
  });
  r.get("/api/tasks/:id/deps", async (c) => c.json(await app.deps.list(c.req.param("id"))));
  r.post("/api/tasks/:id/deps", async (c) => {
    const b = await body(c, DepBody);
    return c.json(await app.deps.add(c.req.param("id"), b.blocked_by, actorOf(c)));
  });
  r.delete("/api/tasks/:id/deps/:blocker", async (c) => {
    return c.json(await app.deps.remove(c.req.param("id"), c.req.param("blocker"), actorOf(c)));
  });
  r.get("/api/tasks/:id/context", async (c) => c.json(await app.tasks.context(c.req.param("id"))));
}
