import { z } from "zod";
import { ACTIVITY_ENTITIES, ACTOR_KINDS, SORT_KEYS, TASK_STATUSES, TASK_TYPES } from "./enums.ts";
import { parseDate } from "./time.ts";
import { nameProblem } from "./text.ts";
import { quoteInput } from "./quote.ts";
import { aliasProblem, lengthProblem, textProblem } from "./fields.ts";

/**
 * The zod schemas of every payload Backlog accepts or returns on its surfaces (CLI files, MCP
 * arguments, HTTP bodies) and of its interchange formats. `backlog schema <name>` prints them as
 * JSON Schema; the importers and HTTP routes validate with the same objects, so the documentation
 * cannot drift. Field names are the MCP argument names; where an HTTP route takes the task (or
 * plan, doc) in its path, its body is the same object without that field. Input objects are
 * strict: an unknown key (a misspelt `claim_token`, say) is an error, never silently dropped.
 */

const list = (vals: readonly string[]) => vals.join(", ");
const LIMIT_DOC = "page size (default 50, MCP 20); 0 = the largest page the surface allows";

/** A refinement by one of the rules in fields.ts (a problem function: the message, or undefined). */
const rule = <T extends z.ZodType<string>>(schema: T, problem: (v: string) => string | undefined) =>
  schema.refine((v) => problem(v) === undefined, { error: (iss) => problem(String(iss.input)) });

/** A required text field of at most `max` bytes (trimmed): the rule of `requireText`. */
const text = (field: string, max = 255) =>
  rule(z.string({ error: `${field} must be a string` }).trim(), (v) => textProblem(v.trim(), field, max));

/**
 * The refinement every title, name, label and tag goes through on every surface (the services
 * apply the same `nameProblem` through `requireName`): no control, bidi or zero-width characters.
 */
export const safeName = <T extends z.ZodType<string>>(schema: T, field: string) =>
  rule(schema, (v) => nameProblem(v, field));

/** A required title or name of at most `max` bytes (trimmed), refined by safeName. */
export const nameText = (field: string, max = 255) => safeName(text(field, max), field);

/** An optional name (may be empty), refined by safeName. */
export const optName = (field: string, max = 255) => safeName(optTextOf(field, max), field).optional();

/** An optional text of at most `max` bytes: the rule of `boundedText`. */
const optTextOf = (field: string, max: number) =>
  rule(z.string({ error: `${field} must be a string` }), (v) => lengthProblem(v, field, max));
export const optText = (field: string, max = 65535) => optTextOf(field, max).optional();

/** One of `vals`, refused as `invalid <what> "<input>" (valid: …)`, the input quoted as typed. */
const oneOf = <const T extends readonly [string, ...string[]]>(what: string, vals: T) =>
  z.enum(vals, { error: (iss) => `invalid ${what} ${quoteInput(iss.input)} (valid: ${list(vals)})` });

export const TaskTypeSchema = oneOf("type", TASK_TYPES);
export const TaskStatusSchema = oneOf("status", TASK_STATUSES);
export const ActorKindSchema = z.enum(ACTOR_KINDS, {
  error: (iss) => `invalid actor kind ${JSON.stringify(iss.input)} (use human or ai)`,
});

/** 1..5 or "P1".."P5" (any case). */
const badPriority = {
  error: (iss: { input?: unknown }) => `invalid priority ${JSON.stringify(iss.input)} (use P1-P5 or 1-5)`,
};
export const PrioritySchema = z.union([
  z.int(badPriority).min(1, badPriority).max(5, badPriority),
  z.string(badPriority).regex(/^\s*[pP]?[1-5]\s*$/, badPriority),
], badPriority).describe("1-5 or P1-P5 (1 = highest)");

export const AliasSchema = rule(z.string({ error: "alias must be a string" }), aliasProblem)
  .describe("project alias: lowercase letters, digits and hyphens");

/** A calendar date or timestamp: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS (UTC) or RFC3339. */
export const DateSchema = z.string({ error: "date must be a string" }).refine((v) => {
  try {
    parseDate(v);
    return true;
  } catch {
    return false;
  }
}, { error: (iss) => `invalid date ${JSON.stringify(iss.input)} (use YYYY-MM-DD or RFC3339)` })
  .describe("YYYY-MM-DD or RFC3339");

// Nanosecond timestamps exceed 2^53, so z.int() (safe integers only) cannot describe them.
const Ns = z.number().min(0).refine(Number.isInteger, "must be whole nanoseconds").describe(
  "Unix nanoseconds",
);
export const Labels = z.array(safeName(z.string({ error: "labels must be strings" }), "label"), {
  error: "labels must be an array of strings",
}).max(100);

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
  due_date: DateSchema.optional(),
  source: optText("source", 255),
  external_ref: optText("external_ref", 1024),
  project_path: optText("project_path", 4096),
};

export const TaskInputSchema = z.strictObject({
  project: z.string().optional().describe("project alias (MCP, HTTP: required; CLI: -p or the default)"),
  title: nameText("title"),
  ...taskFields,
  labels: Labels.optional(),
  plans: z.array(PlanInputSchema).max(100).optional(),
}).describe("create a task (MCP task_create, HTTP POST /api/tasks; plans: HTTP only)");

export const TaskUpdateSchema = z.strictObject({
  id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
  title: nameText("title").optional(),
  ...taskFields,
  due_date: DateSchema.or(z.literal("")).optional().describe('YYYY-MM-DD or RFC3339; "" clears'),
  labels: Labels.optional().describe("replaces every label"),
  archived: z.boolean().optional().describe("true archives, false restores"),
  expected_version: z.int().min(1).optional().describe(
    "fail with a conflict unless the task is at this version (HTTP: or If-Match)",
  ),
  claim_token: z.string().optional().describe(
    "the claim's token: fail with a conflict if the claim was lost (HTTP: or X-Claim-Token)",
  ),
}).describe("change a task (only the fields given; MCP task_update, HTTP PATCH /api/tasks/{id})");

