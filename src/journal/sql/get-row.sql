-- getRow (query): one row × variant of a run.
-- params: @run_id, @row_key, @variant
SELECT * FROM rows WHERE run_id = @run_id AND row_key = @row_key AND variant = @variant;
