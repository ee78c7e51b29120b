// Download the filtered tasks as Markdown, CSV or JSON (built in the browser, fetched page by page).
import { useState } from "preact/hooks";
import { api, type Query } from "./api.ts";
import { useFail } from "./ui.tsx";
import { labelNames } from "../../src/domain/models.ts";
import type { Task, TaskList } from "./types.ts";

const CHUNK = 500;
const MAX = 20000;

function utc(ns?: number): string {
  return ns ? new Date(ns / 1e6).toISOString().slice(0, 16).replace("T", " ") : "";
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function tasksToCsv(tasks: Task[]): string {
  const head =
    "ref,title,project,status,priority,type,assignee,due,labels,source,external_ref,path,created,updated";
  const rows = tasks.map((t) =>
    [
      t.ref,
      t.title,
      t.project?.alias ?? "",
      t.status,
      `P${t.priority}`,
      t.type,
      t.assignee ?? "",
      utc(t.due_at),
      labelNames(t).join(";"),
      t.source ?? "",
      t.external_ref ?? "",
      t.project_path ?? "",
      utc(t.created_at),
      utc(t.updated_at),
    ].map(csvCell).join(",")
  );
  return [head, ...rows].join("\n") + "\n";
}

export function tasksToMarkdown(tasks: Task[], scope: string): string {
  const out = [`# Tasks: ${scope}`, "", `${tasks.length} tasks, exported ${new Date().toISOString()}`, ""];
  for (const t of tasks) {
    out.push(`## ${t.ref}: ${t.title}`, "");
    out.push(
      `- Status: ${t.status} · Priority: P${t.priority} · Type: ${t.type} · Project: ${
        t.project?.alias ?? ""
      }`,
    );
    if (t.labels?.length) out.push(`- Labels: ${labelNames(t).join(", ")}`);
    if (t.assignee) out.push(`- Assignee: ${t.assignee}`);
    if (t.description) out.push("", t.description);
    out.push("");
  }
  return out.join("\n");
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function fetchAll(params: Query): Promise<Task[]> {
  const out: Task[] = [];
  for (let offset = 0; offset < MAX; offset += CHUNK) {
    const r = await api.get<TaskList>("/api/tasks", { ...params, limit: CHUNK, offset });
    out.push(...r.tasks);
    if (!r.page.has_more || r.tasks.length === 0) break;
  }
  return out;
}

export function ExportMenu({ params, scope }: { params: Query; scope: string }) {
  const fail = useFail();
  const [busy, setBusy] = useState(false);
  const run = async (fmt: string) => {
    if (!fmt) return;
    setBusy(true);
    try {
      const tasks = await fetchAll(params);
      const base = `backlog-tasks-${scope}-${new Date().toISOString().slice(0, 10)}`;
      if (fmt === "csv") download(`${base}.csv`, "text/csv", tasksToCsv(tasks));
      else if (fmt === "json") {
        download(`${base}.json`, "application/json", JSON.stringify({ tasks }, null, 2));
      } else download(`${base}.md`, "text/markdown", tasksToMarkdown(tasks, scope));
    } catch (e) {
      fail(e);
    }
    setBusy(false);
  };
  return (
    <select
      class="download"
      aria-label="Download"
      value=""
      disabled={busy}
      onChange={(e) => run(e.currentTarget.value)}
    >
      <option value="">{busy ? "Preparing…" : "Download"}</option>
      <option value="md">Markdown (.md)</option>
      <option value="csv">CSV (.csv)</option>
      <option value="json">JSON (.json)</option>
    </select>
  );
}
