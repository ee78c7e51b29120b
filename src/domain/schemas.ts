import { z } from "zod";
import { ACTIVITY_ENTITIES, ACTOR_KINDS, SORT_KEYS } from "./enums.ts";
import {
  ActorKindSchema,
  AliasSchema,
  choiceOf,
  DueDateSchema,
  Id,
  Labels,
  LeaseSchema,
  listOf,
  nameText,
  Ns,
  oneOf,
  oneRequired,
  optName,
  optText,
  Paging,
  PrioritySchema,
  Tags,
  TaskRef,
  TaskStatusSchema,
  TaskTypeSchema,
  text,
  UsageFields,
  VersionNo,
} from "./schema_fields.ts";

/** The operations only the CLI serves (tokens, activity analysis, doctor), in their own file. */
export * from "./schemas_admin.ts";

export {
  ActorKindSchema,
  AliasSchema,
  DateSchema,
  Labels,
  nameText,
  optName,
  optText,
  PrioritySchema,
  safeName,
  TaskStatusSchema,
  TaskTypeSchema,
  UsageFields,
} from "./schema_fields.ts";

/**
 * The zod schemas of every payload Backlog accepts or returns on its surfaces (CLI files, MCP
 * arguments, HTTP bodies) and of its interchange formats. `backlog schema <name>` prints them as
 * JSON Schema; the importers, HTTP routes (bodies and query strings) and MCP tools parse with the same
 * objects, so the documentation cannot drift and an input rule is written once. Field names are the
 * MCP argument names; where an HTTP route takes the task (or plan, doc) in its path, its body is the
 * same object without that field; an MCP tool that serves several operations takes their fields
 * (task_claim: claim, next, renew, release). Input objects are strict: an unknown key (a misspelt
 * `claim_token`, say) is an error, never silently dropped.
 */

export const ActorSchema = z.object({
  kind: ActorKindSchema,
  name: z.string().min(1),
}).describe("who made a write: human:<name> or ai:<name>");

export const ProjectSchema = z.object({
  id: z.string(),
  alias: z.string(),
  name: z.string(),
  description: z.string(),
  repo_path: z.string(),
  archived_at: Ns.optional(),
  created_at: Ns,
  updated_at: Ns,
}).describe("a project");

export const ProjectInputSchema = z.strictObject({
  alias: AliasSchema,
  name: optName("name"),
  description: optText("description"),
  repo_path: optText("repo_path", 4096),
}).describe("create a project");

export const ProjectUpdateSchema = z.strictObject({
  name: nameText("name").optional(),
  description: optText("description"),
  repo_path: optText("repo_path", 4096),
}).describe("change a project (only the fields given)");

export const PlanInputSchema = z.strictObject({
  title: nameText("title"),
  body: text("body", 1 << 20),
  source: optText("source", 255),
  change_note: optText("change_note", 1024),
}).describe("a plan attached to a task");

const PlanVersionSchema = z.object({
  id: z.string(),
  plan_id: z.string(),
  version: z.int(),
  title: z.string(),
  body: z.string(),
  actor: ActorSchema,
  change_note: z.string().optional(),
  created_at: Ns,
});

export const PlanSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  current_version: z.int(),
  source: z.string().optional(),
  archived_at: Ns.optional(),
  created_at: Ns,
  updated_at: Ns,
  version: PlanVersionSchema.optional(),
}).describe("a versioned plan on a task");

export const LabelSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  color: z.string().optional(),
}).describe("a project's label (color omitted when empty)");

export const CommentSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  body: z.string(),
  actor: ActorSchema,
  created_at: Ns,
}).describe("a comment on a task");

export const TaskSchema = z.object({
  id: z.string().describe("ULID"),
  seq: z.int().describe("workspace-global number: TASK-<seq>"),
  ref: z.string().describe("TASK-<seq>"),
  project_id: z.string(),
  project: z.object({ id: z.string(), alias: z.string(), name: z.string() }).loose().optional(),
  title: z.string(),
  description: z.string(),
  type: TaskTypeSchema,
  status: TaskStatusSchema,
  priority: z.int().min(1).max(5),
  assignee: z.string().optional(),
  due_at: Ns.optional(),
  actor: ActorSchema,
  source: z.string().optional(),
  external_ref: z.string().optional(),
  completed_at: Ns.optional(),
  archived_at: Ns.optional(),
  created_at: Ns,
  updated_at: Ns,
  project_path: z.string().optional(),
  version: z.int().min(1).describe("bumped by every write (optimistic concurrency)"),
  lease_expires_at: Ns.optional().describe("while claimed (status doing)"),
  labels: z.array(LabelSchema).optional().describe("label objects, as `label list` returns them"),
  plans: z.array(PlanSchema).optional(),
  comments: z.array(CommentSchema).optional(),
}).describe("a task as every surface returns it");

