-- Fewer B-tree pages written per claim and per close (every page a transaction dirties is a WAL
-- frame written at commit and copied again at the next checkpoint):
-- - idx_tasks_project_status (the original's) moved two entries on every status change (~2.5 pages
--   per claim, ~4 per claim → done) and serves no read: lists by project and status walk
--   idx_tasks_list / idx_tasks_live, the queue its partial indexes, in-progress tasks idx_tasks_lease,
--   page totals task_counts. Dropping it loses no data; the original still reads the file.
-- - idx_activity_project_created (the original's, newest first) put every new row at the front of its
--   project's range, and SQLite's balancing packs that page full again, so most inserts split it
--   (~2.3 pages per claim). Oldest first, new rows append; SQLite reads it backwards for
--   newest-first lists just the same.
-- PostgreSQL's twin (pg/0019_claim_pages.sql) drops idx_tasks_project_status too (the engines keep the
-- same indexes: tests/db/pg_schema_parity_test.ts).
DROP INDEX IF EXISTS idx_tasks_project_status;
DROP INDEX IF EXISTS idx_activity_project_created;
CREATE INDEX IF NOT EXISTS idx_activity_project_created ON activity_log(project_id, created_at);
