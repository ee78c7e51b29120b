-- PostgreSQL twin of ../0014_runs.sql: every claim is a run (integers BIGINT, cost a double).
CREATE TABLE IF NOT EXISTS task_runs (
  id               TEXT PRIMARY KEY,
  -- NULL once the task is deleted: its runs stay in the report, described by the copies below.
  task_id          TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  task_ref         TEXT NOT NULL DEFAULT '',
  task_title       TEXT NOT NULL DEFAULT '',
  task_type        TEXT NOT NULL DEFAULT '',
  project_id       TEXT NOT NULL DEFAULT '',
  project_alias    TEXT NOT NULL DEFAULT '',
  holder           TEXT NOT NULL,
  started_at       BIGINT NOT NULL,
  ended_at         BIGINT,
  lease_expires_at BIGINT,
  renewals         BIGINT NOT NULL DEFAULT 0,
  outcome          TEXT NOT NULL DEFAULT 'open'
                   CHECK(outcome IN ('open','done','released','expired','taken_over')),
  ended_by         TEXT NOT NULL DEFAULT '',
  input_tokens     BIGINT NOT NULL DEFAULT 0,
  output_tokens    BIGINT NOT NULL DEFAULT 0,
  cost_usd         DOUBLE PRECISION NOT NULL DEFAULT 0,
  model            TEXT
);
CREATE INDEX IF NOT EXISTS idx_task_runs_task ON task_runs(task_id, started_at);
CREATE INDEX IF NOT EXISTS idx_task_runs_started ON task_runs(started_at);
CREATE INDEX IF NOT EXISTS idx_task_runs_outcome ON task_runs(outcome, ended_at);
