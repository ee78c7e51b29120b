-- backlog:foreign_keys=off
-- The original accepts the task type 'bucket-list' but its CHECK rejects it. SQLite cannot alter
-- a CHECK in place, so the table is rebuilt (same columns, rowids kept for the FTS index), and
-- its indexes and FTS triggers are recreated. Foreign keys are off while this runs (the runner
-- checks them afterwards), so dropping the old table cascades nothing.
CREATE TABLE tasks_rebuilt (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  type         TEXT NOT NULL DEFAULT 'task',
  status       TEXT NOT NULL DEFAULT 'todo',
  priority     INTEGER NOT NULL DEFAULT 3,
  assignee     TEXT NOT NULL DEFAULT '',
  due_at       INTEGER,
  actor_kind   TEXT NOT NULL DEFAULT 'human',
  actor_name   TEXT NOT NULL DEFAULT '',
  source       TEXT NOT NULL DEFAULT '',
  external_ref TEXT NOT NULL DEFAULT '',
  completed_at INTEGER,
  archived_at  INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  task_seq     INTEGER,
  project_path TEXT NOT NULL DEFAULT '',
  CHECK(type IN ('task','bug','issue','improvement','feature','vulnerability','chore','spike','bucket-list')),
  CHECK(status IN ('todo','doing','done')),
  CHECK(priority BETWEEN 1 AND 5),
  CHECK(actor_kind IN ('human','ai'))
);
INSERT INTO tasks_rebuilt (rowid, id, project_id, title, description, type, status, priority, assignee,
    due_at, actor_kind, actor_name, source, external_ref, completed_at, archived_at, created_at,
    updated_at, task_seq, project_path)
  SELECT rowid, id, project_id, title, description, type, status, priority, assignee,
    due_at, actor_kind, actor_name, source, external_ref, completed_at, archived_at, created_at,
    updated_at, task_seq, project_path
  FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_rebuilt RENAME TO tasks;
CREATE INDEX idx_tasks_project_status ON tasks(project_id, status);
CREATE INDEX idx_tasks_priority ON tasks(priority);
CREATE INDEX idx_tasks_type ON tasks(type);
CREATE INDEX idx_tasks_actor ON tasks(actor_kind, actor_name);
CREATE UNIQUE INDEX idx_tasks_task_seq ON tasks(task_seq);
CREATE TRIGGER tasks_ai AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
CREATE TRIGGER tasks_ad AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
END;
CREATE TRIGGER tasks_au AFTER UPDATE ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
  INSERT INTO tasks_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
