-- listEntries (query): every entry, oldest first.
-- params: none
SELECT * FROM entries ORDER BY created_at, clip_id;
