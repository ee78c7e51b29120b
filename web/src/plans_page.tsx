// Plans: every current plan in a table, with edit (new version) and history.
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { useLive } from "./live.ts";
import { Link, withProject } from "./router.tsx";
import { HistoryDialog, VersionedEditDialog } from "./plan_dialogs.tsx";
import { ErrorNote, useApp, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import { download } from "./task_export.tsx";
import type { Plan, PlanWithTask } from "./types.ts";
import { actorText, plural, relTime } from "./format.ts";

export function PlansPage() {
  const app = useApp();
  const [search, setSearch] = useState("");
  const [dialog, setDialog] = useState<{ kind: "edit" | "history"; plan: PlanWithTask } | null>(null);
  const res = useAsync(
    () => api.get<{ plans: PlanWithTask[] }>("/api/plans", { project: app.project || undefined, limit: 500 }),
    [app.project],
  );
  useLive(["plan", "task"], res.reload);
  const first = res.data?.plans[0];
  usePageChrome(first ? cliCommand("plan list", [["task", `TASK-${first.task_seq}`], ["json", true]]) : "");
  const s = search.trim().toLowerCase();
  const plans = (res.data?.plans ?? []).filter((p) =>
    !s ||
    (p.version?.title ?? "").toLowerCase().includes(s) ||
    `task-${p.task_seq}`.includes(s) ||
    (p.project_alias ?? "").toLowerCase().includes(s)
  );
  const exportMd = () =>
    download(
      `backlog-plans-${app.project || "all"}.md`,
      "text/markdown",
      plans.map((p) =>
        `# TASK-${p.task_seq}: ${p.version?.title ?? ""} (v${p.current_version})\n\n${
          p.version?.body ?? ""
        }\n`
      )
        .join("\n"),
    );
  return (
    <section class="page">
      <header class="page-head">
        <div>
          <h1>Plans</h1>
          <p class="subtitle">{res.data ? plural(plans.length, "plan") : "Loading…"}</p>
        </div>
        <div class="head-actions">
          <input
            type="search"
            placeholder="Filter plans…"
            aria-label="Filter plans"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          {plans.length > 0 && <button type="button" class="ghost" onClick={exportMd}>Download</button>}
        </div>
      </header>
      <ErrorNote error={res.error} />
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th class="w-ref">Task</th>
              <th>Title</th>
              {!app.project && <th>Project</th>}
              <th>Version</th>
              <th>Actor</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link href={withProject(`/tasks/TASK-${p.task_seq}`, app.project)} class="ref mono">
                    TASK-{p.task_seq}
                  </Link>
                </td>
                <td>
                  <div>{p.version?.title}</div>
                  {p.task_title && <div class="muted small">{p.task_title}</div>}
                </td>
                {!app.project && <td class="muted">{p.project_alias}</td>}
                <td>
                  <span class="badge">v{p.current_version}</span>
                </td>
                <td class="mono small">{actorText(p.version?.actor)}</td>
                <td class="muted small">{relTime(p.updated_at)}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="ghost small"
                    onClick={() => setDialog({ kind: "edit", plan: p })}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="ghost small"
                    onClick={() => setDialog({ kind: "history", plan: p })}
                  >
                    History
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {res.data && plans.length === 0 && (
          <div class="empty">No plans{s ? " match" : " yet; add one from a task"}.</div>
        )}
      </div>
      {dialog?.kind === "edit" && (
        <VersionedEditDialog
          heading={`Edit plan (creates v${dialog.plan.current_version + 1})`}
          initial={{ title: dialog.plan.version?.title ?? "", body: dialog.plan.version?.body ?? "" }}
          withNote
          onClose={() => setDialog(null)}
          submit={async (v) => {
            await api.patch<Plan>(`/api/plans/${seg(dialog.plan.id)}`, v);
            app.toast("Plan saved");
            res.reload();
          }}
        />
      )}
      {dialog?.kind === "history" && (
        <HistoryDialog
          heading={`History: ${dialog.plan.version?.title ?? "plan"}`}
          path={`/api/plans/${seg(dialog.plan.id)}/history`}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
