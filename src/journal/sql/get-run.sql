-- getRun (query): one run by id.
-- params: @id
SELECT * FROM runs WHERE id = @id;
