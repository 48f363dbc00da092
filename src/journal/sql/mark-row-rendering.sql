-- markRowRendering: a render job was handed to a worker.
-- params: @run_id, @row_key, @variant, @now
-- preconditions: the row is 'pending', or 'failed' and being retried (checked: exactly 1 row changed).
-- effects: status 'rendering', start time set, earlier error cleared.
UPDATE rows
   SET status = 'rendering', started_at = @now, ended_at = NULL, error_code = NULL, error_message = NULL
 WHERE run_id = @run_id AND row_key = @row_key AND variant = @variant AND status IN ('pending', 'failed');
