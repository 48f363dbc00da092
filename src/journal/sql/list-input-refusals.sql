-- listInputRefusals (query): every clip whose input-moderation refusal still stands (same rule as
--   findInputRefusal: the clip's newest answered attempt is the refusal), oldest refusal first. For
--   the planner: one query per plan, however many clips it has.
-- params: none
SELECT a.id, a.clip_id, a.run_id, a.provider, a.model, a.failure_code, a.message, a.ended_at, r.started_at AS run_started_at
  FROM attempts a
  LEFT JOIN runs r ON r.id = a.run_id
 WHERE a.failure_kind = 'moderation_input'
   AND a.id = (SELECT MAX(b.id) FROM attempts b WHERE b.clip_id = a.clip_id AND b.status NOT IN ('started', 'abandoned'))
 ORDER BY a.id;
