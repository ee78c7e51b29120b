import type { CommandSpec, FlagSpec, RunCtx } from "../spec.ts";
import { pageNote, taskTable, taskView } from "../views.ts";
import { GUARD_FLAGS, guardFlags, parseTaskFile, taskFlags, USAGE_FLAGS, usageFlags } from "./task_input.ts";
import { parseOrder, parsePriority, parseSort, parseStatus, parseTaskType } from "../../domain/enums.ts";
import type { Task } from "../../domain/models.ts";
import type { TaskCreate } from "../../services/tasks.ts";
import { taskCoordCommands } from "./task_coord.ts";
import { DEFAULT_PAGE, intFlag } from "./num_flags.ts";

const s = (desc: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({ type: "string", desc, ...extra });
const REF = [{ name: "ref", required: true }];

const FIELD_FLAGS: Record<string, FlagSpec> = {
  title: s("title", { short: "t" }),
  description: s("description (markdown)", { short: "d" }),
  type: s("task|bug|issue|improvement|feature|vulnerability|chore|spike|bucket-list"),
  status: s("todo|doing|done"),
  priority: s("P1-P5 or 1-5 (1 = highest)"),
  assignee: s("assignee"),
  source: s("where the task came from (e.g. semgrep)"),
  "external-ref": s("external reference (URL or ID)"),
  "project-path": s("file, line or URL in the code (e.g. src/api.ts:84)"),
  "due-date": s("due date: YYYY-MM-DD or RFC3339"),
};

const result = (action: string, t: Task, message: string) => ({
  data: { ok: true, action, entity: "task", id: t.id, ref: t.ref, message },
  ok: message,
  written: t.ref,
});

/** A task write's output: the task, shown in full unless --quiet (then only its ref). */
const written = (t: Task) => ({ data: t, text: taskView(t), written: t.ref });

const many = (ctx: RunCtx, name: string) => (ctx.flags[name] as string[] | undefined) ?? [];

async function addTask(ctx: RunCtx) {
  let input: Partial<TaskCreate> = {};
  const file = ctx.flags["from-file"] as string | undefined;
  if (file) {
    const text = await ctx.readText(file, "--from-file");
    input = /\.json$/i.test(file) ? parseTaskFile(text, file) : { description: text };
  }
  Object.assign(input, taskFlags(ctx));
  if (ctx.given("project") || !input.project) input.project = ctx.requireProject();
  const labels = many(ctx, "label");
  if (labels.length) input.labels = [...(input.labels ?? []), ...labels];
  return written(ctx.app().tasks.create(input as TaskCreate, ctx.actor()));
}

function listTasks(ctx: RunCtx) {
  const f = ctx.flags;
  const { tasks, page } = ctx.app().tasks.list({
    project: ctx.project() || undefined,
    status: many(ctx, "status").map(parseStatus),
    type: many(ctx, "type").map(parseTaskType),
    priority: many(ctx, "priority").map(parsePriority),
    assignee: f.assignee as string | undefined,
    labels: many(ctx, "label"),
    labels_all: !!f["all-labels"],
    actor_kind: f["actor-kind"] as string | undefined,
    actor_name: f["actor-name"] as string | undefined,
    source: f.source as string | undefined,
    search: f.search as string | undefined,
    include_archived: !!f["include-archived"],
    archived_only: !!f.archived,
    ready: !!f.ready,
    blocked: !!f.blocked,
    sort: f.sort ? parseSort(String(f.sort)) : undefined,
    order: f.order ? parseOrder(String(f.order)) : undefined,
    limit: intFlag(ctx, "limit", DEFAULT_PAGE),
    offset: intFlag(ctx, "offset", 0),
  });
  const text = tasks.length
    ? [taskTable(tasks, ctx.io), pageNote(tasks.length, page.total, page.offset)].filter(Boolean).join("\n")
    : "no tasks found";
  return { data: { tasks, page }, text };
}

export const taskCommand: CommandSpec = {
  name: "task",
  aliases: ["t"],
  summary: "Create, list, change and close tasks",
  subcommands: [
    {
      name: "add",
      summary: "Create a task",
      flags: {
        project: s("project alias (default: the default project)", { short: "p" }),
        ...FIELD_FLAGS,
        label: s("label (repeatable or comma-separated)", { multiple: true }),
        "from-file": s("JSON task (snake_case keys) or a text file used as the description", {
          value: "<path>",
        }),
      },
      examples: [
        'backlog task add -p api -t "Fix login timeout" --type bug --priority P1 --label auth',
        "backlog task add -p api --from-file task.json --as ai:claude",
      ],
      run: addTask,
    },
    {
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "List tasks (50 per page by default)",
      flags: {
        project: s("project alias", { short: "p" }),
        status: s("todo|doing|done", { multiple: true }),
        type: s("task type", { multiple: true }),
        priority: s("P1-P5", { multiple: true }),
        assignee: s("exact assignee"),
        label: s("label name (any of them; see --all-labels)", { multiple: true }),
        "all-labels": { type: "boolean", desc: "require every --label instead of any" },
        "actor-kind": s("human|ai"),
        "actor-name": s("creator name"),
        source: s("exact source"),
        search: s('full-text search: words, "phrase", prefix*, a OR b, TASK-N'),
        ready: { type: "boolean", desc: "only todo tasks with no open blockers" },
        blocked: { type: "boolean", desc: "only open tasks waiting on an open blocker" },
        "include-archived": { type: "boolean", desc: "include archived tasks" },
        archived: { type: "boolean", desc: "only archived tasks" },
        sort: s("priority|created|updated|seq|title"),
        order: s("asc|desc"),
        limit: s(`page size, 0 = all (default ${DEFAULT_PAGE})`, { value: "<n>" }),
        offset: s("skip this many", { value: "<n>" }),
      },
      examples: [
        "backlog task list -p api --status todo --status doing",
        'backlog task list --search "login*" --json',
      ],
      run: listTasks,
    },
    {
      name: "show",
      db: "read",
      summary: "Show a task with its plans and comments",
      args: REF,
      run(ctx) {
        const t = ctx.app().tasks.show(ctx.args[0]);
        return { data: t, text: taskView(t) };
      },
    },
    {
      name: "update",
      summary: "Change the fields given (others stay)",
      args: REF,
      flags: { ...FIELD_FLAGS, ...GUARD_FLAGS },
      examples: ['backlog task update TASK-3 --assignee "" --priority P2 --expect-version 4'],
      run(ctx) {
        return written(ctx.app().tasks.update(ctx.args[0], taskFlags(ctx), ctx.actor(), guardFlags(ctx)));
      },
    },
    {
      name: "move",
      summary: "Move a task to a status",
      args: REF,
      flags: { status: s("todo|doing|done", { required: true }), ...GUARD_FLAGS, ...USAGE_FLAGS },
      examples: [
        "backlog task move TASK-3 --status done --token $TOKEN",
        "backlog task move TASK-3 --status done --token $TOKEN --input-tokens 48000 --output-tokens 9000 --cost-usd 0.41 --model claude-sonnet-4",
      ],
      run(ctx) {
        const guard = { ...guardFlags(ctx), usage: usageFlags(ctx) };
        return written(ctx.app().tasks.move(ctx.args[0], String(ctx.flags.status), ctx.actor(), guard));
      },
    },
    {
      name: "archive",
      summary: "Archive a task",
      args: REF,
      flags: GUARD_FLAGS,
      run(ctx) {
        const t = ctx.app().tasks.archive(ctx.args[0], ctx.actor(), guardFlags(ctx));
        return result("archive", t, `task archived: ${t.ref}`);
      },
    },
    {
      name: "unarchive",
      summary: "Restore an archived task",
      args: REF,
      flags: GUARD_FLAGS,
      run(ctx) {
        const t = ctx.app().tasks.unarchive(ctx.args[0], ctx.actor(), guardFlags(ctx));
        return result("unarchive", t, `task restored: ${t.ref}`);
      },
    },
    {
      name: "delete",
      summary: "Delete a task with its plans and comments",
      args: REF,
      flags: GUARD_FLAGS,
      run(ctx) {
        const t = ctx.app().tasks.delete(ctx.args[0], ctx.actor(), guardFlags(ctx));
        return result("delete", t, `task deleted: ${t.ref}`);
      },
    },
    ...taskCoordCommands,
  ],
};
