-- listRuns (query): runs, newest first.
-- params: @limit
SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT @limit;
