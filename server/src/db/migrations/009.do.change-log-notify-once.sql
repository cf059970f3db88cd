-- One notification per transaction instead of one per change-log row. The
-- listener (plugins/realtime.ts) ignores the payload and reads every row after
-- the last seq it pushed, so one wake-up per commit is all it needs; a batch of
-- reports writes dozens of rows in one statement, and each row's pg_notify was
-- queued, checked for duplicates at COMMIT, sent and parsed one by one.
-- PostgreSQL folds identical notifications (same channel, same payload) of one
-- transaction into one, so an empty payload per statement gives one per commit.
DROP TRIGGER change_log_notify ON change_log;
DROP FUNCTION change_log_notify();
CREATE FUNCTION change_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('change_log', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
  FOR EACH STATEMENT EXECUTE FUNCTION change_log_notify();
