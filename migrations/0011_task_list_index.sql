-- The default task list order (priority, newest first) within a project, served from an index.
CREATE INDEX IF NOT EXISTS idx_tasks_list ON tasks(project_id, priority, created_at DESC);
