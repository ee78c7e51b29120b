-- PostgreSQL twin of ../0001_init.sql: same tables, columns, defaults and CHECKs; integers are BIGINT
-- (nanosecond timestamps need 64 bits; SQLite INTEGER is 64-bit too).
CREATE TABLE IF NOT EXISTS projects (
  id          TEXT PRIMARY KEY,
  alias       TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  repo_path   TEXT NOT NULL DEFAULT '',
  archived_at BIGINT,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS tasks (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  type         TEXT NOT NULL DEFAULT 'task',
  status       TEXT NOT NULL DEFAULT 'todo',
  priority     BIGINT NOT NULL DEFAULT 3,
  assignee     TEXT NOT NULL DEFAULT '',
  due_at       BIGINT,
  actor_kind   TEXT NOT NULL DEFAULT 'human',
  actor_name   TEXT NOT NULL DEFAULT '',
  source       TEXT NOT NULL DEFAULT '',
  external_ref TEXT NOT NULL DEFAULT '',
  completed_at BIGINT,
  archived_at  BIGINT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL,
  CHECK(type IN ('task','bug','issue','improvement','feature','vulnerability','chore','spike')),
  CHECK(status IN ('todo','doing','done')),
  CHECK(priority BETWEEN 1 AND 5),
  CHECK(actor_kind IN ('human','ai'))
);
CREATE INDEX IF NOT EXISTS idx_tasks_project_status ON tasks(project_id, status);
CREATE INDEX IF NOT EXISTS idx_tasks_priority ON tasks(priority);
CREATE INDEX IF NOT EXISTS idx_tasks_type ON tasks(type);
CREATE INDEX IF NOT EXISTS idx_tasks_actor ON tasks(actor_kind, actor_name);

CREATE TABLE IF NOT EXISTS plans (
  id              TEXT PRIMARY KEY,
  task_id         TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  current_version BIGINT NOT NULL DEFAULT 1,
  source          TEXT NOT NULL DEFAULT '',
  archived_at     BIGINT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_plans_task ON plans(task_id);

CREATE TABLE IF NOT EXISTS plan_versions (
  id          TEXT PRIMARY KEY,
  plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  version     BIGINT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  actor_kind  TEXT NOT NULL DEFAULT 'human',
  actor_name  TEXT NOT NULL DEFAULT '',
  change_note TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  UNIQUE(plan_id, version),
  CHECK(actor_kind IN ('human','ai'))
);
CREATE INDEX IF NOT EXISTS idx_plan_versions_plan ON plan_versions(plan_id, version DESC);

CREATE TABLE IF NOT EXISTS comments (
  id         TEXT PRIMARY KEY,
  task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  actor_kind TEXT NOT NULL DEFAULT 'human',
  actor_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  CHECK(actor_kind IN ('human','ai'))
);
CREATE INDEX IF NOT EXISTS idx_comments_task ON comments(task_id);

CREATE TABLE IF NOT EXISTS labels (
  id         TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  color      TEXT NOT NULL DEFAULT '',
  UNIQUE(project_id, name)
);

CREATE TABLE IF NOT EXISTS task_labels (
  task_id  TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  label_id TEXT NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  PRIMARY KEY(task_id, label_id)
);

CREATE TABLE IF NOT EXISTS activity_log (
  id         TEXT PRIMARY KEY,
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  action     TEXT NOT NULL,
  actor_kind TEXT NOT NULL DEFAULT 'human',
  actor_name TEXT NOT NULL DEFAULT '',
  payload    TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_activity_entity ON activity_log(entity, entity_id);

CREATE TABLE IF NOT EXISTS schema_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Full-text search (SQLite: the FTS5 external-content table tasks_fts and triggers tasks_ai/ad/au).
-- Here tasks_fts holds one tsvector per task, title weighted A and description B so `title:x` /
-- `description:x` become weight filters; a trigger keeps it in step; GIN serves `@@`. Text is split on ASCII
-- non-alphanumerics and common Unicode punctuation first (PG_SEPARATORS in src/db/pg/search.ts, which builds
-- the queries, must list the same ranges), close to unicode61; the 'simple' config then only
-- lowercases (no stemming, no stop words).
CREATE TABLE IF NOT EXISTS tasks_fts (
  task_id  TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  document TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_tasks_fts_document ON tasks_fts USING GIN (document);
CREATE OR REPLACE FUNCTION backlog_fts_words(s TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT regexp_replace(s, '[\U00000001-\U0000002f\U0000003a-\U00000040\U0000005b-\U00000060\U0000007b-\U0000007f\U000000a0-\U000000bf\U00002000-\U0000206f\U000020a0-\U000020ff\U00002190-\U0000245f\U00002500-\U00002bff\U00003000-\U0000303f\U0001f000-\U0001faff]+', ' ', 'g') $$;
CREATE OR REPLACE FUNCTION backlog_tasks_fts() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tasks_fts (task_id, document)
  VALUES (NEW.id, setweight(to_tsvector('simple', backlog_fts_words(NEW.title)), 'A')
               || setweight(to_tsvector('simple', backlog_fts_words(NEW.description)), 'B'))
  ON CONFLICT (task_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_fts_sync AFTER INSERT OR UPDATE OF title, description ON tasks
  FOR EACH ROW EXECUTE FUNCTION backlog_tasks_fts();
