-- The original accepts the task type 'bucket-list' but its CHECK rejects it. SQLite rebuilds the table
-- (../0009_task_type_bucket_list.sql); PostgreSQL replaces the CHECK in place.
ALTER TABLE tasks DROP CONSTRAINT tasks_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_type_check
  CHECK(type IN ('task','bug','issue','improvement','feature','vulnerability','chore','spike','bucket-list'));
