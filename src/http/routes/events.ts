import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { ChangeEvent } from "../../services/events.ts";
import { type Deps, type HttpContext, type HttpEnv, qInt, qStr } from "../request.ts";

const HEARTBEAT_MS = 15_000;

/** Where a reconnecting client left off: `Last-Event-ID`, else `?after=`. */
function resumeAt(c: HttpContext): number | undefined {
  const h = c.req.header("last-event-id")?.trim();
  if (h && /^\d{1,15}$/.test(h)) return Number(h);
  return qInt(c, "after");
}

/**
 * GET /api/events: server-sent events, one per write by any process on this database (on
 * PostgreSQL: through any server or CLI sharing it), within a second. Each event is `id: <seq>` and `data: <activity JSON>` (entity, entity_id, action,
 * summary, actor, project_id, created_at, seq), delivered as the default `message` event. The
 * stream opens with `event: ready` (`{"cursor": N}`), sends a `: ping` comment every 15 s, and
 * resumes after `Last-Event-ID` (or `?after=N`) on reconnect. `?project=<alias>` filters.
 */
export function eventRoutes(r: Hono<HttpEnv>, { app, feed, signal }: Deps): void {
  r.get("/api/events", async (c) => {
    const project = qStr(c, "project");
    const projectId = project ? (await app.projects.get(project)).id : undefined;
    const after = resumeAt(c);
    c.header("X-Accel-Buffering", "no");
    // streamSSE runs the stream; blocks are written whole (not writeSSE, which puts `id:` after
    // `data:` and `retry:` last) so the feed's bytes stay as documented.
    return streamSSE(c, async (stream) => {
      const cursor = await feed.position();
      let queue = stream.write(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ cursor })}\n\n`);
      const send = (block: string) => queue = queue.then(() => stream.write(block));
      let unsubscribe: () => void;
      try {
        unsubscribe = await feed.subscribe(
          (e: ChangeEvent) => send(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`),
          // From the ready cursor: a write landing before the subscription is replayed, not lost.
          { projectId, after: after ?? cursor },
        );
      } catch (err) {
        // The server shut down (and closed the database) while this stream was starting: just end.
        if (!signal.aborted) throw err;
        await queue;
        return;
      }
      await new Promise<void>((done) => {
        const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
        const stop = () => {
          unsubscribe();
          clearInterval(heartbeat);
          signal.removeEventListener("abort", stop);
          done();
        };
        // A client that goes away aborts the stream; the request's own signal is not used:
        // Deno.serve aborts it as soon as a response starts.
        stream.onAbort(stop);
        if (signal.aborted) return stop();
        signal.addEventListener("abort", stop);
      });
      await queue;
    });
  });
}
