-- The live change feed's position in the activity log. On SQLite it is the rowid (one writer at a
-- time, so rowid order is commit order): nothing to add. PostgreSQL's twin
-- (pg/0015_activity_seq.sql) adds a `seq` column assigned at commit; this file keeps the two
-- engines' version numbers in step.
SELECT 1;
