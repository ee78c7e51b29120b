// This page's writes of one task run one at a time, and each carries the newest version the page knows:
// the one it showed, or the one its own last write of the task got back. A second quick edit then waits
// for the first one's answer and sends that version, instead of the one it read before (a 409 on the
// user's own edit); a write by anyone else in between still moves the version past it: a conflict.
import { api } from "./api.ts";
import type { Task } from "./types.ts";

type Known = Pick<Task, "id" | "version">;

/** Task id → the version this page's last write of it returned. */
const written = new Map<string, number>();
/** Task id → the last write queued for it. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `send` after this page's earlier writes of task `t`, with the newest version known. The answer's
 * version is adopted when it is the one right after that: this write's own, nobody else's in between.
 */
export function writeTask(t: Known, send: (version: number) => Promise<Task>): Promise<Task> {
  const run = (queues.get(t.id) ?? Promise.resolve()).catch(() => {}).then(async () => {
    const known = Math.max(t.version, written.get(t.id) ?? 0);
    const out = await send(known);
    if (out?.version === known + 1) written.set(t.id, out.version);
    return out;
  });
  queues.set(t.id, run);
  const done = () => queues.get(t.id) === run && queues.delete(t.id);
  run.then(done, done);
  return run;
}

/** `PATCH /api/tasks/<ref><suffix>` with `If-Match`: the newest version known, after earlier writes. */
export const patchTask = (t: Known & Pick<Task, "ref">, suffix: string, body: Record<string, unknown>) =>
  writeTask(t, (v) => api.patch<Task>(`/api/tasks/${t.ref}${suffix}`, body, v));
