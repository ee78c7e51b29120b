import { z } from "zod";
import {
  ActivityAnalyzeSchema,
  ActivityQuerySchema,
  ActorSchema,
  AliasSchema,
  AttachmentInputSchema,
  AttachmentQuerySchema,
  ClaimInputSchema,
  CommentInputSchema,
  CommentQuerySchema,
  CommentSchema,
  DepChangeSchema,
  DepInputSchema,
  DocAppendSchema,
  DocInputSchema,
  DocQuerySchema,
  DocShowSchema,
  DoctorProjectSchema,
  DocUpdateSchema,
  LabelAttachSchema,
  LabelInputSchema,
  Labels,
  LabelSchema,
  MemoryAppendSchema,
  MemoryInputSchema,
  MemoryQuerySchema,
  MemoryUpdateSchema,
  nameText,
  NextInputSchema,
  optName,
  optText,
  PlanAddSchema,
  PlanInputSchema,
  PlanSchema,
  PlanShowSchema,
  PlanUpdateSchema,
  ProjectInputSchema,
  ProjectSchema,
  ProjectUpdateSchema,
  QueueQuerySchema,
  ReleaseInputSchema,
  RenewInputSchema,
  ReportQuerySchema,
  ReportSchema,
  RunSchema,
  taskFields,
  TaskGuardSchema,
  TaskInputSchema,
  TaskMoveSchema,
  TaskQuerySchema,
  TaskSchema,
  TaskUpdateSchema,
  TokenCreateSchema,
  TokenQuerySchema,
} from "./schemas.ts";

// The file formats (findings, backlog.json, the export envelope), the shapes printed on stdout/stderr,
// and the catalogue `backlog schema` prints. Operation schemas live in schemas.ts.

/** One finding: the original's item fields plus due_date and project_path. Unknown keys are ignored. */
export const FindingsItemSchema = z.object({
  title: nameText("title"),
  ...taskFields,
  labels: Labels.optional(),
  plans: z.array(PlanInputSchema.strip()).max(100).optional(),
}).describe("one finding (becomes or updates one task)");

export const FindingsFileSchema = z.object({
  version: z.literal(1, { error: (iss) => `unsupported version ${JSON.stringify(iss.input)} (expected 1)` })
    .optional().describe("format version (1)"),
  project: z.string().optional().describe("project alias (the -p flag wins)"),
  items: z.array(FindingsItemSchema, { error: "items must be an array" }),
}).describe("`backlog import-findings` file");

export const ManifestProjectSchema = z.object({
  alias: AliasSchema,
  name: optName("name"),
  description: optText("description"),
  repo_path: optText("repo_path", 4096),
});

export const ManifestSchema = z.object({
  version: z.literal(1, { error: (iss) => `unsupported version ${JSON.stringify(iss.input)} (expected 1)` })
    .optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  projects: z.array(ManifestProjectSchema, { error: "projects must be an array" }).optional(),
}).describe("`backlog.json`: the workspace's projects (`backlog sync`)");

/** The export envelope (`backlog export --format json`), also accepted by `backlog import`. */
export const ExportFileSchema = z.object({
  tasks: z.array(
    TaskSchema.extend({
      ref: z.string().optional(),
      version: z.int().min(1).optional(),
      project: z.object({ id: z.string(), alias: AliasSchema, name: z.string() }).loose(),
      // Label objects (the original's and ours); plain names from exports before they were objects.
      labels: z.array(z.union([z.string(), LabelSchema.partial({ id: true, project_id: true }).loose()]))
        .optional(),
    }).loose(),
    { error: "tasks must be an array" },
  ),
}).describe("`backlog export --format json` output");

export const MutationResultSchema = z.object({
  ok: z.literal(true),
  action: z.string(),
  entity: z.string(),
  id: z.string(),
  ref: z.string(),
  message: z.string(),
}).describe("result of archive, delete and similar commands");

export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(["internal", "no_workspace", "usage", "invalid", "not_found", "conflict"]),
    message: z.string(),
    hint: z.string().optional(),
  }).loose(),
}).describe("error object printed on stderr with --json (exit 1-4)");

/** Every schema `backlog schema` knows, by name. */
export const SCHEMAS: Record<string, z.ZodType> = {
  actor: ActorSchema,
  project: ProjectSchema,
  project_input: ProjectInputSchema,
  project_update: ProjectUpdateSchema,
  task: TaskSchema,
  task_input: TaskInputSchema,
  task_update: TaskUpdateSchema,
  task_move: TaskMoveSchema,
  task_guard: TaskGuardSchema,
  task_query: TaskQuerySchema,
  claim_input: ClaimInputSchema,
  next_input: NextInputSchema,
  queue_query: QueueQuerySchema,
  renew_input: RenewInputSchema,
  release_input: ReleaseInputSchema,
  run: RunSchema,
  report: ReportSchema,
  report_query: ReportQuerySchema,
  dep_input: DepInputSchema,
  dep_change: DepChangeSchema,
  plan: PlanSchema,
  plan_input: PlanAddSchema,
  plan_update: PlanUpdateSchema,
  plan_show: PlanShowSchema,
  comment: CommentSchema,
  comment_input: CommentInputSchema,
  comment_query: CommentQuerySchema,
  label_input: LabelInputSchema,
  label_attach: LabelAttachSchema,
  memory_input: MemoryInputSchema,
  memory_update: MemoryUpdateSchema,
  memory_append: MemoryAppendSchema,
  memory_query: MemoryQuerySchema,
  doc_input: DocInputSchema,
  doc_update: DocUpdateSchema,
  doc_append: DocAppendSchema,
  doc_query: DocQuerySchema,
  doc_show: DocShowSchema,
  attachment_input: AttachmentInputSchema,
  attachment_query: AttachmentQuerySchema,
  token_create: TokenCreateSchema,
  token_query: TokenQuerySchema,
  activity_query: ActivityQuerySchema,
  activity_analyze: ActivityAnalyzeSchema,
  doctor_project: DoctorProjectSchema,
  findings_file: FindingsFileSchema,
  findings_item: FindingsItemSchema,
  manifest: ManifestSchema,
  export_file: ExportFileSchema,
  mutation_result: MutationResultSchema,
  error: ErrorSchema,
};

/** JSON Schema (draft 2020-12) of a named schema, as accepted on input. */
export function jsonSchema(name: string): Record<string, unknown> {
  const s = SCHEMAS[name];
  const out = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $id: `backlog:${name}`, ...out };
}

/** Short descriptions of every schema, for `backlog schema` without a name. */
export function schemaIndex(): { name: string; description: string }[] {
  return Object.entries(SCHEMAS).map(([name, s]) => ({ name, description: s.description ?? "" }));
}