export const taskFields = {
  description: optText("description"),
  type: TaskTypeSchema.optional(),
  status: TaskStatusSchema.optional(),
  priority: PrioritySchema.optional(),
  assignee: optName("assignee"),
  due_date: DueDateSchema.optional(),
  source: optText("source", 255),
  external_ref: optText("external_ref", 1024),
  project_path: optText("project_path", 4096),
};

const expectedVersion = z.int().min(1).optional().describe(
  "fail with a conflict unless the task is at this version (HTTP: or If-Match)",
);

const claimToken = z.string({ error: "claim_token must be a string" }).optional().describe(
  "the claim's token: fail with a conflict if the claim was lost (HTTP: or X-Claim-Token)",
);

export const TaskInputSchema = z.strictObject({
  project: z.string().optional().describe("project alias (MCP, HTTP: required; CLI: -p or the default)"),
  title: nameText("title"),
  ...taskFields,
  labels: Labels.optional(),
  plans: z.array(PlanInputSchema).max(100).optional(),
}).describe("create a task (MCP task_create, HTTP POST /api/tasks; plans: HTTP only)");

/** task_input as MCP (task_create) and HTTP (POST /api/tasks) take it: the project named. */
export const TaskCreateSchema = TaskInputSchema.extend({
  project: z.string({ error: "project is required" }),
});

export const TaskUpdateSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  title: nameText("title").optional(),
  ...taskFields,
  due_date: DueDateSchema.optional().describe('YYYY-MM-DD or RFC3339; "" clears'),
  labels: Labels.optional().describe("replaces every label"),
  archived: z.boolean().optional().describe("true archives, false restores"),
  expected_version: expectedVersion,
  claim_token: claimToken,
}).describe("change a task (only the fields given; MCP task_update, HTTP PATCH /api/tasks/{id})");

export const TaskMoveSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  status: TaskStatusSchema,
  claim_token: claimToken,
  ...UsageFields,
}).describe("set a task's status (MCP task_move, HTTP PATCH /api/tasks/{id}/status)");

export const TaskGuardSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  expected_version: expectedVersion.describe(
    "fail with a conflict unless the task is at this version (HTTP: If-Match)",
  ),
  claim_token: claimToken.describe(
    "the claim's token: fail with a conflict if the claim was lost (HTTP: X-Claim-Token)",
  ),
}).describe(
  "the guard of a task write without a body (HTTP PATCH /api/tasks/{id}/archive, /unarchive, DELETE " +
    "/api/tasks/{id}; CLI task archive, unarchive, delete, and move's --expect-version)",
);

export const TaskQuerySchema = z.object({
  project: z.string().optional(),
  status: listOf(TaskStatusSchema).optional(),
  type: listOf(TaskTypeSchema).optional(),
  priority: listOf(PrioritySchema).optional(),
  label: listOf(z.string()).optional(),
  label_match: oneOf("label_match", ["any", "all"]).optional().describe(
    "several labels: any (default) or all",
  ),
  assignee: z.string().optional(),
  actor_kind: choiceOf("actor_kind", ACTOR_KINDS).optional(),
  actor_name: z.string().optional(),
  source: z.string().optional(),
  search: z.string().optional().describe('words, "phrase", prefix*, a OR b, TASK-N'),
  ready: z.boolean().optional(),
  blocked: z.boolean().optional(),
  include_archived: z.boolean().optional(),
  archived: z.boolean().optional().describe("archived tasks only"),
  sort: oneOf("sort", SORT_KEYS).optional(),
  order: oneOf("order", ["asc", "desc"]).optional(),
  ...Paging,
}).describe("filter, sort and page tasks (a list repeats or splits on commas; HTTP GET /api/tasks)");

export const ClaimInputSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  lease: LeaseSchema.optional(),
}).describe("claim a task: status doing, assignee = you, a lease and a token (MCP task_claim)");

/** Which ready tasks: a project, task types, labels (any of them). */
const queueScope = {
  project: z.string().optional(),
  type: listOf(TaskTypeSchema).optional(),
  label: listOf(z.string()).optional(),
};

