-- findInflightAttempt (query): the newest attempt of a clip that has a task id but no outcome.
-- params: @clip_id
SELECT id, task_id, provider, model, seed, attempt_no
  FROM attempts
 WHERE clip_id = @clip_id AND status = 'submitted'
 ORDER BY id DESC
 LIMIT 1;
