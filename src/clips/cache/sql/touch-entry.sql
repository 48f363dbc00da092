-- touchEntry: records that a clip was just used (prune --older-than counts from the last use).
-- params: @clip_id, @now
-- preconditions: none (an unknown clip changes nothing).
-- effects: last_used_at = @now.
UPDATE entries SET last_used_at = @now WHERE clip_id = @clip_id;
