-- findEntriesByPrefix (query): entries whose clip id starts with a prefix (for `cache pin <key>`).
-- params: @prefix
SELECT * FROM entries WHERE substr(clip_id, 1, length(@prefix)) = @prefix ORDER BY clip_id LIMIT 20;
