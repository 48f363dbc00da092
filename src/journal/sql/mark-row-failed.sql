-- markRowFailed: a row could not be rendered (its clip failed, the frame loop threw, …).
-- params: @run_id, @row_key, @variant, @error_code, @error_message, @wall_ms, @cpu_ms, @now
-- preconditions: the row is 'pending' or 'rendering' (checked: exactly 1 row changed).
-- effects: status 'failed' with the error; the batch goes on.
UPDATE rows
   SET status = 'failed', error_code = @error_code, error_message = @error_message,
       wall_ms = @wall_ms, cpu_ms = @cpu_ms, ended_at = @now
 WHERE run_id = @run_id AND row_key = @row_key AND variant = @variant AND status IN ('pending', 'rendering');
