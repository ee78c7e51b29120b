import { z } from "zod";
import { ActorRef, count, optName, Paging } from "./schema_fields.ts";

/**
 * The operations only the CLI serves (re-exported by schemas.ts, which says how the schemas are used):
 * tokens are administered by whoever has the database, and the activity analysis and the doctor's
 * project check are CLI reports.
 */

export const TokenCreateSchema = z.strictObject({
  actor: ActorRef.describe("who the token signs as: human:<name> or ai:<name>"),
  name: optName("name").describe("what the token is for"),
}).describe("create an API token bound to an actor (CLI token create; the CLI administers tokens)");

export const TokenQuerySchema = z.object({ ...Paging })
  .describe("page API tokens, oldest first (CLI token list)");

export const ActivityAnalyzeSchema = z.object({
  project: z.string().describe("project alias"),
  since: z.string().optional().describe("window: 7d, 24h, 90m, all, YYYY-MM-DD or RFC3339 (default 7d)"),
  stale_after: z.string().optional().describe("doing tasks untouched this long are stale (default 7d)"),
  limit: count("limit: must be a whole number ≥ 0 (0 = the default, 10)").optional().describe(
    "examples per section (default 10)",
  ),
}).describe("a project's activity analysis and workflow health (CLI activity analyze)");

export const DoctorProjectSchema = z.object({
  project: z.string().describe("project alias"),
  stale_after: z.string().optional().describe("doing tasks untouched this long are stale (default 7d)"),
  limit: count("limit: must be a whole number ≥ 0 (0 = the default, 100)").optional().describe(
    "issues to show (default 100)",
  ),
}).describe("stale, orphaned and weakly-closed work in a project (CLI doctor project)");
