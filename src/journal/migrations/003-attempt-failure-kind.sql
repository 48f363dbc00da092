-- Schema version 3: the provider-neutral kind of a failed attempt (`FailureKind` in src/clips/types.ts),
-- so a prompt refused by a provider's input moderation is remembered across runs (findInputRefusal,
-- listInputRefusals) instead of being submitted again by the next run.
-- NULL: not a provider failure (a call error other than a moderation refusal, a download or QA
-- problem), or journaled before version 3 (those refusals are not remembered).

ALTER TABLE attempts ADD COLUMN failure_kind TEXT
  CHECK (failure_kind IN ('moderation_input', 'moderation_output', 'bad_output', 'invalid_input', 'internal'));

CREATE INDEX attempts_input_refusals ON attempts (clip_id, id) WHERE failure_kind = 'moderation_input';
