import type { Hono } from "hono";
import type { Deps, HttpEnv } from "../request.ts";
import { qPage, qParse } from "../request.ts";
import { ReportQuerySchema } from "../../domain/schemas.ts";

/**
 * Runs and the Agents board: `GET /api/tasks/:id/runs` (a task's runs, newest first, paged),
 * `GET /api/claims` (live claims with their task and last activity, claims ended in the last 24 h,
 * one row per agent) and `GET /api/report` (`backlog report` over `since`, optionally one project).
 */
export function runRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/tasks/:id/runs", async (c) => {
    return c.json(await app.runs.forTask(c.req.param("id"), qPage(c)));
  });
  r.get("/api/claims", async (c) => c.json(await app.runs.board()));
  r.get(
    "/api/report",
    async (c) => c.json(await app.runs.report(qParse(c, ReportQuerySchema))),
  );
}
