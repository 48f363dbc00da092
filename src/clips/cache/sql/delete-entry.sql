-- deleteEntry: drops one entry from the index (its file is removed by the caller once no entry uses it).
-- params: @clip_id
-- preconditions: none.
-- effects: 0 or 1 row deleted.
DELETE FROM entries WHERE clip_id = @clip_id;
