// Agents: who holds what right now (lease countdowns, release), claims that ended in the last day, each
// agent's day, the ready queue in `next` order with its reasons, and what blocks the blocked. Live.
import { useEffect } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Link, withProject } from "./router.tsx";
import { ErrorNote, PriorityBadge, StatusBadge, useApp, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import type { Task, TaskList } from "./types.ts";
import type { QueuePage } from "../../src/domain/views.ts";
import { localDateTime, plural, relTime } from "./format.ts";
import { type Claims, msText } from "./cockpit.ts";
import { Countdown, Elapsed, Holder, OutcomeBadge, RunTook } from "./cockpit_ui.tsx";
import { useRelease } from "./task_work.tsx";

const QUEUE = 15;
const BLOCKED = 15;

interface Blocked {
  task: Task;
  blockers: Task[];
}

async function loadBlocked(project: string): Promise<{ rows: Blocked[]; total: number }> {
  const r = await api.get<TaskList>("/api/tasks", {
    project: project || undefined,
    blocked: true,
    limit: BLOCKED,
  });
  const rows = await Promise.all(r.tasks.map(async (task) => {
    const d = await api.get<{ blocked_by: Task[] }>(`/api/tasks/${seg(task.ref)}/deps`);
    return { task, blockers: d.blocked_by.filter((b) => b.status !== "done" && !b.archived_at) };
  }));
  return { rows, total: r.page.total };
}

export function AgentsPage() {
  const app = useApp();
  const project = app.project || undefined;
  const claims = useAsync(() => api.get<Claims>("/api/claims"), []);
  const queue = useAsync(
    () => api.get<QueuePage>("/api/queue", { project, limit: QUEUE }),
    [project],
  );
  const blocked = useAsync(() => loadBlocked(app.project), [app.project]);
  const reloadAll = () => (claims.reload(), queue.reload(), blocked.reload());
  useLive(["task", "project"], reloadAll);
  // A lease runs out without any write: look again just after the next one does.
  const next = Math.min(...(claims.data?.live ?? []).map((l) => l.task.lease_expires_at ?? Infinity));
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const t = setTimeout(reloadAll, Math.max(0, next / 1e6 - Date.now()) + 250);
    return () => clearTimeout(t);
  }, [next]);
  usePageChrome(cliCommand("task next", [["project", app.project], ["explain", true]]));
  const c = claims.data;
  return (
    <section class="page agents-page">
      <header class="page-head">
        <div>
          <h1>Agents</h1>
          <p class="subtitle" data-testid="agents-summary">
            {c
              ? `${plural(c.live.length, "live claim")} · ${
                plural(queue.data?.page.total ?? 0, "ready task")
              } · ${plural(blocked.data?.total ?? 0, "blocked task")}`
              : "Loading…"}
          </p>
        </div>
        <Link href={withProject("/reports", app.project)} class="button ghost">Reports: time and cost →</Link>
      </header>
      <ErrorNote error={claims.error} />
      {c && <LiveClaims claims={c} reload={claims.reload} />}
      {c && <AgentRows claims={c} />}
      <div class="two-col">
        <QueueList items={queue.data?.tasks ?? []} total={queue.data?.page.total ?? 0} error={queue.error} />
        <BlockedList rows={blocked.data?.rows ?? []} total={blocked.data?.total ?? 0} error={blocked.error} />
      </div>
      {c && <RecentRuns claims={c} />}
    </section>
  );
}

function TaskLink({ t }: { t: { ref: string; title: string; task_id?: string | null } }) {
  const { project } = useApp();
  if (t.task_id === null) {
    // A run outlives its deleted task: named from the run's copies, with nothing to open.
    return (
      <span class="task-link deleted" title={`${t.title} (deleted)`}>
        <span class="ref mono">{t.ref}</span> <span class="ellipsis">{t.title}</span>{" "}
        <span class="muted small">(deleted)</span>
      </span>
    );
  }
  return (
    <Link href={withProject(`/tasks/${t.ref}`, project)} class="task-link" title={t.title}>
      <span class="ref mono">{t.ref}</span> <span class="ellipsis">{t.title}</span>
    </Link>
  );
}

