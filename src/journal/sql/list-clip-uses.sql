-- listClipUses (query): the clip uses of a run.
-- params: @run_id
SELECT * FROM clip_uses WHERE run_id = @run_id ORDER BY row_key, variant, slot;
