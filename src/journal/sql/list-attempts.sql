-- listAttempts (query): attempts filtered by run and/or clip (NULL = any), oldest first.
-- params: @run_id, @clip_id
SELECT *
  FROM attempts
 WHERE (@run_id IS NULL OR run_id = @run_id)
   AND (@clip_id IS NULL OR clip_id = @clip_id)
 ORDER BY id;
