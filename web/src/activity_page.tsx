// Activity: every write, newest first, grouped by day; kind and actor filters; live; export.
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync, useDebounced } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Link, withProject } from "./router.tsx";
import { ErrorNote, useApp, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import { download } from "./task_export.tsx";
import { byDay } from "./task_timeline.tsx";
import type { Activity } from "./types.ts";
import { actorText, dayLabel, localTime, relTime } from "./format.ts";

const KINDS = ["task", "comment", "plan", "doc", "memory", "attachment", "project", "label", "token"];
const PAGE = 200;

interface ActivityPage {
  events: Activity[];
  total?: number;
  page?: { total: number; has_more: boolean };
}

function toMarkdown(title: string, events: Activity[]): string {
  const lines = events.map((e) =>
    `- ${new Date(e.created_at / 1e6).toISOString().slice(0, 19).replace("T", " ")} [${e.entity}] ${
      e.summary || e.action
    } (${actorText(e.actor)})`
  );
  return `# ${title}\n\n${lines.join("\n")}\n`;
}

export function ActivityPage() {
  const app = useApp();
  const [kind, setKind] = useState("");
  const [actorInput, setActorInput] = useState("");
  const actor = useDebounced(actorInput.trim(), 300);
  const [limit, setLimit] = useState(PAGE);
  const res = useAsync(
    () =>
      api.get<ActivityPage>("/api/activity", {
        project: app.project || undefined,
        kind: kind || undefined,
        actor: actor || undefined,
        limit,
      }),
    [app.project, kind, actor, limit],
  );
  useLive(["*"], res.reload);
  usePageChrome(
    cliCommand("activity", [
      ["project", app.project],
      ["kind", kind],
      ["actor-kind", actor.includes(":") ? actor.slice(0, actor.indexOf(":")) : undefined],
      ["actor-name", actor.includes(":") ? actor.slice(actor.indexOf(":") + 1) : actor],
      ["json", true],
    ]),
  );
  const events = res.data?.events ?? [];
  const total = res.data?.page?.total ?? res.data?.total ?? events.length;
  const days = byDay(events, (e) => e.created_at);
  return (
    <section class="page">
      <header class="page-head">
        <div>
          <h1>Activity</h1>
          <p class="subtitle">{res.data ? `${total.toLocaleString()} events` : "Loading…"}</p>
        </div>
        <div class="head-actions">
          <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="">All kinds</option>
            {KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <input
            placeholder="Actor name or kind:name"
            aria-label="Actor"
            value={actorInput}
            onInput={(e) => setActorInput(e.currentTarget.value)}
          />
          {events.length > 0 && (
            <button
              type="button"
              class="ghost"
              onClick={() =>
                download(
                  `backlog-activity-${app.project || "all"}.md`,
                  "text/markdown",
                  toMarkdown("Activity", events),
                )}
            >
              Export
            </button>
          )}
        </div>
      </header>
      <ErrorNote error={res.error} />
      <div class="timeline">
        {days.map(([day, rows]) => (
          <section class="day" key={day}>
            <h3 class="day-title">
              {dayLabel(rows[0].created_at)}
              <button
                type="button"
                class="ghost tiny"
                onClick={() => download(`backlog-activity-${day}.md`, "text/markdown", toMarkdown(day, rows))}
              >
                Export
              </button>
            </h3>
            <ul class="day-rows activity-rows">
              {rows.map((e) => (
                <li key={e.id}>
                  <span class="muted small time">{localTime(e.created_at)}</span>
                  <span class={`badge kind-${e.entity}`}>{e.entity}</span>
                  <span class="muted small">{e.action}</span>
                  <EntityLink e={e} project={app.project} />
                  <span class="spacer" />
                  <span class="mono small muted">{actorText(e.actor)}</span>
                  <span class="muted small">{relTime(e.created_at)}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {res.data && events.length === 0 && <div class="empty">No activity recorded.</div>}
        {events.length < total && (
          <button
            type="button"
            class="ghost more"
            onClick={() => setLimit(limit + PAGE)}
          >
            Load more ({(total - events.length).toLocaleString()} remaining)
          </button>
        )}
      </div>
    </section>
  );
}

function EntityLink({ e, project }: { e: Activity; project: string }) {
  const text = e.summary || e.action;
  if (e.entity === "task" && e.action !== "deleted") {
    return <Link href={withProject(`/tasks/${seg(e.entity_id)}`, project)} class="summary">{text}</Link>;
  }
  if (e.entity === "doc" && e.action !== "deleted") {
    return <Link href={withProject(`/docs/${seg(e.entity_id)}`, project)} class="summary">{text}</Link>;
  }
  return <span class="summary">{text}</span>;
}
