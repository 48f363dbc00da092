-- beginAttempt: journals a generation attempt *before* its paid create call.
-- params: @clip_id, @run_id, @provider, @model, @prompt_hash, @attempt_no, @seed, @estimated_cost_usd, @now
-- preconditions: @run_id is NULL or an existing run (foreign key).
-- effects: the clip row exists with status 'generating'; 1 attempt inserted with status 'started';
--   the attempt id is the last statement's rowid.
INSERT INTO clips (clip_id, request_json, status, created_at, updated_at)
VALUES (@clip_id, NULL, 'generating', @now, @now)
ON CONFLICT (clip_id) DO UPDATE SET status = 'generating', updated_at = @now;

INSERT INTO attempts (clip_id, run_id, provider, model, prompt_hash, attempt_no, seed, status, estimated_cost_usd, started_at)
VALUES (@clip_id, @run_id, @provider, @model, @prompt_hash, @attempt_no, @seed, 'started', @estimated_cost_usd, @now);