export const TaskQuerySchema = z.object({
  project: z.string().optional(),
  status: z.array(TaskStatusSchema).optional(),
  type: z.array(TaskTypeSchema).optional(),
  priority: z.array(PrioritySchema).optional(),
  label: z.array(z.string()).optional(),
  label_match: oneOf("label_match", ["any", "all"]).optional().describe(
    "several labels: any (default) or all",
  ),
  assignee: z.string().optional(),
  actor_kind: ActorKindSchema.optional(),
  actor_name: z.string().optional(),
  source: z.string().optional(),
  search: z.string().optional().describe('words, "phrase", prefix*, a OR b, TASK-N'),
  ready: z.boolean().optional(),
  blocked: z.boolean().optional(),
  include_archived: z.boolean().optional(),
  archived: z.boolean().optional().describe("archived tasks only"),
  sort: oneOf("sort", SORT_KEYS).optional(),
  order: oneOf("order", ["asc", "desc"]).optional(),
  limit: z.int().min(0).optional().describe(LIMIT_DOC),
  offset: z.int().min(0).optional(),
}).describe("filter, sort and page tasks (HTTP GET /api/tasks: a list repeats or splits on commas)");

export const ClaimInputSchema = z.strictObject({
  id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
  lease: z.string().optional().describe("lease duration, e.g. 30m (default 30m)"),
}).describe("claim a task: status doing, assignee = you, a lease and a token (MCP task_claim)");

export const NextInputSchema = z.strictObject({
  project: z.string().optional(),
  type: z.array(TaskTypeSchema).optional(),
  label: z.array(z.string()).optional(),
  claim: z.boolean().optional(),
  lease: z.string().optional(),
  explain: z.boolean().optional().describe("say why each candidate was or was not picked (HTTP)"),
}).describe("the best ready task (optionally claimed in the same transaction)");

/** Usage the claim's holder may report with a write under the claim (accumulated onto its run). */
export const UsageFields = {
  input_tokens: z.int().min(0).optional().describe("input tokens spent since the last report"),
  output_tokens: z.int().min(0).optional().describe("output tokens spent since the last report"),
  cost_usd: z.number().min(0).optional().describe("cost in USD since the last report"),
  model: z.string().min(1).max(64).optional().describe("model name, e.g. claude-sonnet-4"),
};

export const RenewInputSchema = z.strictObject({
  id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
  token: z.string().describe("the claim's token (HTTP: or X-Claim-Token)"),
  lease: z.string().optional(),
  ...UsageFields,
}).describe("extend a claim's lease (MCP task_claim with id and token)");

export const ReleaseInputSchema = z.strictObject({
  id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
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
  id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
  blocked_by: z.string().describe("the blocking task (MCP: a list)"),
}).describe("the task id is blocked by blocked_by (MCP task_dep, HTTP POST /api/tasks/{id}/deps)");

export const CommentInputSchema = z.strictObject({
  task_id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
  body: text("body", 1 << 20),
}).describe("add a comment to a task");

export const PlanAddSchema = PlanInputSchema.extend({
  task_id: z.string().describe("TASK-N, N or ID (HTTP: in the path)"),
})
  .describe("add a plan to a task");

export const PlanUpdateSchema = z.strictObject({
  title: nameText("title").optional(),
  body: text("body", 1 << 20).optional(),
  change_note: optText("change_note", 1024),
}).describe("add a plan version (what is not given is kept)");

export const LabelInputSchema = z.strictObject({
  project: z.string(),
  name: nameText("name", 64),
  color: optName("color", 64),
}).describe("create a label (or change its colour)");

export const LabelAttachSchema = z.strictObject({ name: nameText("name", 64) })
  .describe("attach a label to a task (created when missing; HTTP POST /api/tasks/{id}/labels)");

export const MemoryInputSchema = z.strictObject({
  project: z.string(),
  body: text("body", 1 << 20),
  tags: z.union([z.string(), z.array(z.string())]).optional().describe("comma-separated or a list"),
}).describe("add a project memory entry");

export const MemoryUpdateSchema = z.strictObject({
  body: text("body", 1 << 20).optional(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
}).describe("change a memory entry");

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

export const DocAppendSchema = z.strictObject({
  content: text("content", 1 << 20),
  change_note: optText("change_note", 1024),
}).describe("append text to a doc as a new version");

export const AttachmentInputSchema = z.strictObject({
  file: z.file().describe("the file (≤ 10 MiB)"),
  task: z.string().optional().describe("TASK-N, N or ID"),
  doc: z.string().optional().describe("doc ID"),
  linked_type: z.string().optional().describe("task or doc: with linked_id, instead of task or doc"),
  linked_id: z.string().optional(),
  name: z.string().optional().describe("file name (default: the uploaded file's)"),
  mime_type: z.string().optional().describe("type/subtype (default: from the extension)"),
}).describe("attach a file to a task or a doc (HTTP POST /api/attachments, multipart/form-data)");

export const ActivityQuerySchema = z.object({
  project: z.string().optional(),
  entity: z.enum(ACTIVITY_ENTITIES).optional().describe("HTTP: kind or entity; CLI: --kind"),
  actor: z.string().optional().describe("kind:name, or a name (any kind)"),
  actor_kind: ActorKindSchema.optional(),
  actor_name: z.string().optional(),
  since: z.string().optional().describe("duration (7d) or date"),
  limit: z.int().min(0).optional().describe(LIMIT_DOC),
  offset: z.int().min(0).optional(),
}).describe("filter the activity log");
