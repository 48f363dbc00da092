-- recordPlannedRows: records the planned jobs of a run (run once per job, all in one transaction).
-- params: @run_id, @row_key, @variant, @row_index, @line, @row_hash, @output_name, @manifest_hash, @status, @reason, @now
-- preconditions: the run exists (foreign key); the (row, variant) is not yet recorded for this run
--   (primary key); @status is 'pending' (to render) or 'up_to_date'.
-- effects: 1 row inserted per call.
INSERT INTO rows (run_id, row_key, variant, row_index, line, row_hash, output_name, manifest_hash, status, reason, planned_at)
VALUES (@run_id, @row_key, @variant, @row_index, @line, @row_hash, @output_name, @manifest_hash, @status, @reason, @now);
