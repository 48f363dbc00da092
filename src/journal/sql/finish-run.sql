-- finishRun: records how a run ended and computes its totals from the journal.
-- params: @id, @status, @ended_at, @error_code, @error_message, @totals_json
-- preconditions: the run exists and is 'running' (checked: exactly 1 row changed).
-- effects: status, end time, error, and totals counted from this run's rows and attempts.
UPDATE runs
   SET status          = @status,
       ended_at        = @ended_at,
       error_code      = @error_code,
       error_message   = @error_message,
       totals_json     = @totals_json,
       rows_total      = (SELECT count(*) FROM rows WHERE run_id = @id),
       rows_rendered   = (SELECT count(*) FROM rows WHERE run_id = @id AND status = 'rendered'),
       rows_failed     = (SELECT count(*) FROM rows WHERE run_id = @id AND status = 'failed'),
       rows_skipped    = (SELECT count(*) FROM rows WHERE run_id = @id AND status = 'skipped'),
       rows_up_to_date = (SELECT count(*) FROM rows WHERE run_id = @id AND status = 'up_to_date'),
       attempts_total  = (SELECT count(*) FROM attempts WHERE run_id = @id),
       clip_cost_usd   = (SELECT coalesce(sum(cost_usd), 0) FROM attempts WHERE run_id = @id)
 WHERE id = @id AND status = 'running';
