// deno-lint-ignore-file no-console
/**
 * `deno run -A scripts/bench_import.ts [--n 5000] [--runs 3]`: wall time of real `backlog import`
 * processes (start-up included) on generated peer files — a Backlog.md folder of N task files
 * (front matter, description, acceptance criteria, plan, notes, a dependency each) and an N-task
 * Task Master tasks.json (details and a dependency each, every tenth task with two subtasks) —
 * first into an empty workspace, then again (nothing changes). Prints medians in seconds.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: { n: { type: "string" }, runs: { type: "string" } },
});
const N = Math.min(Number(values.n ?? 5000), 50_000);
const RUNS = Math.min(Number(values.runs ?? 3), 10);
const MAIN = new URL("../main.ts", import.meta.url).pathname;

function backlogMd(dir: string): void {
  Deno.mkdirSync(`${dir}/backlog/tasks`, { recursive: true });
  Deno.writeTextFileSync(
    `${dir}/backlog/config.yml`,
    'project_name: "Bench"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  );
  for (let i = 1; i <= N; i++) {
    const deps = i > 1 ? `\n  - TASK-${i - 1}` : " []";
    Deno.writeTextFileSync(
      `${dir}/backlog/tasks/task-${i} - Task-${i}.md`,
      `---\nid: TASK-${i}\ntitle: Task ${i}\nstatus: ${i % 3 ? "To Do" : "Done"}\nassignee: []\n` +
        `created_date: '2026-01-01 10:00'\nlabels:\n  - l${i % 7}\ndependencies:${deps}\npriority: medium\n` +
        `ordinal: ${
          i * 1000
        }\n---\n\n## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nDo thing ${i}.\n` +
        `<!-- SECTION:DESCRIPTION:END -->\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 works\n<!-- AC:END -->\n\n` +
        `## Implementation Plan\n\n<!-- SECTION:PLAN:BEGIN -->\n1. step\n2. step\n<!-- SECTION:PLAN:END -->\n\n` +
        `## Implementation Notes\n\n<!-- SECTION:NOTES:BEGIN -->\nnote ${i}\n<!-- SECTION:NOTES:END -->\n`,
    );
  }
}

function taskMaster(path: string): void {
  const tasks = [];
  for (let i = 1; i <= N; i++) {
    const subtasks = i % 10 === 0
      ? [1, 2].map((s) => ({
        id: s,
        title: `Sub ${i}.${s}`,
        description: "sub",
        status: "pending",
        dependencies: [],
      }))
      : [];
    tasks.push({
      id: i,
      title: `Task ${i}`,
      description: `Do thing ${i}.`,
      details: "Step one, step two.",
      testStrategy: "Run it.",
      status: i % 3 ? "pending" : "done",
      priority: "medium",
      dependencies: i > 1 ? [i - 1] : [],
      subtasks,
    });
  }
  Deno.writeTextFileSync(path, JSON.stringify({ master: { tasks, metadata: {} } }));
}

async function timed(args: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return (performance.now() - t0) / 1000;
}

/** Deno's cache: an isolated HOME must not make every run download the npm packages again. */
async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir as string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cache = await denoDir();
const src = Deno.makeTempDirSync({ prefix: "bench-import-src-" });
try {
  backlogMd(src);
  taskMaster(`${src}/tasks.json`);
  const rows: [string, number, number][] = [];
  for (
    const [name, path] of [[`Backlog.md, ${N} task files`, src], [
      `tasks.json, ${N} tasks`,
      `${src}/tasks.json`,
    ]]
  ) {
    const first: number[] = [];
    const again: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const ws = Deno.makeTempDirSync({ prefix: "bench-import-ws-" });
      const env = { HOME: ws, BACKLOG_DB: `${ws}/backlog.db`, NO_COLOR: "1", DENO_DIR: cache };
      try {
        first.push(await timed(["import", path], env));
        again.push(await timed(["import", path], env));
      } finally {
        Deno.removeSync(ws, { recursive: true });
      }
    }
    rows.push([name, median(first), median(again)]);
  }
  console.log(`| source | first import (s) | second import, unchanged (s) |\n|---|---|---|`);
  for (const [name, a, b] of rows) console.log(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} |`);
} finally {
  Deno.removeSync(src, { recursive: true });
}
