-- getAttempt (query): one attempt by id.
-- params: @attempt_id
SELECT * FROM attempts WHERE id = @attempt_id;
