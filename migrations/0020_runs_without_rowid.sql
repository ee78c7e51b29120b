-- A claim wrote ~16 WAL frames, one per B-tree page it dirtied, and one of those B-trees was
-- task_runs' primary-key index beside the table itself (a rowid table with a TEXT key keeps both).
-- Keyed by its id (a ULID: new runs append) the table is its own key index: one B-tree fewer per
-- claim. Same columns, constraints and indexes; the original tool does not know this table.
-- PostgreSQL has nothing to change (pg/0020_runs_without_rowid.sql keeps the version numbers in step).
CREATE TABLE task_runs_new (
  id               TEXT PRIMARY KEY,
  -- NULL once the task is deleted: its runs stay in the report, described by the copies below.
  task_id          TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  task_ref         TEXT NOT NULL DEFAULT '',
  task_title       TEXT NOT NULL DEFAULT '',
  task_type        TEXT NOT NULL DEFAULT '',
  project_id       TEXT NOT NULL DEFAULT '',
  project_alias    TEXT NOT NULL DEFAULT '',
  holder           TEXT NOT NULL,
  started_at       INTEGER NOT NULL,
  ended_at         INTEGER,
  lease_expires_at INTEGER,
  renewals         INTEGER NOT NULL DEFAULT 0,
  outcome          TEXT NOT NULL DEFAULT 'open'
                   CHECK(outcome IN ('open','done','released','expired','taken_over')),
  ended_by         TEXT NOT NULL DEFAULT '',
  input_tokens     INTEGER NOT NULL DEFAULT 0,
  output_tokens    INTEGER NOT NULL DEFAULT 0,
  cost_usd         REAL NOT NULL DEFAULT 0,
  model            TEXT
) WITHOUT ROWID;
INSERT INTO task_runs_new SELECT * FROM task_runs;
DROP TABLE task_runs;
ALTER TABLE task_runs_new RENAME TO task_runs;
CREATE INDEX idx_task_runs_task ON task_runs(task_id, started_at);
CREATE INDEX idx_task_runs_started ON task_runs(started_at);
CREATE INDEX idx_task_runs_outcome ON task_runs(outcome, ended_at);
