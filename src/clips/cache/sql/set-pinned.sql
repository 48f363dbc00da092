-- setPinned: pins or unpins a clip (a pinned clip is never pruned).
-- params: @clip_id, @pinned
-- preconditions: the entry exists (checked: exactly 1 row changed).
-- effects: pinned = @pinned.
UPDATE entries SET pinned = @pinned WHERE clip_id = @clip_id;
