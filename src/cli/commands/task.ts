import {
  type CommandSpec,
  defineCommand,
  type Flags,
  type FlagTable,
  type RunCtxWith,
  type TypedRunCtx,
} from "../spec.ts";
import { pageNote, taskTable, taskView } from "../views.ts";
import { GUARD_FLAGS, guardFlags, parseTaskFile, taskFlags, USAGE_FLAGS, usageFlags } from "./task_input.ts";
import { parseOrder, parsePriority, parseSort, parseStatus, parseTaskType } from "../../domain/enums.ts";
import type { Task } from "../../domain/models.ts";
import type { TaskCreate } from "../../services/tasks.ts";
import { taskCoordCommands } from "./task_coord.ts";
import { DEFAULT_PAGE, intFlag, str } from "./num_flags.ts";

const REF = [{ name: "ref", required: true }];

const FIELD_FLAGS = {
  title: str("title", { short: "t" }),
  description: str("description (markdown)", { short: "d" }),
  type: str("task|bug|issue|improvement|feature|vulnerability|chore|spike|bucket-list"),
  status: str("todo|doing|done"),
  priority: str("P1-P5 or 1-5 (1 = highest)"),
  assignee: str("assignee"),
  source: str("where the task came from (e.g. semgrep)"),
  "external-ref": str("external reference (URL or ID)"),
  "project-path": str("file, line or URL in the code (e.g. src/api.ts:84)"),
  "due-date": str("due date: YYYY-MM-DD or RFC3339"),
} satisfies FlagTable;

const result = (action: string, t: Task, message: string) => ({
  data: { ok: true, action, entity: "task", id: t.id, ref: t.ref, message },
  ok: message,
  written: t.ref,
});

/** A task write's output: the task, shown in full unless --quiet (then only its ref). */
const written = (t: Task) => ({ data: t, text: taskView(t), written: t.ref });

const many = <K extends string>(ctx: RunCtxWith<NoInfer<K>>, name: K) =>
  ((ctx.flags as Flags)[name] as string[] | undefined) ?? [];

const ADD_FLAGS = {
  project: str("project alias (default: the default project)", { short: "p" }),
  ...FIELD_FLAGS,
  label: str("label (repeatable or comma-separated)", { multiple: true }),
  "from-file": str("JSON task (snake_case keys) or a text file used as the description", {
    value: "<path>",
  }),
} satisfies FlagTable;

const LIST_FLAGS = {
  project: str("project alias", { short: "p" }),
  status: str("todo|doing|done", { multiple: true }),
  type: str("task type", { multiple: true }),
  priority: str("P1-P5", { multiple: true }),
  assignee: str("exact assignee"),
  label: str("label name (any of them; see --all-labels)", { multiple: true }),
  "all-labels": { type: "boolean", desc: "require every --label instead of any" },
  "actor-kind": str("human|ai"),
  "actor-name": str("creator name"),
  source: str("exact source"),
  search: str('full-text search: words, "phrase", prefix*, a OR b, TASK-N'),
  ready: { type: "boolean", desc: "only todo tasks with no open blockers" },
  blocked: { type: "boolean", desc: "only open tasks waiting on an open blocker" },
  "include-archived": { type: "boolean", desc: "include archived tasks" },
  archived: { type: "boolean", desc: "only archived tasks" },
  sort: str("priority|created|updated|seq|title"),
  order: str("asc|desc"),
  limit: str(`page size, 0 = all (default ${DEFAULT_PAGE})`, { value: "<n>" }),
  offset: str("skip this many", { value: "<n>" }),
} satisfies FlagTable;

async function addTask(ctx: TypedRunCtx<typeof ADD_FLAGS>) {
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
  return written(await ctx.app().tasks.create(input as TaskCreate, ctx.actor()));
}

async function listTasks(ctx: TypedRunCtx<typeof LIST_FLAGS>) {
  const f = ctx.flags;
  const { tasks, page } = await ctx.app().tasks.list({
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
    defineCommand({
      name: "add",
      summary: "Create a task",
      flags: ADD_FLAGS,
      examples: [
        'backlog task add -p api -t "Fix login timeout" --type bug --priority P1 --label auth',
        "backlog task add -p api --from-file task.json --as ai:claude",
      ],
      run: addTask,
    }),
    defineCommand({
      name: "list",
      db: "read",
      aliases: ["ls"],
      summary: "List tasks (50 per page by default)",
      flags: LIST_FLAGS,
      examples: [
        "backlog task list -p api --status todo --status doing",
        'backlog task list --search "login*" --json',
      ],
      run: listTasks,
    }),
    defineCommand({
      name: "show",
      db: "read",
      summary: "Show a task with its plans and comments",
      args: REF,
      async run(ctx) {
        const t = await ctx.app().tasks.show(ctx.args[0]);
        return { data: t, text: taskView(t) };
      },
    }),
    defineCommand({
      name: "update",
      summary: "Change the fields given (others stay)",
      args: REF,
      flags: { ...FIELD_FLAGS, ...GUARD_FLAGS },
      examples: ['backlog task update TASK-3 --assignee "" --priority P2 --expect-version 4'],
      async run(ctx) {
        return written(
          await ctx.app().tasks.update(ctx.args[0], taskFlags(ctx), ctx.actor(), guardFlags(ctx)),
        );
      },
    }),
    defineCommand({
      name: "move",
      summary: "Move a task to a status",
      args: REF,
      flags: { status: str("todo|doing|done", { required: true }), ...GUARD_FLAGS, ...USAGE_FLAGS },
      examples: [
        "backlog task move TASK-3 --status done --token $TOKEN",
        "backlog task move TASK-3 --status done --token $TOKEN --input-tokens 48000 --output-tokens 9000 --cost-usd 0.41 --model claude-sonnet-4",
      ],
      async run(ctx) {
        const guard = { ...guardFlags(ctx), usage: usageFlags(ctx) };
        return written(await ctx.app().tasks.move(ctx.args[0], String(ctx.flags.status), ctx.actor(), guard));
      },
    }),
    defineCommand({
      name: "archive",
      summary: "Archive a task",
      args: REF,
      flags: GUARD_FLAGS,
      async run(ctx) {
        const t = await ctx.app().tasks.archive(ctx.args[0], ctx.actor(), guardFlags(ctx));
        return result("archive", t, `task archived: ${t.ref}`);
      },
    }),
    defineCommand({
      name: "unarchive",
      summary: "Restore an archived task",
      args: REF,
      flags: GUARD_FLAGS,
      async run(ctx) {
        const t = await ctx.app().tasks.unarchive(ctx.args[0], ctx.actor(), guardFlags(ctx));
        return result("unarchive", t, `task restored: ${t.ref}`);
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a task with its plans and comments",
      args: REF,
      flags: GUARD_FLAGS,
      async run(ctx) {
        const t = await ctx.app().tasks.delete(ctx.args[0], ctx.actor(), guardFlags(ctx));
        return result("delete", t, `task deleted: ${t.ref}`);
      },
    }),
    ...taskCoordCommands,
  ],
};
