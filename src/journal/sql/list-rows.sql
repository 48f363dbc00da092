-- listRows (query): the rows of a run in dataset order.
-- params: @run_id
SELECT * FROM rows WHERE run_id = @run_id ORDER BY row_index, row_key, variant;