function LiveClaims({ claims, reload }: { claims: Claims; reload: () => void }) {
  const release = useRelease();
  return (
    <section class="block" aria-label="Live claims">
      <header class="block-head">
        <h2>
          Live claims <span class="count">{claims.live.length}</span>
        </h2>
      </header>
      {claims.live.length === 0
        ? <p class="muted">Nobody holds a task right now.</p>
        : (
          <div class="table-scroll">
            <table class="table live-claims">
              <thead>
                <tr>
                  <th>Holder</th>
                  <th>Task</th>
                  <th>Held for</th>
                  <th>Lease</th>
                  <th>Last activity</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {claims.live.map(({ run, task, last_activity_at }) => (
                  <tr key={run.id} data-ref={task.ref}>
                    <td>
                      <Holder holder={run.holder} />
                    </td>
                    <td class="task-cell">
                      <TaskLink t={task} />
                    </td>
                    <td>
                      <Elapsed from={run.started_at} />
                    </td>
                    <td>
                      <Countdown until={task.lease_expires_at ?? run.lease_expires_at} />
                    </td>
                    <td class="muted" title={localDateTime(last_activity_at)}>{relTime(last_activity_at)}</td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="small"
                        aria-label={`Release ${task.ref}`}
                        onClick={async () => (await release(task.ref, run.holder)) && reload()}
                      >
                        Release
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}

function AgentRows({ claims }: { claims: Claims }) {
  const titles = new Map(claims.live.map((l) => [l.task.ref, l.task.title]));
  return (
    <section class="block" aria-label="Agents">
      <header class="block-head">
        <h2>
          Agents <span class="count">{claims.agents.length}</span>
        </h2>
      </header>
      {claims.agents.length === 0
        ? <p class="muted">No agent has claimed a task yet.</p>
        : (
          <div class="table-scroll">
            <table class="table agents">
              <thead>
                <tr>
                  <th>Agent</th>
                  <th>Current task</th>
                  <th class="num">Done today</th>
                  <th class="num">Median claim → done</th>
                </tr>
              </thead>
              <tbody>
                {claims.agents.map((a) => (
                  <tr key={a.holder} data-holder={a.holder}>
                    <td>
                      <Holder holder={a.holder} />
                    </td>
                    <td class="task-cell">
                      {a.current_task
                        ? <TaskLink t={{ ref: a.current_task, title: titles.get(a.current_task) ?? "" }} />
                        : <span class="muted">idle</span>}
                    </td>
                    <td class="num">{a.done_today}</td>
                    <td class="num">{msText(a.median_claim_to_done_ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}

function QueueList({ items, total, error }: { items: QueuePage["tasks"]; total: number; error?: Error }) {
  return (
    <section class="block" aria-label="Ready queue">
      <header class="block-head">
        <h2>
          Ready queue <span class="count">{total}</span>
        </h2>
        <span class="muted small">
          in <code>next</code> order
        </span>
      </header>
      <ErrorNote error={error} />
      {items.length === 0 && !error && <p class="muted">Nothing is ready.</p>}
      <ol class="queue">
        {items.map(({ task, explain }) => (
          <li key={task.id} data-ref={task.ref}>
            <span class="rank mono">{explain.position}</span>
            <div class="q-main">
              <div class="q-top">
                <PriorityBadge p={task.priority} />
                <TaskLink t={task} />
              </div>
              <div class="small reason">
                {explain.reason} <span class="muted">· {explain.facts}</span>
              </div>
            </div>
          </li>
        ))}
      </ol>
      {total > items.length && <p class="muted small">and {total - items.length} more</p>}
    </section>
  );
}

function BlockedList({ rows, total, error }: { rows: Blocked[]; total: number; error?: Error }) {
  return (
    <section class="block" aria-label="Blocked tasks">
      <header class="block-head">
        <h2>
          Blocked <span class="count">{total}</span>
        </h2>
      </header>
      <ErrorNote error={error} />
      {rows.length === 0 && !error && <p class="muted">Nothing is blocked.</p>}
      <ul class="blocked">
        {rows.map(({ task, blockers }) => (
          <li key={task.id} data-ref={task.ref}>
            <TaskLink t={task} />
            <div class="small waits">
              <span class="muted">waits on</span>
              {blockers.map((b) => (
                <span key={b.id} class="waits-on">
                  <StatusBadge s={b.status} />
                  <TaskLink t={b} />
                </span>
              ))}
            </div>
          </li>
        ))}
      </ul>
      {total > rows.length && <p class="muted small">and {total - rows.length} more</p>}
    </section>
  );
}

function RecentRuns({ claims }: { claims: Claims }) {
  const ended = claims.recent.filter((r) => r.outcome !== "open");
  return (
    <section class="block" aria-label="Recently ended claims">
      <header class="block-head">
        <h2>Recently ended claims</h2>
      </header>
      {ended.length === 0 ? <p class="muted">No claim has ended yet.</p> : (
        <div class="table-scroll">
          <table class="table recent">
            <thead>
              <tr>
                <th>Holder</th>
                <th>Task</th>
                <th>Outcome</th>
                <th>Held</th>
                <th>Ended</th>
              </tr>
            </thead>
            <tbody>
              {ended.map((r) => (
                <tr key={r.id} data-ref={r.ref} data-outcome={r.outcome}>
                  <td>
                    <Holder holder={r.holder} />
                  </td>
                  <td class="task-cell">
                    <TaskLink t={r} />
                  </td>
                  <td>
                    <OutcomeBadge o={r.outcome} />
                  </td>
                  <td>
                    <RunTook r={r} />
                  </td>
                  <td class="muted" title={localDateTime(r.ended_at ?? undefined)}>
                    {relTime(r.ended_at ?? undefined)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
