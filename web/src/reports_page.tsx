// Reports: is the agentic loop cheaper and faster? Done per day, claim-to-done time and cost per done task
// by agent, then the full `backlog report` table by agent, project and task type. Live.
import { api } from "./api.ts";
import { useAsync, usePref } from "./hooks.ts";
import { useLive } from "./live.ts";
import { ErrorNote, useApp, usePageChrome } from "./ui.tsx";
import { cliCommand } from "./cli_bar.tsx";
import { BarTable, ColumnChart } from "./charts.tsx";
import { msText, pct, type Report, type ReportRow, tokens, usd } from "./cockpit.ts";

const WINDOWS = ["7d", "30d", "90d"] as const;
type Window = typeof WINDOWS[number];

/** Every day from `since` to `until` (UTC days, as the report counts them), zero where nothing was done. */
export function fillDays(r: Report): { x: string; label: string; y: number }[] {
  const got = new Map(r.done_per_day.map((d) => [d.day, d.done]));
  const out = [];
  const end = Math.floor(r.until / 1e6 / 86_400_000);
  for (let d = Math.floor(r.since / 1e6 / 86_400_000); d <= end && out.length < 400; d++) {
    const day = new Date(d * 86_400_000).toISOString().slice(0, 10);
    out.push({ x: day, label: day.slice(5), y: got.get(day) ?? 0 });
  }
  return out;
}

export function ReportsPage() {
  const app = useApp();
  const [since, setSince] = usePref<Window>("reportWindow", "7d");
  const res = useAsync(
    () => api.get<Report>("/api/report", { since, project: app.project || undefined }),
    [since, app.project],
  );
  useLive(["task"], res.reload);
  usePageChrome(cliCommand("report", [["since", since], ["project", app.project], ["json", true]]));
  const r = res.data;
  const agents = r?.by_agent ?? [];
  return (
    <section class="page reports-page">
      <header class="page-head">
        <div>
          <h1>Reports</h1>
          <p class="subtitle">
            {r
              ? `${agents.reduce((n, a) => n + a.done, 0)} done in ${
                agents.reduce((n, a) => n + a.runs, 0)
              } runs by ${agents.length} agents, last ${since}`
              : "Loading…"}
          </p>
        </div>
        <div class="segmented" role="group" aria-label="Window">
          {WINDOWS.map((w) => (
            <button
              type="button"
              key={w}
              class={since === w ? "on" : ""}
              aria-pressed={since === w}
              onClick={() => setSince(w)}
            >
              {w}
            </button>
          ))}
        </div>
      </header>
      <ErrorNote error={res.error} />
      {r?.truncated && (
        <p class="muted small">This window holds more runs than one report reads: the oldest are left out.</p>
      )}
      {r && (
        <>
          <div class="chart-grid">
            <div class="card-box wide">
              <ColumnChart title="Done per day" unit="done" points={fillDays(r)} />
            </div>
            <div class="card-box">
              <BarTable
                title="Claim to done, median (bar) and p90 (whisker)"
                valueHead="Median"
                whiskerHead="p90"
                fmt={msText}
                rows={agents.map((a) => ({
                  key: a.key,
                  value: a.median_claim_to_done_ms,
                  whisker: a.p90_claim_to_done_ms,
                }))}
              />
            </div>
            <div class="card-box">
              <BarTable
                title="Cost per done task"
                valueHead="Cost per done"
                fmt={usd}
                rows={agents.map((a) => ({ key: a.key, value: a.cost_per_done_usd }))}
              />
            </div>
          </div>
          <ReportTable title="By agent" rows={r.by_agent} />
          <ReportTable title="By project" rows={r.by_project} />
          <ReportTable title="By task type" rows={r.by_type} />
        </>
      )}
    </section>
  );
}

function ReportTable({ title, rows }: { title: string; rows: ReportRow[] }) {
  return (
    <section class="block" aria-label={title}>
      <header class="block-head">
        <h2>{title}</h2>
      </header>
      {rows.length === 0 ? <p class="muted">No runs in this window.</p> : (
        <div class="table-scroll">
          <table class="table report">
            <thead>
              <tr>
                <th />
                {["Runs", "Done", "Released", "Expired", "Taken over", "Success", "Median", "p90"].map((
                  h,
                ) => <th key={h} class="num">{h}</th>)}
                {["Attempts / done", "Tokens / done", "Cost / done", "Done / day"].map((h) => (
                  <th key={h} class="num">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr key={x.key}>
                  <th scope="row" class="mono">{x.key}</th>
                  <td class="num">{x.runs}</td>
                  <td class="num">{x.done}</td>
                  <td class="num">{x.released}</td>
                  <td class="num">{x.expired}</td>
                  <td class="num">{x.taken_over}</td>
                  <td class="num">{pct(x.success_rate)}</td>
                  <td class="num">{msText(x.median_claim_to_done_ms)}</td>
                  <td class="num">{msText(x.p90_claim_to_done_ms)}</td>
                  <td class="num">{x.attempts_per_done?.toFixed(1) ?? "—"}</td>
                  <td class="num">
                    {tokens(x.tokens_per_done === null ? null : Math.round(x.tokens_per_done))}
                  </td>
                  <td class="num">{usd(x.cost_per_done_usd)}</td>
                  <td class="num">{x.done_per_day.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
