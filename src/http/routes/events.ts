import type { Hono } from "hono";
import type { ChangeEvent } from "../../services/events.ts";
import { type Ctx, type Deps, type HttpEnv, qInt, qStr } from "../request.ts";

const enc = new TextEncoder();
const HEARTBEAT_MS = 15_000;

/** Where a reconnecting client left off: `Last-Event-ID`, else `?after=`. */
function resumeAt(c: Ctx): number | undefined {
  const h = c.req.header("last-event-id")?.trim();
  if (h && /^\d{1,15}$/.test(h)) return Number(h);
  return qInt(c, "after");
}

/**
 * GET /api/events: server-sent events, one per write by any process on this database, within a
 * second. Each event is `id: <seq>` and `data: <activity JSON>` (entity, entity_id, action,
 * summary, actor, project_id, created_at, seq), delivered as the default `message` event. The
 * stream opens with `event: ready` (`{"cursor": N}`), sends a `: ping` comment every 15 s, and
 * resumes after `Last-Event-ID` (or `?after=N`) on reconnect. `?project=<alias>` filters.
 */
export function eventRoutes(r: Hono<HttpEnv>, { app, feed, signal }: Deps): void {
  r.get("/api/events", (c) => {
    const project = qStr(c, "project");
    const projectId = project ? app.projects.get(project).id : undefined;
    const after = resumeAt(c);
    let stop = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(ctrl) {
        let closed = false;
        const send = (s: string) => {
          if (closed) return;
          try {
            ctrl.enqueue(enc.encode(s));
          } catch {
            stop();
          }
        };
        send(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ cursor: feed.cursor })}\n\n`);
        const unsubscribe = feed.subscribe(
          (e: ChangeEvent) => send(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`),
          {
            projectId,
            after,
          },
        );
        const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
        stop = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          signal.removeEventListener("abort", stop);
          try {
            ctrl.close();
          } catch { /* already closed */ }
        };
        // A client that goes away cancels the stream (cancel below); the request's own signal is
        // not used: Deno.serve aborts it as soon as a response starts.
        if (signal.aborted) return stop();
        signal.addEventListener("abort", stop);
      },
      cancel() {
        stop();
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Accel-Buffering": "no",
      },
    });
  });
}
