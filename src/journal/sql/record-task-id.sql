-- recordTaskId: journals the provider's task id right after the create call returned.
-- params: @attempt_id, @task_id, @provider_estimated_cost_usd, @now
-- preconditions: the attempt exists and is 'started' (checked: exactly 1 row changed).
-- effects: the attempt becomes 'submitted' with its task id; a resumed run polls it.
UPDATE attempts
   SET status = 'submitted', task_id = @task_id, provider_estimated_cost_usd = @provider_estimated_cost_usd, submitted_at = @now
 WHERE id = @attempt_id AND status = 'started';
