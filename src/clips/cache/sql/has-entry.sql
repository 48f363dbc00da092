-- hasEntry (query): 1 when the clip is indexed.
-- params: @clip_id
SELECT 1 FROM entries WHERE clip_id = @clip_id;
