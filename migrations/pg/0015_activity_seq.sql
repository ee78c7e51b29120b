-- The live change feed's position in the activity log (SQLite uses the rowid: ../0015_activity_seq.sql
-- is a no-op). `seq` is assigned when the writing transaction COMMITS, not when it inserts: a deferred
-- constraint trigger takes a transaction advisory lock ("backloga") and draws the next value of
-- activity_log_seq, so the lock is held from the draw until the commit is visible, and seq order is
-- commit order. A reader that has seen seq N has therefore seen every smaller seq, and a transaction
-- that started first but commits late gets a larger seq than anything already delivered: resuming
-- "after N" never skips a write. Committed rows always have a seq (NULL only inside the writing
-- transaction); a rolled-back write leaves a gap. The trigger also sends NOTIFY backlog_activity (one
-- per transaction: identical notifications collapse) so feeds on every server wake within
-- milliseconds; they still read the log now and then in case one was missed.
ALTER TABLE activity_log ADD COLUMN seq BIGINT;
CREATE SEQUENCE IF NOT EXISTS activity_log_seq AS BIGINT;

-- Rows written before this migration, in log order.
UPDATE activity_log a SET seq = o.n
  FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM activity_log) o
  WHERE a.id = o.id;
SELECT setval('activity_log_seq', COALESCE((SELECT MAX(seq) FROM activity_log), 0) + 1, false);
CREATE UNIQUE INDEX IF NOT EXISTS idx_activity_seq ON activity_log(seq);

CREATE OR REPLACE FUNCTION backlog_activity_seq() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7089056601489762145); -- 0x6261636b6c6f6761, "backloga"
  UPDATE activity_log SET seq = nextval('activity_log_seq') WHERE id = NEW.id AND seq IS NULL;
  IF FOUND THEN
    PERFORM pg_notify('backlog_activity', '');
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER activity_seq_at_commit AFTER INSERT ON activity_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION backlog_activity_seq();