export const NextInputSchema = z.strictObject({
  ...queueScope,
  claim: z.boolean().optional(),
  lease: LeaseSchema.optional(),
  explain: z.boolean().optional().describe("say why each candidate was or was not picked (HTTP)"),
}).describe("the best ready task (optionally claimed in the same transaction)");

export const QueueQuerySchema = z.strictObject({ ...queueScope, ...Paging })
  .describe("a page of the ready queue, in `next` order (HTTP GET /api/queue)");

export const RenewInputSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  token: z.string().optional().describe(
    "the claim's token (HTTP: or X-Claim-Token; MCP: required, it asks to renew; CLI: default the claim " +
      "you hold)",
  ),
  lease: LeaseSchema.optional(),
  ...UsageFields,
}).describe("extend a claim's lease (MCP task_claim with id and token)");

export const ReleaseInputSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  token: z.string().optional().describe("the claim's token (HTTP: or X-Claim-Token)"),
  force: z.boolean().optional().describe("a human releases someone else's claim"),
  ...UsageFields,
}).describe("give a claimed task back to the queue (MCP task_claim with id and release)");

export const RunSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  ref: z.string(),
  title: z.string(),
  holder: z.string().describe("kind:name of the claimant"),
  started_at: Ns,
  ended_at: Ns.nullable().describe("an open run past its lease shows its lease's end"),
  lease_expires_at: Ns.nullable(),
  renewals: z.int(),
  outcome: z.enum(["open", "done", "released", "expired", "taken_over"]),
  input_tokens: z.int(),
  output_tokens: z.int(),
  cost_usd: z.number(),
  model: z.string().nullable(),
}).describe("one claim as a measured attempt (task show/context, GET /api/tasks/{id}/runs)");

const ReportRowSchema = z.object({
  key: z.string().describe("kind:name, project alias or task type"),
  runs: z.int(),
  done: z.int(),
  released: z.int(),
  expired: z.int(),
  taken_over: z.int(),
  success_rate: z.number().nullable().describe("done ÷ ended runs"),
  median_claim_to_done_ms: z.number().nullable(),
  p90_claim_to_done_ms: z.number().nullable(),
  attempts_per_done: z.number().nullable(),
  tokens_per_done: z.number().nullable(),
  cost_per_done_usd: z.number().nullable(),
  done_per_day: z.number(),
});

export const ReportSchema = z.object({
  since: Ns,
  until: Ns,
  by_agent: z.array(ReportRowSchema),
  by_project: z.array(ReportRowSchema),
  by_type: z.array(ReportRowSchema),
  done_per_day: z.array(z.object({ day: z.string(), done: z.int() })),
  truncated: z.boolean(),
}).describe("backlog report: runs started in the window, per agent, project and task type");

export const DepInputSchema = z.strictObject({
  id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  blocked_by: TaskRef.describe("the blocking task"),
}).describe("the task id is blocked by blocked_by (HTTP POST /api/tasks/{id}/deps)");

export const DepChangeSchema = z.strictObject({
  id: TaskRef,
  blocked_by: z.array(TaskRef, { error: "blocked_by must be a list of tasks" }).optional().describe(
    "add these",
  ),
  remove: z.array(TaskRef, { error: "remove must be a list of tasks" }).optional().describe("remove these"),
}).describe("add and remove what a task is blocked by, in one transaction (MCP task_dep)");

export const CommentInputSchema = z.strictObject({
  task_id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  body: text("body", 1 << 20),
}).describe("add a comment to a task");

export const PlanAddSchema = PlanInputSchema.extend({
  task_id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
})
  .describe("add a plan to a task");

export const PlanUpdateSchema = z.strictObject({
  title: nameText("title").optional(),
  body: text("body", 1 << 20).optional(),
  change_note: optText("change_note", 1024),
}).describe("add a plan version (what is not given is kept)");

export const LabelInputSchema = z.strictObject({
  project: z.string(),
  name: nameText("label name", 64),
  color: optName("color", 64),
}).describe("create a label (or change its colour)");

export const LabelAttachSchema = z.strictObject({ name: nameText("label name", 64) })
  .describe("attach a label to a task (created when missing; HTTP POST /api/tasks/{id}/labels)");

export const MemoryInputSchema = z.strictObject({
  project: z.string(),
  body: text("body", 1 << 20),
  tags: Tags.optional(),
}).describe("add a project memory entry");

export const MemoryUpdateSchema = z.strictObject({
  body: text("body", 1 << 20).optional(),
  tags: Tags.optional(),
}).describe("change a memory entry");

