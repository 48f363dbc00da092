-- recordClipUses: records which clip each (row, variant, slot) of a run used and where it came from
--   (run once per use, in one transaction).
-- params: @run_id, @row_key, @variant, @slot, @clip_id, @origin, @now
-- preconditions: the run exists (foreign key); @origin is generated, cache, shared or local.
-- effects: the clip row exists; the use is inserted or its clip/origin replaced.
INSERT INTO clips (clip_id, request_json, status, created_at, updated_at)
VALUES (@clip_id, NULL, 'planned', @now, @now)
ON CONFLICT (clip_id) DO NOTHING;

INSERT INTO clip_uses (run_id, row_key, variant, slot, clip_id, origin)
VALUES (@run_id, @row_key, @variant, @slot, @clip_id, @origin)
ON CONFLICT (run_id, row_key, variant, slot) DO UPDATE SET clip_id = excluded.clip_id, origin = excluded.origin;
