import type { Page, Plan, Run, Task } from "./models.ts";

/** Read models composed from several tables, shared by the services that build them and the web UI. */

/** A current plan with the task and project it belongs to (the cross-task plan index). */
export type PlanWithTask = Plan & {
  task_seq: number;
  task_title: string;
  project_alias?: string;
  project_name?: string;
};

/** The Agents page: live claims, recently ended ones, and one row per agent. */
export interface ClaimsBoard {
  live: { run: Run; task: Task; last_activity_at: number }[];
  recent: Run[];
  agents: {
    holder: string;
    current_task: string | null;
    done_today: number;
    median_claim_to_done_ms: number | null;
  }[];
}

/** One group of runs (an agent, a project or a task type) over the window. */
export interface ReportRow {
  key: string;
  runs: number;
  done: number;
  released: number;
  expired: number;
  taken_over: number;
  /** done ÷ runs that ended (open runs are not counted yet). */
  success_rate: number | null;
  median_claim_to_done_ms: number | null;
  p90_claim_to_done_ms: number | null;
  /** Runs on the tasks this group finished ÷ those tasks. */
  attempts_per_done: number | null;
  /**
   * All tokens (input + output) of the group's runs ÷ the tasks it finished, so failed attempts are
   * paid for; like attempts, per done task (a task reopened and done again counts once).
   */
  tokens_per_done: number | null;
  cost_per_done_usd: number | null;
  /** done ÷ days in the window. */
  done_per_day: number;
}

/** `backlog report`: runs started in [since, until], grouped three ways. */
export interface RunReport {
  since: number;
  until: number;
  by_agent: ReportRow[];
  by_project: ReportRow[];
  by_type: ReportRow[];
  done_per_day: { day: string; done: number }[];
  /** More runs started in the window than one report reads. */
  truncated: boolean;
}

/** One ranked candidate as shown by `task next --explain`. */
export interface NextCandidate {
  id: string;
  ref: string;
  title: string;
  status: string;
  priority: number;
  /** Open tasks that wait on this one, directly or transitively. */
  unblocks: number;
  created_at: number;
  reason: string;
}

/** Why one task stands where it does in the ready queue. */
export interface QueueExplain {
  /** 1-based place in the whole queue. */
  position: number;
  unblocks: number;
  /** Priority, open tasks unblocked, creation time (and an expired lease), as `next --explain` says. */
  facts: string;
  /** "first in order", or why it ranks right after the task above it. */
  reason: string;
}

/** A page of the ready queue, each task with why it stands where it does. */
export interface QueuePage {
  tasks: { task: Task; explain: QueueExplain }[];
  page: Page;
}

/** Created / updated / unchanged / skipped, per kind of record a peer import writes. */
export type ImportCounts = { created: number; updated: number; unchanged: number; skipped: number };

/** The report of a peer import (`backlog import`, `POST /api/import`), dry run or not. */
export interface PeerImportResult {
  dry_run: boolean;
  format: string;
  source: string;
  project: string;
  project_created: boolean;
  tasks: ImportCounts;
  plans: ImportCounts;
  comments: ImportCounts;
  dependencies: ImportCounts;
  docs: ImportCounts;
  /** Fields with no home, written into descriptions under a heading. */
  unplaced: number;
  /** Titles and labels whose control characters were replaced by spaces. */
  sanitised: number;
  /** Why something was skipped (e.g. an edge that would close a cycle). */
  notes: string[];
}
