-- SQLite's 0020 (../0020_runs_without_rowid.sql) stores task_runs keyed by its id (one B-tree fewer
-- written per claim); PostgreSQL's heap and primary-key index have no such choice. This file keeps
-- the two engines' version numbers in step.
SELECT 1;
