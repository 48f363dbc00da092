-- recordClipRequests: stores the normalized request of each planned clip (run once per clip, in one transaction).
-- params: @clip_id, @request_json, @now
-- preconditions: none; an existing clip keeps its status and gets its request if it had none.
-- effects: the clip row exists ('planned' when new) with its request JSON.
INSERT INTO clips (clip_id, request_json, status, created_at, updated_at)
VALUES (@clip_id, @request_json, 'planned', @now, @now)
ON CONFLICT (clip_id) DO UPDATE SET request_json = coalesce(clips.request_json, excluded.request_json);
