-- getEntry (query): one entry by clip id.
-- params: @clip_id
SELECT * FROM entries WHERE clip_id = @clip_id;
