// Task detail, the coordination part: who holds the task (lease countdown, release), its dependencies in
// both directions (add, remove; a cycle is refused with the server's message), and its runs with usage.
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Link, withProject } from "./router.tsx";
import { ErrorNote, StatusBadge, useApp, useFail } from "./ui.tsx";
import type { Task } from "./types.ts";
import { localDateTime, relTime } from "./format.ts";
import { type Run, tokens, usd } from "./cockpit.ts";
import { Countdown, Elapsed, Holder, OutcomeBadge, RunTook } from "./cockpit_ui.tsx";

interface DepList {
  blocked_by: Task[];
  blocks: Task[];
}

/** The task's runs, newest first; reloaded when the task changes. */
export function useRuns(t: Task) {
  return useAsync(
    () => api.get<{ runs: Run[] }>(`/api/tasks/${seg(t.ref)}/runs`, { limit: 50 }),
    [t.ref, t.version],
  );
}

/** Releases a claim as the web's actor (force: it is usually someone else's), after asking. */
export function useRelease(): (ref: string, holder: string) => Promise<boolean> {
  const { confirm, toast } = useApp();
  const fail = useFail();
  return async (ref, holder) => {
    const ok = await confirm(
      `Release ${ref}, held by ${holder}? It goes back to the queue and the holder loses the claim.`,
      "Release",
    );
    if (!ok) return false;
    try {
      await api.post(`/api/tasks/${seg(ref)}/release`, { force: true });
      toast(`${ref} released`);
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  };
}

/** The current claim: holder, time held, lease countdown and a Release button; or how to take it. */
export function ClaimSection({ task, runs, reload }: { task: Task; runs: Run[]; reload: () => void }) {
  const release = useRelease();
  const open = runs.find((r) => r.outcome === "open");
  const held = task.status === "doing" && !!task.lease_expires_at;
  const holder = open?.holder ?? task.assignee ?? "someone";
  return (
    <section class="block" aria-label="Claim">
      <header class="block-head">
        <h2>Claim</h2>
      </header>
      {held
        ? (
          <div class="claim-card" data-testid="claim">
            <Holder holder={holder} />
            {open && (
              <span class="muted small">
                held for <Elapsed from={open.started_at} />
              </span>
            )}
            <span class="lease">
              <span class="muted small">lease</span> <Countdown until={task.lease_expires_at} />
            </span>
            <span class="spacer" />
            <button
              type="button"
              class="small"
              onClick={async () => (await release(task.ref, holder)) && reload()}
            >
              Release
            </button>
          </div>
        )
        : (
          <p class="muted">
            Not claimed. An agent takes it with <code>backlog task claim {task.ref}</code>.
          </p>
        )}
    </section>
  );
}

/** Blocked by / blocks, each with remove buttons, and a form to add an edge either way. */
export function DepsSection({ task }: { task: Task }) {
  const app = useApp();
  const fail = useFail();
  const res = useAsync(() => api.get<DepList>(`/api/tasks/${seg(task.ref)}/deps`), [task.ref]);
  useLive(["task"], res.reload);
  const [other, setOther] = useState("");
  const [dir, setDir] = useState<"blocked_by" | "blocks">("blocked_by");
  const [error, setError] = useState<Error | undefined>();
  const deps = res.data ?? { blocked_by: [], blocks: [] };

  const add = async () => {
    const ref = other.trim();
    if (!ref) return;
    setError(undefined);
    try {
      if (dir === "blocked_by") await api.post(`/api/tasks/${seg(task.ref)}/deps`, { blocked_by: ref });
      else await api.post(`/api/tasks/${seg(ref)}/deps`, { blocked_by: task.ref });
      setOther("");
      app.toast(dir === "blocked_by" ? `${task.ref} now waits on ${ref}` : `${ref} now waits on ${task.ref}`);
      res.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const remove = (waiter: string, blocker: string) =>
    api.del(`/api/tasks/${seg(waiter)}/deps/${seg(blocker)}`).then(res.reload, fail);
  const open = deps.blocked_by.filter((b) => b.status !== "done" && !b.archived_at).length;

  return (
    <section class="block deps" aria-label="Dependencies">
      <header class="block-head">
        <h2>
          Dependencies
          {open > 0 && <span class="badge mark blocked">Blocked by {open} open</span>}
        </h2>
      </header>
      <div class="deps-cols">
        <DepColumn
          title="Blocked by"
          empty="Waits on nothing."
          tasks={deps.blocked_by}
          onRemove={(b) => remove(task.ref, b.ref)}
          removeLabel={(b) => `Remove: ${task.ref} is blocked by ${b.ref}`}
        />
        <DepColumn
          title="Blocks"
          empty="Nothing waits on it."
          tasks={deps.blocks}
          onRemove={(w) => remove(w.ref, task.ref)}
          removeLabel={(w) => `Remove: ${w.ref} is blocked by ${task.ref}`}
        />
      </div>
      <form
        class="dep-add"
        onSubmit={(e) => (e.preventDefault(), add())}
      >
        <select
          aria-label="Dependency direction"
          value={dir}
          onChange={(e) => setDir(e.currentTarget.value as typeof dir)}
        >
          <option value="blocked_by">{task.ref} is blocked by</option>
          <option value="blocks">{task.ref} blocks</option>
        </select>
        <input
          aria-label="Other task"
          placeholder="TASK-12"
          value={other}
          onInput={(e) => (setOther(e.currentTarget.value), setError(undefined))}
        />
        <button type="submit" disabled={!other.trim()}>Add</button>
      </form>
      {error && (
        <div role="alert">
          <ErrorNote error={error} />
        </div>
      )}
      {res.error && <ErrorNote error={res.error} />}
    </section>
  );
}

function DepColumn({ title, empty, tasks, onRemove, removeLabel }: {
  title: string;
  empty: string;
  tasks: Task[];
  onRemove: (t: Task) => void;
  removeLabel: (t: Task) => string;
}) {
  const { project } = useApp();
  return (
    <div class="dep-col" aria-label={title} role="group">
      <h3 class="muted small">{title}</h3>
      {tasks.length === 0 && <p class="muted small">{empty}</p>}
      <ul class="dep-list">
        {tasks.map((d) => (
          <li key={d.id} data-ref={d.ref} class={d.status === "done" ? "dep-done" : ""}>
            <StatusBadge s={d.status} />
            <Link href={withProject(`/tasks/${d.ref}`, project)} class="ref mono">{d.ref}</Link>
            <span class="ellipsis">{d.title}</span>
            <span class="spacer" />
            <button type="button" class="x" aria-label={removeLabel(d)} onClick={() => onRemove(d)}>×</button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Every claim of this task: who, when, for how long, how it ended, and what it cost. */
export function RunsSection({ runs, error }: { runs: Run[]; error?: Error }) {
  const total = runs.reduce(
    (a, r) => ({
      tin: a.tin + r.input_tokens,
      tout: a.tout + r.output_tokens,
      cost: a.cost + r.cost_usd,
    }),
    { tin: 0, tout: 0, cost: 0 },
  );
  return (
    <section class="block" aria-label="Runs">
      <header class="block-head">
        <h2>Runs {runs.length > 0 && <span class="count">{runs.length}</span>}</h2>
        {runs.length > 0 && (
          <span class="muted small">
            {tokens(total.tin)} in · {tokens(total.tout)} out · {usd(total.cost)}
          </span>
        )}
      </header>
      <ErrorNote error={error} />
      {runs.length === 0
        ? <p class="muted">No runs yet: every claim of this task will be listed here with its usage.</p>
        : (
          <div class="table-scroll">
            <table class="table runs">
              <thead>
                <tr>
                  <th>Holder</th>
                  <th>Started</th>
                  <th>Took</th>
                  <th>Outcome</th>
                  <th class="num">Tokens in</th>
                  <th class="num">Tokens out</th>
                  <th class="num">Cost</th>
                  <th>Model</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-run={r.id}>
                    <td>
                      <Holder holder={r.holder} />
                    </td>
                    <td title={localDateTime(r.started_at)}>{relTime(r.started_at)}</td>
                    <td>
                      <RunTook r={r} />
                    </td>
                    <td>
                      <OutcomeBadge o={r.outcome} />
                    </td>
                    <td class="num">{tokens(r.input_tokens)}</td>
                    <td class="num">{tokens(r.output_tokens)}</td>
                    <td class="num">{usd(r.cost_usd)}</td>
                    <td class="muted small">{r.model ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}
