-- recordSkippedRow: records a row that will not be rendered (invalid, or refused by the planner).
-- params: @run_id, @row_key, @variant, @row_index, @line, @error_code, @error_message, @now
-- preconditions: the run exists (foreign key).
-- effects: the row is 'skipped' with its reason (inserted, or replacing a pending entry).
INSERT INTO rows (run_id, row_key, variant, row_index, line, status, error_code, error_message, planned_at, ended_at)
VALUES (@run_id, @row_key, @variant, @row_index, @line, 'skipped', @error_code, @error_message, @now, @now)
ON CONFLICT (run_id, row_key, variant) DO UPDATE
   SET status = 'skipped', error_code = excluded.error_code, error_message = excluded.error_message, ended_at = excluded.ended_at;
