-- SQLite's 0019 drops and reorders two of the original's indexes to write fewer pages per claim
-- (see ../0019_claim_pages.sql). PostgreSQL keeps its indexes (its write costs differ: heap tuples,
-- no page-per-index WAL frames in one file); this file keeps the two engines' version numbers in step.
SELECT 1;
