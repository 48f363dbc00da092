-- findInputRefusal (query): the input-moderation refusal that still stands for a clip: its newest
--   answered attempt (any status but 'started' and 'abandoned', which never got an answer) was
--   refused by the provider's input moderation. A later attempt (`--retry-refused`) that got past
--   moderation, or a success, lifts it. With the refusing run's start time.
-- params: @clip_id
SELECT a.id, a.clip_id, a.run_id, a.provider, a.model, a.failure_code, a.message, a.ended_at, r.started_at AS run_started_at
  FROM attempts a
  LEFT JOIN runs r ON r.id = a.run_id
 WHERE a.id = (SELECT MAX(b.id) FROM attempts b WHERE b.clip_id = @clip_id AND b.status NOT IN ('started', 'abandoned'))
   AND a.failure_kind = 'moderation_input';
