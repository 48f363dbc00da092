-- getClip (query): one clip's request and status.
-- params: @clip_id
SELECT * FROM clips WHERE clip_id = @clip_id;
