import {
  type CommandSpec,
  defineCommand,
  type Flags,
  type FlagTable,
  type RunCtxWith,
  type TypedRunCtx,
} from "../spec.ts";
import { pageNote, taskTable, taskView } from "../views.ts";
import {
  type FileTask,
  GUARD_FLAGS,
  guardFlags,
  parseTaskFile,
  TASK_FIELD_FLAGS,
  USAGE_FIELD_FLAGS,
  USAGE_FLAGS,
} from "./task_input.ts";
import { parsePriority } from "../../domain/enums.ts";
import { parseDueDate } from "../../domain/time.ts";
import { usageOf } from "../../domain/usage.ts";
import type { Task } from "../../domain/models.ts";
import { taskCoordCommands } from "./task_coord.ts";
import { DEFAULT_PAGE, str } from "./num_flags.ts";
import { type FlagMap, parseFlags } from "./op_flags.ts";

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
  let fromFile: FileTask = {};
  const file = ctx.flags["from-file"] as string | undefined;
  if (file) {
    const text = await ctx.readText(file, "--from-file");
    fromFile = /\.json$/i.test(file) ? parseTaskFile(text, file) : { description: text };
  }
  const { due_at, labels: fileLabels, ...fields } = fromFile;
  const names = Object.fromEntries(Object.keys(fields).map((k) => [k, `--from-file ${k}`]));
  const project = ctx.given("project") || !fields.project ? ctx.requireProject() : fields.project;
  const labels = [...(fileLabels ?? []), ...many(ctx, "label")];
  const extra = { ...fields, project, ...(labels.length ? { labels } : {}) };
  const { due_date, ...input } = parseFlags(ctx, "task_input", TASK_FIELD_FLAGS, { extra, names });
  const due = due_date === undefined ? due_at : parseDueDate(due_date);
  return written(await ctx.app().tasks.create({ ...input, project, due_at: due }, ctx.actor()));
}

/** task list's flags as task_query's fields (--all-labels is label_match all). */
const LIST_FIELD_FLAGS = {
  status: "status",
  type: "type",
  priority: "priority",
  label: "label",
  assignee: "assignee",
  actor_kind: "actor-kind",
  actor_name: "actor-name",
  source: "source",
  search: "search",
  ready: "ready",
  blocked: "blocked",
  include_archived: "include-archived",
  archived: "archived",
  sort: "sort",
  order: "order",
  limit: "limit",
  offset: "offset",
} as const satisfies FlagMap<"task_query">;

async function listTasks(ctx: TypedRunCtx<typeof LIST_FLAGS>) {
  const extra = {
    project: ctx.project() || undefined,
    ...(ctx.flags["all-labels"] ? { label_match: "all" } : {}),
  };
  const { label, label_match, priority, archived, limit, offset, ...q } = parseFlags(
    ctx,
    "task_query",
    LIST_FIELD_FLAGS,
    { extra },
  );
  const { tasks, page } = await ctx.app().tasks.list({
    ...q,
    priority: priority?.map(parsePriority),
    labels: label,
    labels_all: label_match === "all",
    archived_only: archived,
    limit: limit ?? DEFAULT_PAGE,
    offset: offset ?? 0,
  });
  const text = tasks.length
    ? [taskTable(tasks, ctx.io), pageNote(tasks.length, page.total, page.offset)].filter(Boolean).join("\n")
    : "no tasks found";
  return { data: { tasks, page }, text };
}

/** task update's flags as task_update's fields. */
const UPDATE_FIELD_FLAGS = {
  ...TASK_FIELD_FLAGS,
  expected_version: "expect-version",
  claim_token: "token",
} as const satisfies FlagMap<"task_update">;

async function updateTask(ctx: TypedRunCtx<typeof FIELD_FLAGS & typeof GUARD_FLAGS>) {
  const { id, due_date, expected_version, claim_token, ...fields } = parseFlags(
    ctx,
    "task_update",
    UPDATE_FIELD_FLAGS,
    { extra: { id: ctx.args[0] } },
  );
  const input = due_date === undefined ? fields : { ...fields, due_at: parseDueDate(due_date) };
  const guard = { expectVersion: expected_version, claimToken: claim_token };
  return written(await ctx.app().tasks.update(id, input, ctx.actor(), guard));
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
      run: updateTask,
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
        const map = { status: "status", claim_token: "token", ...USAGE_FIELD_FLAGS } as const;
        const { id, status, claim_token: _, ...q } = parseFlags(ctx, "task_move", map, {
          extra: { id: ctx.args[0] },
        });
        const guard = { ...guardFlags(ctx, id), usage: usageOf(q) };
        return written(await ctx.app().tasks.move(id, status, ctx.actor(), guard));
      },
    }),
    defineCommand({
      name: "archive",
      summary: "Archive a task",
      args: REF,
      flags: GUARD_FLAGS,
      async run(ctx) {
        const t = await ctx.app().tasks.archive(ctx.args[0], ctx.actor(), guardFlags(ctx, ctx.args[0]));
        return result("archive", t, `task archived: ${t.ref}`);
      },
    }),
    defineCommand({
      name: "unarchive",
      summary: "Restore an archived task",
      args: REF,
      flags: GUARD_FLAGS,
      async run(ctx) {
        const t = await ctx.app().tasks.unarchive(ctx.args[0], ctx.actor(), guardFlags(ctx, ctx.args[0]));
        return result("unarchive", t, `task restored: ${t.ref}`);
      },
    }),
    defineCommand({
      name: "delete",
      summary: "Delete a task with its plans and comments",
      args: REF,
      flags: GUARD_FLAGS,
      async run(ctx) {
        const t = await ctx.app().tasks.delete(ctx.args[0], ctx.actor(), guardFlags(ctx, ctx.args[0]));
        return result("delete", t, `task deleted: ${t.ref}`);
      },
    }),
    ...taskCoordCommands,
  ],
};
