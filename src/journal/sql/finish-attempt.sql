-- finishAttempt: journals how an attempt ended and what it cost.
-- params: @attempt_id, @status, @cost_usd, @cost_source, @failure_code, @failure_kind, @message, @retryable, @file, @file_hash, @now
-- preconditions: the attempt exists and is 'started' or 'submitted' (checked: exactly 1 row changed by
--   the first statement); @status is succeeded, failed, rejected or cancelled; @failure_kind is the
--   provider-neutral kind of a failed attempt, or NULL.
-- effects: the attempt's outcome; the clip becomes 'succeeded' on success, else 'failed' unless an
--   earlier attempt already succeeded.
UPDATE attempts
   SET status = @status, cost_usd = @cost_usd, cost_source = @cost_source, failure_code = @failure_code, failure_kind = @failure_kind,
       message = @message, retryable = @retryable, file = @file, file_hash = @file_hash, ended_at = @now
 WHERE id = @attempt_id AND status IN ('started', 'submitted');

UPDATE clips
   SET status = CASE WHEN @status = 'succeeded' THEN 'succeeded' WHEN status = 'succeeded' THEN 'succeeded' ELSE 'failed' END,
       updated_at = @now
 WHERE clip_id = (SELECT clip_id FROM attempts WHERE id = @attempt_id);
