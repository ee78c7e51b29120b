import type { Hono } from "hono";
import type { Deps, HttpEnv } from "../request.ts";
import { qInt, qStr } from "../request.ts";
import { invalid } from "../../domain/errors.ts";

const MAX_LIMIT = 200;

/**
 * Runs and the Agents board: `GET /api/tasks/:id/runs` (a task's runs, newest first, paged),
 * `GET /api/claims` (live claims with their task and last activity, claims ended in the last 24 h,
 * one row per agent) and `GET /api/report` (`backlog report` over `since`, optionally one project).
 */
export function runRoutes(r: Hono<HttpEnv>, { app }: Deps): void {
  r.get("/api/tasks/:id/runs", (c) => {
    const limit = qInt(c, "limit") ?? 20;
    if (limit < 1 || limit > MAX_LIMIT) throw invalid(`limit: must be from 1 to ${MAX_LIMIT}`);
    return c.json(app.runs.forTask(c.req.param("id"), { limit, offset: qInt(c, "offset") ?? 0 }));
  });
  r.get("/api/claims", (c) => c.json(app.runs.board()));
  r.get(
    "/api/report",
    (c) => c.json(app.runs.report({ since: qStr(c, "since"), project: qStr(c, "project") })),
  );
}
