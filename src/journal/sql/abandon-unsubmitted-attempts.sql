-- abandonUnsubmittedAttempts: closes attempts that were journaled but whose create call never
--   answered (the process died in between). The provider may have billed: cost stays NULL (unknown).
-- params: @clip_id, @now, @message
-- preconditions: none (0 rows changed is fine).
-- effects: every 'started' attempt of the clip becomes 'abandoned'.
UPDATE attempts
   SET status = 'abandoned', ended_at = @now, message = @message, failure_code = 'RW_ATTEMPT_ABANDONED'
 WHERE clip_id = @clip_id AND status = 'started';