export const MemoryAppendSchema = oneRequired(
  z.strictObject({
    value: optText("value", 1 << 20).describe("the text to append"),
    text: optText("text", 1 << 20).describe("the same as value"),
  }),
  ["value", "text"],
  "value is required",
).describe("append text to a memory entry (HTTP PATCH /api/memory/{id}/append)");

export const MemoryQuerySchema = z.object({
  project: z.string().optional(),
  tag: z.string().optional(),
  ...Paging,
}).describe("filter and page memory entries, newest first");

export const DocInputSchema = z.strictObject({
  project: z.string(),
  title: nameText("title"),
  body: optText("body", 1 << 20),
}).describe("create a project doc (v1)");

export const DocUpdateSchema = z.strictObject({
  title: nameText("title").optional(),
  body: optText("body", 1 << 20),
  change_note: optText("change_note", 1024),
}).describe("add a doc version (what is not given is kept)");

export const DocAppendSchema = oneRequired(
  z.strictObject({
    content: optText("content", 1 << 20).describe("the text to append"),
    text: optText("text", 1 << 20).describe("the same as content"),
    change_note: optText("change_note", 1024),
  }),
  ["content", "text"],
  "content is required",
).describe("append text to a doc as a new version (HTTP PATCH /api/docs/{id}/append)");

export const DocQuerySchema = z.object({ project: z.string().optional(), ...Paging })
  .describe("page docs, last updated first");

export const DocShowSchema = z.strictObject({
  id: Id.describe("doc ID (HTTP: in the path)"),
  version: VersionNo.optional().describe("a version number; 0 or none = the current one"),
}).describe("one doc at its current or a given version (MCP doc_show, HTTP GET /api/docs/{id}?version=N)");

export const PlanShowSchema = z.strictObject({
  id: Id.describe("plan ID"),
  version: VersionNo.optional().describe("a version number; 0 or none = the current one"),
}).describe("one plan at its current or a given version (MCP plan_history with version, CLI plan show)");

export const ReportQuerySchema = z.object({
  since: z.string().optional().describe("window: 7d, 24h, 90m, all, YYYY-MM-DD or RFC3339 (default 7d)"),
  project: z.string().optional().describe("only this project (default: every project)"),
}).describe("the runs report over a window (HTTP GET /api/report, CLI report, MCP activity_list report)");

export const CommentQuerySchema = z.object({
  task_id: TaskRef.describe("TASK-N, N or ID (HTTP: in the path)"),
  ...Paging,
}).describe("page a task's comments, oldest first (MCP comment_list, HTTP GET /api/tasks/{id}/comments)");

export const AttachmentQuerySchema = z.object({
  task: z.string().optional().describe("TASK-N, N or ID (HTTP: task_id or task)"),
  doc: z.string().optional().describe("doc ID (HTTP: doc_id or doc)"),
  project: z.string().optional(),
  ...Paging,
}).describe("page attachments of a task, a doc or a project (HTTP GET /api/attachments)");

export const AttachmentInputSchema = z.strictObject({
  file: z.file().describe("the file (≤ 10 MiB)"),
  task: z.string().optional().describe("TASK-N, N or ID"),
  doc: z.string().optional().describe("doc ID"),
  linked_type: z.string().optional().describe("task or doc: with linked_id, instead of task or doc"),
  linked_id: z.string().optional(),
  name: z.string().optional().describe("file name (default: the uploaded file's)"),
  mime_type: z.string().optional().describe("type/subtype (default: from the extension)"),
}).describe("attach a file to a task or a doc (HTTP POST /api/attachments, multipart/form-data)");

/** attachment_input without its file: the fields the CLI takes as flags (the file is its argument). */
export const AttachmentFieldsSchema = AttachmentInputSchema.omit({ file: true });

export const ActivityQuerySchema = z.object({
  project: z.string().optional(),
  entity: choiceOf("kind", ACTIVITY_ENTITIES).optional().describe("HTTP: kind or entity; CLI: --kind"),
  entity_id: z.string().optional().describe("one entity's history: an ID, or TASK-N (MCP: task_id)"),
  actor: z.string().optional().describe("kind:name, or a name (any kind)"),
  actor_kind: choiceOf("actor_kind", ACTOR_KINDS).optional(),
  actor_name: z.string().optional(),
  since: z.string().optional().describe("duration (7d) or date"),
  order: oneOf("order", ["asc", "desc"]).optional().describe(
    "newest first (desc) unless entity_id is given",
  ),
  ...Paging,
}).describe("filter the activity log (HTTP GET /api/activity, CLI activity, MCP activity_list)");
