-- Where in the code a task points (file, line or URL).
ALTER TABLE tasks ADD COLUMN project_path TEXT NOT NULL DEFAULT '';
